import Foundation

/// PATCH in its four content types; `application/apply-patch+yaml` is server-side apply. Called with the lock held.
extension ServerCore {
    static let applyType = "application/apply-patch+yaml"
    static let patchTypes = ["application/json-patch+json", "application/merge-patch+json",
                             "application/strategic-merge-patch+json", applyType]

    func patch(_ request: APIRequest, target: ResourceTarget, user: UserInfo) throws -> APIResponse {
        guard let key = target.key else { throw StatusError.pathNotFound }
        let type = request.contentType
        guard ServerCore.patchTypes.contains(type) else {
            throw StatusError.unsupportedMediaType(type, supported: ServerCore.patchTypes)
        }
        try validateOptions(request, apply: type == ServerCore.applyType)
        if type == ServerCore.applyType { return try apply(request, target: target, key: key, user: user) }
        guard let existing = store[key] else { throw StatusError.notFound(target.resource, key.name) }
        let patch: JSON
        do { patch = try JSON.parse(request.body) } catch {
            throw StatusError.badRequest("error decoding patch: invalid JSON")
        }
        var patched: JSON
        switch type {
        case "application/merge-patch+json": patched = Merge.mergePatch(existing.rendered, patch)
        case "application/strategic-merge-patch+json": patched = Merge.strategicMerge(existing.rendered, patch)
        default: patched = try JSONPatch.apply(patch, to: existing.rendered)
        }
        let known = try dropUnknownFields(patched, request, target.resource, .patched)
        patched = known.0
        let warnings = known.1
        try Decoding.checkTimes(patched, as: target.resource)
        patched = Decoding.normalize(patched, as: target.resource)
        try checkIdentity(&patched, target: target, creating: false)
        if let version = patch.value(at: ["metadata", "resourceVersion"])?.string,
           version != existing.object.value(at: ["metadata", "resourceVersion"])?.string {
            throw StatusError.modified(target.resource, key.name)
        }
        patched.set(["metadata", "managedFields"], nil)
        ServerCore.keepAllocations(&patched, old: existing.object, target.resource)
        try validate(patched, target.resource, old: existing.object)
        let managers = Ownership.update(existing.managers, old: existing.object, new: patched,
                                        by: updateManager(request, target.resource), now: ObjectStore.now())
        var response = try commit(request, key: key) { store in
            let (stored, changed) = store.update(key, object: patched, managers: managers)
            return (stored, changed, 200)
        }
        response.headers += warnings
        return response
    }

    /// The apply configuration names the endpoint's kind: `versionCheckManager.Apply`, the outermost field manager
    /// (staging/src/k8s.io/apimachinery/pkg/util/managedfields/internal/versioncheck.go), compares its
    /// GroupVersionKind (`Unstructured.GroupVersionKind`: empty when apiVersion does not parse); then
    /// `structuredMergeManager.Apply` (internal/structuredmerge.go) refuses managedFields in it.
    static func checkApplyIdentity(_ body: Data, as resource: Resource) throws {
        guard let document = (try? JSON.parse(body)) ?? (try? YAMLBody.parse(String(decoding: body, as: UTF8.self))),
              document.object != nil else { return }
        let apiVersion = document["apiVersion"]?.string ?? ""
        let kind = document["kind"]?.string ?? ""
        if apiVersion != resource.apiVersion || kind != resource.kind {
            let parts = apiVersion.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
            var (group, version) = parts.count == 2 ? (parts[0], parts[1]) : ("", parts.count == 1 ? parts[0] : "")
            var shown = kind
            if parts.count > 2 { (group, version, shown) = ("", "", "") }
            throw StatusError.badRequest("invalid object type: \(group)/\(version), Kind=\(shown)")
        }
        if let managed = document.value(at: ["metadata", "managedFields"]), managed != .null {
            throw StatusError.badRequest("metadata.managedFields must be nil")
        }
    }

    /// `ValidatePatchOptions`: an apply needs a field manager; only an apply may force.
    func validateOptions(_ request: APIRequest, apply: Bool) throws {
        var errors: [FieldError] = []
        if apply {
            if (request.parameter("fieldManager") ?? "").isEmpty {
                errors.append(.required("fieldManager", "is required for apply patch"))
            }
        } else if request.parameter("force") != nil {
            errors.append(.forbidden("force", "may not be specified for non-apply patch"))
        }
        if let manager = request.parameter("fieldManager"), manager.utf8.count > 128 {
            errors.append(.tooLong("fieldManager", max: 128))
        }
        if let dryRun = request.query["dryRun"], dryRun.contains(where: { $0 != "All" }) {
            errors.append(FieldError(kind: .notSupported, field: "dryRun", value: .raw("[\"" + dryRun.joined(separator: "\",\"") + "\"]"),
                                     detail: "supported values: \"All\""))
        }
        if !errors.isEmpty { throw StatusError.invalid(kind: "PatchOptions", group: "meta.k8s.io", name: "", errors) }
    }

    private func apply(_ request: APIRequest, target: ResourceTarget, key: ObjectKey, user: UserInfo) throws -> APIResponse {
        try ServerCore.checkApplyIdentity(request.body, as: target.resource)
        var applied = try Decoding.object(request.body, as: target.resource, yaml: true)
        try refuseUnknownApplyFields(applied, target.resource)
        try checkIdentity(&applied, target: target, creating: false)
        let manager = FieldManager(name: request.parameter("fieldManager") ?? "", operation: "Apply",
                                   apiVersion: target.resource.apiVersion)
        let existing = store[key]
        if let version = applied.value(at: ["metadata", "resourceVersion"])?.string, !version.isEmpty,
           version != existing?.object.value(at: ["metadata", "resourceVersion"])?.string {
            throw existing == nil ? StatusError.notFound(target.resource, key.name) : StatusError.modified(target.resource, key.name)
        }
        if existing == nil {
            // Creating through apply needs the create permission as well as patch.
            try authorize(user: user, verb: "create", target: target)
            try requireNamespace(target, name: key.name)
        }
        var base: JSON = ["apiVersion": .string(target.resource.apiVersion), "kind": .string(target.resource.kind),
                          "metadata": ["name": .string(key.name)]]
        if let namespace = key.namespace { base.set(["metadata", "namespace"], .string(namespace)) }
        let now = ObjectStore.now()
        let result = Ownership.apply(live: existing?.object ?? base, entries: existing?.managers ?? [], applied: applied,
                                     by: manager, force: request.parameter("force") == "true", now: now)
        let (merged, managers): (JSON, [ManagedEntry])
        switch result {
        case .failure(let conflict): throw conflict
        case .success(let value): (merged, managers) = value
        }
        var object = Decoding.normalize(merged, as: target.resource)
        if existing == nil {
            object["status"] = nil
            prepareForCreate(&object, target.resource)
        } else {
            ServerCore.keepAllocations(&object, old: existing!.object, target.resource)
        }
        try validate(object, target.resource, old: existing?.object)
        return try commit(request, key: key) { store in
            if existing == nil { return (store.create(key, object: object, managers: managers), true, 201) }
            let (stored, changed) = store.update(key, object: object, managers: managers)
            return (stored, changed, 200)
        }
    }
}
