import Foundation

/// GET, LIST, POST, PUT and DELETE on stored objects. Called with the lock held.
extension ServerCore {
    func get(_ target: ResourceTarget) throws -> APIResponse {
        guard let key = target.key, let stored = store[key] else { throw StatusError.notFound(target.resource, target.name ?? "") }
        return APIResponse(status: 200, json: stored.rendered)
    }

    func list(target: ResourceTarget, filter: ObjectFilter) -> APIResponse {
        let items = store.list(target.resource, namespace: target.resource.namespaced ? target.namespace : nil)
            .map(\.rendered)
            .filter(filter.matches)
            .map { item -> JSON in
                // Items of a typed list are encoded without their TypeMeta (the list carries kind and apiVersion).
                var item = item
                item["kind"] = nil
                item["apiVersion"] = nil
                return item
            }
        let list: JSON = ["kind": .string(target.resource.kind + "List"), "apiVersion": .string(target.resource.apiVersion),
                          "metadata": ["resourceVersion": .string(store.currentResourceVersion)], "items": .array(items)]
        return APIResponse(status: 200, json: list)
    }

    /// The manager an Update is recorded under: `fieldManager`, else the user agent's program name.
    func updateManager(_ request: APIRequest, _ resource: Resource) -> FieldManager {
        let agent = request.header("User-Agent").map { String($0.split(separator: "/").first ?? "") } ?? ""
        let name = request.parameter("fieldManager") ?? (agent.isEmpty ? "unknown" : agent)
        return FieldManager(name: name, operation: "Update", apiVersion: resource.apiVersion)
    }

    /// Checks body identity against the URL the way the registry does.
    func checkIdentity(_ object: inout JSON, target: ResourceTarget, creating: Bool) throws {
        let resource = target.resource
        if resource.namespaced {
            let bodyNamespace = object.value(at: ["metadata", "namespace"])?.string ?? ""
            if !bodyNamespace.isEmpty && bodyNamespace != target.namespace {
                throw StatusError.badRequest(creating
                    ? "the namespace of the provided object does not match the namespace sent on the request"
                    : "the namespace of the object (\(bodyNamespace)) does not match the namespace on the request (\(target.namespace ?? ""))")
            }
            object.set(["metadata", "namespace"], target.namespace.map(JSON.string))
        }
        if let name = target.name {
            let bodyName = object.value(at: ["metadata", "name"])?.string ?? ""
            if bodyName.isEmpty {
                object.set(["metadata", "name"], .string(name))
            } else if bodyName != name {
                throw StatusError.badRequest("the name of the object (\(bodyName)) does not match the name on the URL (\(name))")
            }
        }
    }

    /// The strategy's `Validate`, or `ValidateUpdate` when there is an `old` object (its rules come first).
    func validate(_ object: JSON, _ resource: Resource, old: JSON? = nil) throws {
        let errors = (old.map { Validation.validateUpdate(object, old: $0, as: resource) } ?? []) + Validation.validate(object, as: resource)
        guard errors.isEmpty else {
            throw StatusError.invalid(kind: resource.kind, group: resource.group,
                                      name: object.value(at: ["metadata", "name"])?.string ?? "", errors)
        }
    }

    /// The strategies' `PrepareForCreate` and the allocations a create makes.
    func prepareForCreate(_ object: inout JSON, _ resource: Resource) {
        switch resource {
        case .namespaces:
            // pkg/registry/core/namespace/strategy.go: on create, status is Active and the kubernetes finalizer is required.
            object["status"] = ["phase": "Active"]
            var finalizers = object.value(at: ["spec", "finalizers"])?.array ?? []
            if !finalizers.contains("kubernetes") { finalizers.append("kubernetes") }
            object.set(["spec", "finalizers"], .array(finalizers))
        case .services:
            object["status"] = ["loadBalancer": .object([:])]
            allocateClusterIP(&object)
        default:
            break
        }
    }

    /// pkg/registry/core/service/storage/alloc.go: a Service that is not ExternalName and names no cluster IP gets one
    /// from the service CIDR (10.96.0.0/12 here; 10.96.0.1 is the `kubernetes` Service's), with its IP family fields.
    func allocateClusterIP(_ object: inout JSON) {
        let type = object.value(at: ["spec", "type"])?.string ?? "ClusterIP"
        guard type != "ExternalName" else { return }
        var ip = object.value(at: ["spec", "clusterIP"])?.string ?? ""
        if ip.isEmpty {
            let used = Set(store.list(.services, namespace: nil).compactMap { $0.object.value(at: ["spec", "clusterIP"])?.string })
            var offset = 10
            while used.contains(ServerCore.serviceAddress(offset)) { offset += 1 }
            ip = ServerCore.serviceAddress(offset)
            object.set(["spec", "clusterIP"], .string(ip))
        }
        if object.value(at: ["spec", "clusterIPs"]) == nil { object.set(["spec", "clusterIPs"], [.string(ip)]) }
        if object.value(at: ["spec", "ipFamilies"]) == nil { object.set(["spec", "ipFamilies"], ["IPv4"]) }
        if object.value(at: ["spec", "ipFamilyPolicy"]) == nil { object.set(["spec", "ipFamilyPolicy"], "SingleStack") }
    }

    /// The address `offset` places into 10.96.0.0/12.
    static func serviceAddress(_ offset: Int) -> String {
        "10.\(96 + (offset >> 16) & 0x0f).\((offset >> 8) & 0xff).\(offset & 0xff)"
    }

    /// `PatchAllocatedValues` (pkg/registry/core/service/strategy.go): an update that leaves out the allocated
    /// cluster IPs and IP families keeps them.
    static func keepAllocations(_ object: inout JSON, old: JSON, _ resource: Resource) {
        guard resource == .services, (old.value(at: ["spec", "type"])?.string ?? "") != "ExternalName",
              (object.value(at: ["spec", "type"])?.string ?? "ClusterIP") != "ExternalName" else { return }
        for field in ["clusterIP", "clusterIPs", "ipFamilies", "ipFamilyPolicy"] {
            let value = object.value(at: ["spec", field])
            if value == nil || value == "" || value == .array([]) { object.set(["spec", field], old.value(at: ["spec", field])) }
        }
    }

    func create(_ request: APIRequest, target: ResourceTarget, user: UserInfo) throws -> APIResponse {
        let (decoded, warnings) = try dropUnknownFields(try RequestBody.object(request, as: target.resource), request, target.resource, .decoded)
        var object = Decoding.normalize(decoded, as: target.resource)
        try checkIdentity(&object, target: target, creating: true)
        object["status"] = nil
        prepareForCreate(&object, target.resource)
        if let metadata = object["metadata"]?.object {
            object["metadata"] = .object(metadata.filter { !["uid", "resourceVersion", "creationTimestamp", "generation", "managedFields"].contains($0.key) })
        }
        let name = object.value(at: ["metadata", "name"])?.string ?? ""
        // Admission (NamespaceLifecycle) runs before the strategy's validation.
        try requireNamespace(target, name: name)
        try validate(object, target.resource)
        let key = ObjectKey(resource: target.resource, namespace: target.resource.namespaced ? target.namespace : nil, name: name)
        if store[key] != nil { throw StatusError.alreadyExists(target.resource, name) }
        let managers = Ownership.update([], old: nil, new: object, by: updateManager(request, target.resource), now: ObjectStore.now())
        var response = try commit(request, key: key) { store in
            let stored = store.create(key, object: object, managers: managers)
            return (stored, true, 201)
        }
        response.headers += warnings
        return response
    }

    func replace(_ request: APIRequest, target: ResourceTarget, user: UserInfo) throws -> APIResponse {
        guard let key = target.key else { throw StatusError.pathNotFound }
        let (decoded, warnings) = try dropUnknownFields(try RequestBody.object(request, as: target.resource), request, target.resource, .decoded)
        var object = Decoding.normalize(decoded, as: target.resource)
        try checkIdentity(&object, target: target, creating: false)
        guard let existing = store[key] else {
            // `AllowCreateOnUpdate` (staging/src/k8s.io/apiserver/pkg/registry/generic/registry/store.go, Update).
            guard target.resource.allowCreateOnUpdate else { throw StatusError.notFound(target.resource, key.name) }
            return try create(request, target: target, user: user)
        }
        try checkUpdatePreconditions(object, key: key, existing: existing.object)
        let version = object.value(at: ["metadata", "resourceVersion"])?.string ?? ""
        if version.isEmpty && !target.resource.allowUnconditionalUpdate {
            // store.go: a strategy without `AllowUnconditionalUpdate` needs the version it updates from.
            throw StatusError.invalid(kind: target.resource.plural, group: target.resource.group, name: key.name,
                                      [.invalid("metadata.resourceVersion", number: 0, "must be specified for an update")])
        }
        if !version.isEmpty, version != existing.object.value(at: ["metadata", "resourceVersion"])?.string {
            throw StatusError.modified(target.resource, key.name)
        }
        object.set(["metadata", "managedFields"], nil)
        ServerCore.keepAllocations(&object, old: existing.object, target.resource)
        try validate(object, target.resource, old: existing.object)
        let managers = Ownership.update(existing.managers, old: existing.object, new: object,
                                        by: updateManager(request, target.resource), now: ObjectStore.now())
        var response = try commit(request, key: key) { store in
            let (stored, changed) = store.update(key, object: object, managers: managers)
            return (stored, changed, 200)
        }
        response.headers += warnings
        return response
    }

    /// `Store.Delete` (staging/src/k8s.io/apiserver/pkg/registry/generic/registry/store.go): an object that keeps
    /// finalizers is answered as it now stands, deleting; one deleted at once as `finalizeDelete` answers. A dry run
    /// works on a copy that is thrown away.
    func delete(_ request: APIRequest, target: ResourceTarget) throws -> APIResponse {
        guard let key = target.key, let existing = store[key] else { throw StatusError.notFound(target.resource, target.name ?? "") }
        let options = try ServerCore.deletionOptions(request)
        try checkPreconditions(request, key: key, existing: existing.object)
        if target.resource == .namespaces, let terminating = try terminate(request, key: key) { return terminating }
        let (savedStore, savedTemplates) = (store, templates)
        defer { if request.isDryRun { (store, templates) = (savedStore, savedTemplates) } }
        if target.resource == .namespaces {
            store.delete(key)
            for other in store.objects.keys where other.namespace == key.name { store.delete(other) }
            return ServerCore.deletedResponse(existing, key: key)
        }
        if let deleting = deleteObject(key, policy: options.policy, orphanDependents: options.orphanDependents) {
            return APIResponse(status: 200, json: deleting.rendered)
        }
        return ServerCore.deletedResponse(existing, key: key)
    }

    /// Writes through `body` unless `dryRun=All`, then lets the deployment controller react. A dry run never
    /// reaches etcd (DryRunnableStorage), so only a real write meets etcd's size limit.
    func commit(_ request: APIRequest, key: ObjectKey, _ body: (inout ObjectStore) -> (StoredObject, Bool, Int)) throws -> APIResponse {
        var scratch = store
        let (stored, changed, status) = body(&scratch)
        // `shouldDeleteDuringUpdate` (store.go): an update that leaves a deleting object without finalizers deletes it,
        // answered as a delete is (`deleteWithoutFinalizers`).
        // A namespace also waits for its spec finalizers (`ShouldDeleteNamespaceDuringUpdate`,
        // pkg/registry/core/namespace/storage/storage.go).
        if changed, ServerCore.isDeleting(stored.object), ServerCore.finalizers(stored.object).isEmpty,
           key.resource != .namespaces || (stored.object.value(at: ["spec", "finalizers"])?.array ?? []).isEmpty {
            if !request.isDryRun {
                store = scratch
                store.delete(key)
                templates[key] = nil
                collectDependents(of: stored.object, namespace: key.namespace)
            }
            return ServerCore.deletedResponse(stored, key: key)
        }
        if !request.isDryRun {
            if changed { try StorageLimit.check(stored, key: key) }
            store = scratch
            if changed, let name = stored.object.value(at: ["metadata", "name"])?.string,
               stored.object["kind"]?.string == "Deployment" {
                deploymentChanged(ObjectKey(resource: .deployments, namespace: stored.object.value(at: ["metadata", "namespace"])?.string, name: name))
            }
        }
        var rendered = stored.rendered
        if request.isDryRun && status == 201 {
            // DryRunnableStorage.Create (staging/src/k8s.io/apiserver/pkg/registry/generic/registry/dryrun.go) copies
            // the object without storing it: uid and creationTimestamp are set (BeforeCreate), resourceVersion is not.
            rendered.set(["metadata", "resourceVersion"], nil)
        }
        return APIResponse(status: status, json: rendered)
    }
}
