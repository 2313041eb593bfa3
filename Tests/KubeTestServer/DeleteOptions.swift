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

    /// The propagation a DELETE asks for, read from its `DeleteOptions` body (or the `propagationPolicy` and
    /// `orphanDependents` query parameters) and checked as `ValidateDeleteOptions`
    /// (staging/src/k8s.io/apimachinery/pkg/apis/meta/v1/validation/validation.go) checks it.
    static func deletionOptions(_ request: APIRequest) throws -> (policy: String?, orphanDependents: Bool?) {
        let body = request.body.isEmpty ? nil : try? JSON.parse(request.body)
        let policy = body?["propagationPolicy"]?.string ?? request.parameter("propagationPolicy")
        let orphan = body?["orphanDependents"]?.bool ?? request.parameter("orphanDependents").map { $0 == "true" }
        var errors: [FieldError] = []
        if let policy, orphan != nil {
            errors.append(.invalid("propagationPolicy", policy, "orphanDependents and deletionPropagation cannot be both set"))
        }
        if let policy, !["Foreground", "Background", "Orphan"].contains(policy) {
            errors.append(.notSupported("propagationPolicy", policy, supported: ["Foreground", "Background", "Orphan", "nil"]))
        }
        if !errors.isEmpty { throw StatusError.invalid(kind: "DeleteOptions", group: "meta.k8s.io", name: "", errors) }
        return (policy, orphan)
    }

    static func finalizers(_ object: JSON) -> [String] {
        (object.value(at: ["metadata", "finalizers"])?.array ?? []).compactMap(\.string)
    }

    static func isDeleting(_ object: JSON) -> Bool {
        object.value(at: ["metadata", "deletionTimestamp"]).map { $0 != .null } ?? false
    }

    /// `deletionFinalizersForGarbageCollection` with `shouldOrphanDependents` and `shouldDeleteDependents`
    /// (staging/src/k8s.io/apiserver/pkg/registry/generic/registry/store.go): an explicit option wins, then a GC
    /// finalizer the object already has; every kind served here defaults to deleting dependents in the background
    /// (`DefaultGarbageCollectionPolicy` of the apps/v1 and batch/v1 strategies, and the core default). Returns the
    /// finalizers the object is to carry.
    static func gcFinalizers(_ object: JSON, policy: String?, orphanDependents: Bool?) -> [String] {
        let current = finalizers(object)
        let orphan: Bool
        let foreground: Bool
        if let orphanDependents {
            (orphan, foreground) = (orphanDependents, false)
        } else if let policy {
            (orphan, foreground) = (policy == "Orphan", policy == "Foreground")
        } else {
            let first = current.first { $0 == "orphan" || $0 == "foregroundDeletion" }
            (orphan, foreground) = (first == "orphan", first == "foregroundDeletion")
        }
        var result = current.filter { $0 != "orphan" && $0 != "foregroundDeletion" }
        if orphan { result.append("orphan") }
        if foreground { result.append("foregroundDeletion") }
        return result
    }

    /// `finalizeDelete` (store.go): a store with `ReturnDeletedObject` answers with the object, the others with a
    /// `Status` naming it. Of the kinds served here Services and Namespaces return the object
    /// (pkg/registry/core/service/storage/storage.go and pkg/registry/core/namespace/storage/storage.go set
    /// `ReturnDeletedObject: true`).
    static func deletedResponse(_ stored: StoredObject, key: ObjectKey) -> APIResponse {
        if key.resource == .services || key.resource == .namespaces { return APIResponse(status: 200, json: stored.rendered) }
        var details = StatusError.details(name: key.name, group: key.resource.group, kind: key.resource.plural)
        details["uid"] = stored.object.value(at: ["metadata", "uid"]) ?? .null
        return APIResponse(status: 200, json: ["kind": "Status", "apiVersion": "v1", "metadata": .object([:]),
                                               "status": "Success", "details": details])
    }

    /// The registry's `Delete` of one object (store.go): when finalizers are to stay (the garbage collector's
    /// `orphan` or `foregroundDeletion`, or any other) the object is marked as deleting (`markAsDeleting`:
    /// `deletionTimestamp` now, `deletionGracePeriodSeconds` 0, the generation bumped when it has one) and kept;
    /// otherwise it goes, and its dependents go after it. Returns the object left deleting, or nil.
    @discardableResult
    func deleteObject(_ key: ObjectKey, policy: String?, orphanDependents: Bool?) -> StoredObject? {
        guard let existing = store[key] else { return nil }
        let finalizers = ServerCore.gcFinalizers(existing.object, policy: policy, orphanDependents: orphanDependents)
        guard finalizers.isEmpty else {
            var object = existing.object
            if !ServerCore.isDeleting(object) {
                object.set(["metadata", "deletionTimestamp"], .string(ObjectStore.now()))
                object.set(["metadata", "deletionGracePeriodSeconds"], 0)
                if let generation = object.value(at: ["metadata", "generation"])?.int, generation > 0 {
                    object.set(["metadata", "generation"], .int(generation + 1))
                }
            }
            object.set(["metadata", "finalizers"], .array(finalizers.map(JSON.string)))
            if object != existing.object { store.write(key, object: object) }
            let marked = store[key]
            collectGarbage(key)
            return marked
        }
        store.delete(key)
        templates[key] = nil
        collectDependents(of: existing.object, namespace: key.namespace)
        return nil
    }

    /// The garbage collector (pkg/controller/garbagecollector/garbagecollector.go) on an owner being deleted: for
    /// `orphan` it removes the owner's reference from each dependent (`orphanDependents`), for `foregroundDeletion`
    /// it deletes the dependents first (in the foreground themselves when they have dependents of their own,
    /// `attemptToDeleteItem`), then it removes its finalizer; the store deletes an object whose last finalizer goes.
    /// The real collector acts moments later; here it happens with the delete, and the watch events come in
    /// the real order (the owner MODIFIED with its finalizer, the dependents, the owner DELETED).
    func collectGarbage(_ key: ObjectKey) {
        guard let owner = store[key], ServerCore.isDeleting(owner.object) else { return }
        var finalizers = ServerCore.finalizers(owner.object)
        guard let uid = owner.object.value(at: ["metadata", "uid"])?.string else { return }
        if finalizers.contains("orphan") {
            for (dependent, stored) in dependents(of: uid, namespace: key.namespace) {
                var object = stored.object
                let kept = (object.value(at: ["metadata", "ownerReferences"])?.array ?? []).filter { $0["uid"]?.string != uid }
                object.set(["metadata", "ownerReferences"], kept.isEmpty ? nil : .array(kept))
                store.write(dependent, object: object)
            }
            finalizers.removeAll { $0 == "orphan" }
        } else if finalizers.contains("foregroundDeletion") {
            for (dependent, _) in dependents(of: uid, namespace: key.namespace) {
                let hasDependents = store[dependent]?.object.value(at: ["metadata", "uid"])?.string
                    .map { !self.dependents(of: $0, namespace: key.namespace).isEmpty } ?? false
                deleteObject(dependent, policy: hasDependents ? "Foreground" : "Background", orphanDependents: nil)
            }
            finalizers.removeAll { $0 == "foregroundDeletion" }
        } else {
            return
        }
        guard var object = store[key]?.object else { return }
        if finalizers.isEmpty {
            store.delete(key)
            templates[key] = nil
        } else {
            object.set(["metadata", "finalizers"], .array(finalizers.map(JSON.string)))
            store.write(key, object: object)
        }
    }

    func dependents(of uid: String, namespace: String?) -> [(ObjectKey, StoredObject)] {
        store.objects.filter { key, stored in
            key.namespace == namespace
                && (stored.object.value(at: ["metadata", "ownerReferences"])?.array ?? []).contains { $0["uid"]?.string == uid }
        }.sorted { $0.key.name < $1.key.name }.map { ($0.key, $0.value) }
    }

    /// What the collector does once an owner is gone without a GC finalizer (Background): the objects whose
    /// ownerReferences name its uid are deleted, in the background too.
    func collectDependents(of owner: JSON, namespace: String?) {
        guard let uid = owner.value(at: ["metadata", "uid"])?.string else { return }
        for (key, _) in dependents(of: uid, namespace: namespace) {
            deleteObject(key, policy: "Background", orphanDependents: nil)
        }
    }
}
