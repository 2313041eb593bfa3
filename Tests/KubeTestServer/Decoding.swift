import Foundation

/// Turning a request body into a stored object the way the real decoder and registry do:
/// type checks, base64 data, and the defaults clients rely on.
enum Decoding {
    static func object(_ body: Data, as resource: Resource, yaml: Bool = false) throws -> JSON {
        // The real server reads apply bodies with a YAML parser, which refuses these even in JSON strings.
        if yaml, hasYAMLForbiddenCharacter(body) {
            throw StatusError.badRequest("error converting YAML to JSON: yaml: control characters are not allowed")
        }
        let parsed: JSON
        do {
            parsed = try JSON.parse(body)
        } catch {
            guard yaml, let document = try? YAMLBody.parse(String(decoding: body, as: UTF8.self)) else {
                throw StatusError.badRequest("the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf")
            }
            parsed = document
        }
        guard case .object = parsed else {
            throw StatusError.badRequest("\(resource.kind) in version \"\(resource.version)\" cannot be handled as a \(resource.kind): cannot unmarshal into an object")
        }
        if let apiVersion = parsed["apiVersion"]?.string, apiVersion != resource.apiVersion {
            throw StatusError.badRequest("the API version in the data (\(apiVersion)) does not match the expected API version (\(resource.apiVersion))")
        }
        if let kind = parsed["kind"]?.string, kind != resource.kind {
            throw StatusError.badRequest("\(kind) in version \"\(resource.version)\" cannot be handled as a \(resource.kind): no kind \"\(kind)\" is registered for version \"\(resource.apiVersion)\"")
        }
        var object = parsed
        object["apiVersion"] = .string(resource.apiVersion)
        object["kind"] = .string(resource.kind)
        for field in base64Fields(resource) {
            for (_, value) in object[field]?.object ?? [:] {
                if let problem = base64Problem(value.string ?? "") {
                    throw StatusError.badRequest("\(resource.kind) in version \"\(resource.version)\" cannot be handled as a \(resource.kind): \(problem)")
                }
            }
        }
        // Apply bodies go to structured-merge-diff's typed converter instead, whose type errors are not modelled.
        if !yaml, let problem = DecodedTypes.mismatch(in: object, as: resource) {
            throw StatusError.badRequest("\(resource.kind) in version \"\(resource.version)\" cannot be handled as a \(resource.kind): \(problem)")
        }
        try checkTimes(object, as: resource)
        return yaml ? object : DecodedTypes.emptyingNulls(object, as: resource)
    }

    /// Fields whose Go type decodes strictly from a string: a Lease's MicroTimes. Patched objects are decoded
    /// again on the server, so patches meet this too.
    static func checkTimes(_ object: JSON, as resource: Resource) throws {
        guard resource == .leases else { return }
        for field in ["acquireTime", "renewTime"] {
            if let text = object.value(at: ["spec", field])?.string, let problem = MicroTime.problem(text) {
                throw StatusError.badRequest("\(resource.kind) in version \"\(resource.version)\" cannot be handled as a \(resource.kind): \(problem)")
            }
        }
    }

    /// Characters outside the YAML reader's accepted set: C0 controls but tab, LF and CR; DEL; the
    /// C1 controls but NEL; U+FFFE and U+FFFF.
    static func hasYAMLForbiddenCharacter(_ body: Data) -> Bool {
        for scalar in String(decoding: body, as: UTF8.self).unicodeScalars {
            switch scalar.value {
            case 0x09, 0x0A, 0x0D, 0x85: continue
            case 0x00...0x1F, 0x7F...0x9F, 0xFFFE, 0xFFFF: return true
            default: continue
            }
        }
        return false
    }

    static func base64Fields(_ resource: Resource) -> [String] {
        switch resource {
        case .secrets: ["data"]
        case .configMaps: ["binaryData"]
        default: []
        }
    }

    /// Go's `illegal base64 data at input byte N`, nil when the text decodes.
    static func base64Problem(_ text: String) -> String? {
        if Data(base64Encoded: text) != nil { return nil }
        let alphabet = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
        for (index, c) in text.enumerated() where !alphabet.contains(c) && c != "=" {
            return "illegal base64 data at input byte \(index)"
        }
        return "illegal base64 data at input byte \(text.count - text.count % 4)"
    }

    /// What the registry does before validation: Secret `stringData` folds into `data`, types default.
    static func normalize(_ object: JSON, as resource: Resource) -> JSON {
        var object = object
        // A null `creationTimestamp` in a template (what the server writes, `StoredObject.encoded`) decodes to the
        // zero time: nothing.
        for path in [["spec", "template"], ["spec", "jobTemplate"], ["spec", "jobTemplate", "spec", "template"]]
        where object.value(at: path + ["metadata", "creationTimestamp"]) == .null {
            object.set(path + ["metadata", "creationTimestamp"], nil)
            if object.value(at: path + ["metadata"]) == .object([:]) { object.set(path + ["metadata"], nil) }
        }
        switch resource {
        case .secrets:
            if let strings = object["stringData"]?.object {
                var data = object["data"]?.object ?? [:]
                for (key, value) in strings { data[key] = .string(Data((value.string ?? "").utf8).base64EncodedString()) }
                object["data"] = .object(data)
                object["stringData"] = nil
            }
            if object["type"] == nil { object["type"] = "Opaque" }
        case .namespaces:
            // SetDefaults_Namespace (pkg/apis/core/v1/defaults.go) and the strategy's Canonicalize: every named
            // namespace carries its name as the `kubernetes.io/metadata.name` label.
            if let name = object.value(at: ["metadata", "name"])?.string, !name.isEmpty {
                object.set(["metadata", "labels", "kubernetes.io/metadata.name"], .string(name))
            }
        case .services:
            // SetDefaults_Service (pkg/apis/core/v1/defaults.go).
            if object.value(at: ["spec", "type"]) == nil { object.set(["spec", "type"], "ClusterIP") }
            let type = object.value(at: ["spec", "type"])?.string ?? ""
            if object.value(at: ["spec", "sessionAffinity"]) == nil { object.set(["spec", "sessionAffinity"], "None") }
            if object.value(at: ["spec", "sessionAffinity"]) == "None" { object.set(["spec", "sessionAffinityConfig"], nil) }
            if type == "LoadBalancer", object.value(at: ["spec", "allocateLoadBalancerNodePorts"]) == nil {
                object.set(["spec", "allocateLoadBalancerNodePorts"], true)
            }
            if ["ClusterIP", "NodePort", "LoadBalancer"].contains(type), object.value(at: ["spec", "internalTrafficPolicy"]) == nil {
                object.set(["spec", "internalTrafficPolicy"], "Cluster")
            }
            if ["NodePort", "LoadBalancer"].contains(type), object.value(at: ["spec", "externalTrafficPolicy"]) == nil {
                object.set(["spec", "externalTrafficPolicy"], "Cluster")
            }
            if var ports = object.value(at: ["spec", "ports"])?.array {
                for index in ports.indices {
                    if ports[index]["protocol"] == nil { ports[index]["protocol"] = "TCP" }
                    if ports[index]["targetPort"] == nil { ports[index]["targetPort"] = ports[index]["port"] }
                }
                object.set(["spec", "ports"], .array(ports))
            }
        case .leases:
            for field in ["acquireTime", "renewTime"] {
                if let text = object.value(at: ["spec", field])?.string { object.set(["spec", field], .string(MicroTime.utc(text))) }
            }
        case .cronJobs:
            // SetDefaults_CronJob (pkg/apis/batch/v1/defaults.go).
            let defaults: [(String, JSON)] = [("concurrencyPolicy", "Allow"), ("suspend", false),
                                              ("successfulJobsHistoryLimit", 3), ("failedJobsHistoryLimit", 1)]
            for (field, value) in defaults where object.value(at: ["spec", field]) == nil { object.set(["spec", field], value) }
            WorkloadDefaults.cronJob(&object)
        case .deployments:
            WorkloadDefaults.deployment(&object)
        default:
            break
        }
        return object
    }
}
