import Foundation

/// `deployments/scale`: an `autoscaling/v1` Scale view of a Deployment's replicas, as `kubectl scale` and the
/// HorizontalPodAutoscaler write it (pkg/registry/apps/deployment/storage/storage.go, `ScaleREST`).
/// Called with the lock held.
extension ServerCore {
    static let scaleKind = Resource(group: "autoscaling", version: "v1", plural: "scales", singular: "scale", kind: "Scale",
                                    namespaced: true, shortNames: [], tracksGeneration: false, verbs: [])

    func scale(_ request: APIRequest, target: ResourceTarget) throws -> APIResponse {
        guard let key = target.key else { throw StatusError.pathNotFound }
        guard let existing = store[key] else { throw StatusError.notFound(target.resource, key.name) }
        let current = ServerCore.scaleView(of: existing.object)
        switch request.method {
        case "GET":
            return APIResponse(status: 200, json: current)
        case "PUT":
            return try writeScale(try RequestBody.object(request, as: ServerCore.scaleKind), request: request, key: key, existing: existing)
        case "PATCH":
            guard ServerCore.patchTypes.contains(request.contentType) else {
                throw StatusError.unsupportedMediaType(request.contentType, supported: ServerCore.patchTypes)
            }
            try validateOptions(request, apply: request.contentType == ServerCore.applyType)
            if request.contentType == ServerCore.applyType { return try applyScale(request, key: key, existing: existing) }
            let patch: JSON
            do { patch = try JSON.parse(request.body) } catch { throw StatusError.badRequest("error decoding patch: invalid JSON") }
            let patched: JSON
            switch request.contentType {
            case "application/merge-patch+json": patched = Merge.mergePatch(current, patch)
            case "application/strategic-merge-patch+json": patched = Merge.strategicMerge(current, patch)
            default: patched = try JSONPatch.apply(patch, to: current)
            }
            return try writeScale(patched, request: request, key: key, existing: existing)
        default:
            throw StatusError.methodNotSupported(target.resource, verb(request, target))
        }
    }

    /// `scaleUpdatedObjectInfo.UpdatedObject`: validate the Scale, carry its replicas and resourceVersion into
    /// the Deployment, and record the writer as an Update manager of `.spec.replicas` through `scale`.
    private func writeScale(_ scale: JSON, request: APIRequest, key: ObjectKey, existing: StoredObject) throws -> APIResponse {
        let replicas = scale.value(at: ["spec", "replicas"])?.int ?? 0
        // ValidateScale (pkg/apis/autoscaling/validation/validation.go).
        if replicas < 0 {
            throw StatusError.invalid(kind: "Scale", group: "autoscaling", name: key.name,
                                      [.invalid("spec.replicas", number: replicas, "must be greater than or equal to 0")])
        }
        if let name = scale.value(at: ["metadata", "name"])?.string, !name.isEmpty, name != key.name {
            throw StatusError.badRequest("the name of the object (\(name)) does not match the name on the URL (\(key.name))")
        }
        if let version = scale.value(at: ["metadata", "resourceVersion"])?.string, !version.isEmpty,
           version != existing.object.value(at: ["metadata", "resourceVersion"])?.string {
            throw StatusError.modified(key.resource, key.name)
        }
        var object = existing.object
        object.set(["spec", "replicas"], .int(replicas))
        try validate(object, key.resource, old: existing.object)
        var manager = updateManager(request, key.resource)
        manager.subresource = "scale"
        let managers = Ownership.update(existing.managers, old: existing.object, new: object, by: manager, now: ObjectStore.now())
        let response = try commit(request, key: key) { store in
            let (stored, changed) = store.update(key, object: object, managers: managers)
            return (stored, changed, 200)
        }
        var answer = response
        answer.body = ServerCore.scaleView(of: (try? JSON.parse(response.body)) ?? object).serialized()
        return answer
    }

    /// Server-side apply of a Scale: the applier becomes an Apply manager of the Deployment's `.spec.replicas`
    /// with `subresource: scale` (the ScaleHandler maps the Scale's fields onto the parent's).
    private func applyScale(_ request: APIRequest, key: ObjectKey, existing: StoredObject) throws -> APIResponse {
        let scale = try Decoding.object(request.body, as: ServerCore.scaleKind, yaml: true)
        var applied: JSON = ["metadata": ["name": .string(key.name)]]
        if let replicas = scale.value(at: ["spec", "replicas"])?.int {
            if replicas < 0 {
                throw StatusError.invalid(kind: "Scale", group: "autoscaling", name: key.name,
                                          [.invalid("spec.replicas", number: replicas, "must be greater than or equal to 0")])
            }
            applied.set(["spec", "replicas"], .int(replicas))
        }
        let manager = FieldManager(name: request.parameter("fieldManager") ?? "", operation: "Apply",
                                   apiVersion: key.resource.apiVersion, subresource: "scale")
        let result = Ownership.apply(live: existing.object, entries: existing.managers, applied: applied, by: manager,
                                     force: request.parameter("force") == "true", now: ObjectStore.now())
        let (merged, managers): (JSON, [ManagedEntry])
        switch result {
        case .failure(let conflict): throw conflict
        case .success(let value): (merged, managers) = value
        }
        let object = Decoding.normalize(merged, as: key.resource)
        try validate(object, key.resource, old: existing.object)
        let response = try commit(request, key: key) { store in
            let (stored, changed) = store.update(key, object: object, managers: managers)
            return (stored, changed, 200)
        }
        var answer = response
        answer.body = ServerCore.scaleView(of: (try? JSON.parse(response.body)) ?? object).serialized()
        return answer
    }

    /// `scaleFromDeployment`: name, namespace, uid, resourceVersion and creationTimestamp; replicas; the
    /// selector in its string form.
    static func scaleView(of deployment: JSON) -> JSON {
        var metadata: JSON = .object([:])
        for field in ["name", "namespace", "uid", "resourceVersion", "creationTimestamp"] {
            metadata[field] = deployment.value(at: ["metadata", field])
        }
        var spec: JSON = .object([:])
        // ScaleSpec.replicas is omitempty.
        if let replicas = deployment.value(at: ["spec", "replicas"])?.int, replicas != 0 { spec["replicas"] = .int(replicas) }
        var status: JSON = ["replicas": .int(deployment.value(at: ["status", "replicas"])?.int ?? 0)]
        let selector = LabelSelector.string(deployment.value(at: ["spec", "selector"]) ?? .null)
        if !selector.isEmpty { status["selector"] = .string(selector) }
        return ["kind": "Scale", "apiVersion": "autoscaling/v1", "metadata": metadata, "spec": spec, "status": status]
    }
}

extension LabelSelector {
    /// `metav1.LabelSelectorAsSelector(...).String()`: requirements sorted by key, values sorted.
    static func string(_ selector: JSON) -> String {
        var terms: [(String, String)] = []
        for (key, value) in selector["matchLabels"]?.object ?? [:] { terms.append((key, "\(key)=\(value.string ?? "")")) }
        for expression in selector["matchExpressions"]?.array ?? [] {
            let key = expression["key"]?.string ?? ""
            let values = (expression["values"]?.array ?? []).compactMap(\.string).sorted().joined(separator: ",")
            switch expression["operator"]?.string ?? "" {
            case "In": terms.append((key, "\(key) in (\(values))"))
            case "NotIn": terms.append((key, "\(key) notin (\(values))"))
            case "Exists": terms.append((key, key))
            case "DoesNotExist": terms.append((key, "!" + key))
            default: continue
            }
        }
        return terms.sorted { $0.0 < $1.0 }.map(\.1).joined(separator: ",")
    }
}
