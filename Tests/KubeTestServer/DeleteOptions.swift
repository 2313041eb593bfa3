/// What a DELETE carries and sets off: `DeleteOptions.preconditions` and the garbage collection of dependents.
extension ServerCore {
    /// `Preconditions.Check` (staging/src/k8s.io/apiserver/pkg/storage/interfaces.go): a mismatch is a storage
    /// `InvalidObj` error, which the registry turns into a 409 Conflict (storage/errors/storage.go).
    func checkPreconditions(_ request: APIRequest, key: ObjectKey, existing: JSON) throws {
        guard !request.body.isEmpty, let options = try? JSON.parse(request.body),
              let preconditions = options["preconditions"] else { return }
        let storageKey = ["/registry", key.resource.storagePrefix, key.namespace, key.name].compactMap { $0 }.joined(separator: "/")
        var problem: String?
        let uid = existing.value(at: ["metadata", "uid"])?.string ?? ""
        let version = existing.value(at: ["metadata", "resourceVersion"])?.string ?? ""
        if let wanted = preconditions["uid"]?.string, wanted != uid {
            problem = "Precondition failed: UID in precondition: \(wanted), UID in object meta: \(uid)"
        } else if let wanted = preconditions["resourceVersion"]?.string, wanted != version {
            problem = "Precondition failed: ResourceVersion in precondition: \(wanted), ResourceVersion in object meta: \(version)"
        }
        guard let problem else { return }
        throw ServerCore.preconditionFailed(key, storageKey: storageKey, problem)
    }

    /// A PUT whose body names a uid makes it a precondition (`defaultUpdatedObjectInfo.Preconditions`,
    /// staging/src/k8s.io/apiserver/pkg/registry/rest/update.go), checked before the resourceVersion.
    func checkUpdatePreconditions(_ object: JSON, key: ObjectKey, existing: JSON) throws {
        guard let wanted = object.value(at: ["metadata", "uid"])?.string, !wanted.isEmpty else { return }
        let uid = existing.value(at: ["metadata", "uid"])?.string ?? ""
        guard wanted != uid else { return }
        let storageKey = ["/registry", key.resource.storagePrefix, key.namespace, key.name].compactMap { $0 }.joined(separator: "/")
        throw ServerCore.preconditionFailed(key, storageKey: storageKey,
                                            "Precondition failed: UID in precondition: \(wanted), UID in object meta: \(uid)")
    }

    static func preconditionFailed(_ key: ObjectKey, storageKey: String, _ problem: String) -> StatusError {
        let storageError = "StorageError: invalid object, Code: 4, Key: \(storageKey), ResourceVersion: 0, AdditionalErrorMsg: \(problem)"
        return StatusError(code: 409, reason: "Conflict",
                           message: "Operation cannot be fulfilled on \(key.resource.qualifiedName) \(FieldError.goQuote(key.name)): \(storageError)",
                           details: StatusError.details(name: key.name, group: key.resource.group, kind: key.resource.plural))
    }

    /// The garbage collector (pkg/controller/garbagecollector): with the default Background (or Foreground)
    /// propagation, objects whose ownerReferences name the deleted object's uid go too; with `Orphan` they stay
    /// and lose that reference. The real collector acts moments later; here it happens with the delete.
    func collectDependents(of owner: JSON, namespace: String?, request: APIRequest? = nil) {
        guard let uid = owner.value(at: ["metadata", "uid"])?.string else { return }
        let options = request.flatMap { $0.body.isEmpty ? nil : try? JSON.parse($0.body) }
        let orphan = (options?["propagationPolicy"]?.string ?? request?.parameter("propagationPolicy")) == "Orphan"
        let dependents = store.objects.filter { key, stored in
            key.namespace == namespace
                && (stored.object.value(at: ["metadata", "ownerReferences"])?.array ?? []).contains { $0["uid"]?.string == uid }
        }
        for (key, stored) in dependents {
            if orphan {
                var object = stored.object
                let kept = (object.value(at: ["metadata", "ownerReferences"])?.array ?? []).filter { $0["uid"]?.string != uid }
                object.set(["metadata", "ownerReferences"], kept.isEmpty ? nil : .array(kept))
                _ = store.update(key, object: object, managers: stored.managers)
            } else {
                store.delete(key)
                collectDependents(of: stored.object, namespace: namespace)
            }
        }
    }
}
