/// A namespace's life after DELETE, as the namespace storage and the NamespaceLifecycle admission plugin run it.
/// The namespace controller's part, which empties the namespace, is done at once; the `kubernetes` finalizer it
/// would then remove stays, so a deleted namespace stays Terminating.
extension ServerCore {
    /// `immortalNamespaces` (plugin/pkg/admission/namespace/lifecycle/admission.go).
    static let immortalNamespaces: Set<String> = ["default", "kube-system", "kube-public"]

    /// The lifecycle plugin on create: the namespace must exist and not be terminating.
    func requireNamespace(_ target: ResourceTarget, name: String) throws {
        guard target.resource.namespaced, let namespace = target.namespace else { return }
        guard let stored = store[ObjectKey(resource: .namespaces, namespace: nil, name: namespace)] else {
            throw StatusError.namespaceNotFound(namespace)
        }
        guard stored.object.value(at: ["status", "phase"])?.string == "Terminating" else { return }
        let cause: JSON = ["reason": "NamespaceTerminating", "message": .string("namespace \(namespace) is being terminated"),
                           "field": "metadata.namespace"]
        throw StatusError(code: 403, reason: "Forbidden",
                          message: "\(target.resource.qualifiedName) \(FieldError.goQuote(name)) is forbidden: unable to create new content in namespace \(namespace) because it is being terminated",
                          details: StatusError.details(name: name, group: target.resource.group, kind: target.resource.plural, causes: [cause]))
    }

    /// `REST.Delete` (pkg/registry/core/namespace/storage/storage.go): the first DELETE sets `deletionTimestamp` and
    /// phase Terminating and answers with the namespace; it is removed only once `spec.finalizers` is empty.
    /// Nil when the namespace has no finalizers left and is deleted as any object is.
    func terminate(_ request: APIRequest, key: ObjectKey) throws -> APIResponse? {
        if Self.immortalNamespaces.contains(key.name) {
            throw StatusError(code: 403, reason: "Forbidden", message: "namespaces \(FieldError.goQuote(key.name)) is forbidden: this namespace may not be deleted",
                              details: StatusError.details(name: key.name, kind: "namespaces"))
        }
        guard let existing = store[key], !(existing.object.value(at: ["spec", "finalizers"])?.array ?? []).isEmpty else { return nil }
        var object = existing.object
        if object.value(at: ["metadata", "deletionTimestamp"]) == nil {
            object.set(["metadata", "deletionTimestamp"], .string(ObjectStore.now()))
        }
        var status = object["status"] ?? .object([:])
        status["phase"] = "Terminating"
        guard !request.isDryRun else {
            object["status"] = status
            return APIResponse(status: 200, json: StoredObject(object: object, managers: existing.managers).rendered)
        }
        _ = store.update(key, object: object, managers: existing.managers)
        store.setStatus(key, status)
        // The namespace controller deletes what the namespace holds (pkg/controller/namespace/deletion).
        for other in store.objects.keys where other.namespace == key.name { store.delete(other) }
        return APIResponse(status: 200, json: store[key]?.rendered ?? .null)
    }
}
