import Foundation

/// Validation of what every object carries and of the data kinds (ConfigMap, Secret), as the real
/// registry strategies run it; `Validation.validate` picks the rules for a resource.
enum Validation {
    /// Both ConfigMaps and Secrets are capped at 1 MiB of values (`corev1.MaxSecretSize`).
    static let maxDataSize = 1_048_576
    /// `TotalAnnotationSizeLimitB`: keys plus values.
    static let maxAnnotationsSize = 262_144

    static func validate(_ object: JSON, as resource: Resource) -> [FieldError] {
        var errors: [FieldError]
        switch resource {
        case .configMaps: errors = meta(object, nameRule: NameRules.dns1123Subdomain, namespaced: true) + configMap(object)
        case .secrets: errors = meta(object, nameRule: NameRules.dns1123Subdomain, namespaced: true) + secret(object)
        case .services: errors = meta(object, nameRule: NameRules.dns1035Label, namespaced: true) + service(object)
        case .deployments: errors = meta(object, nameRule: NameRules.dns1123Subdomain, namespaced: true) + deployment(object)
        case .cronJobs: errors = meta(object, nameRule: NameRules.dns1123Subdomain, namespaced: true) + cronJob(object)
        case .namespaces: errors = meta(object, nameRule: NameRules.dns1123Label, namespaced: false)
        case .leases: errors = meta(object, nameRule: NameRules.dns1123Subdomain, namespaced: true) + lease(object)
        case .runtimeClasses: errors = meta(object, nameRule: NameRules.dns1123Subdomain, namespaced: false) + runtimeClass(object)
        default: errors = meta(object, nameRule: NameRules.dns1123Subdomain, namespaced: resource.namespaced)
        }
        return errors
    }

    /// The strategies' `ValidateUpdate` rules beyond `validate` of the new object.
    static func validateUpdate(_ object: JSON, old: JSON, as resource: Resource) -> [FieldError] {
        switch resource {
        case .configMaps, .secrets: return immutableData(object, old: old, resource: resource)
        default: return []
        }
    }

    /// `ValidateConfigMapUpdate` and `ValidateSecretUpdate` (pkg/apis/core/validation/validation.go): once
    /// `immutable` is true, it and the data stay as they are.
    static func immutableData(_ object: JSON, old: JSON, resource: Resource) -> [FieldError] {
        guard old["immutable"]?.bool == true else { return [] }
        let message = "field is immutable when `immutable` is set"
        var errors: [FieldError] = []
        if object["immutable"]?.bool != true { errors.append(.forbidden("immutable", message)) }
        for field in resource == .configMaps ? ["data", "binaryData"] : ["data"] where object[field] != old[field] {
            errors.append(.forbidden(field, message))
        }
        return errors
    }

    static func meta(_ object: JSON, nameRule: (String) -> [String], namespaced: Bool) -> [FieldError] {
        var errors: [FieldError] = []
        let name = object.value(at: ["metadata", "name"])?.string ?? ""
        if name.isEmpty {
            errors.append(.required("metadata.name", "name or generateName is required"))
        } else {
            errors += nameRule(name).map { .invalid("metadata.name", name, $0) }
        }
        let namespace = object.value(at: ["metadata", "namespace"])?.string ?? ""
        if namespaced {
            if namespace.isEmpty {
                errors.append(.required("metadata.namespace"))
            } else {
                errors += NameRules.dns1123Label(namespace).map { .invalid("metadata.namespace", namespace, $0) }
            }
        } else if !namespace.isEmpty {
            errors.append(.forbidden("metadata.namespace", "not allowed on this type"))
        }
        errors += labels(object.value(at: ["metadata", "labels"]), field: "metadata.labels")
        errors += annotations(object.value(at: ["metadata", "annotations"]))
        return errors
    }

    static func labels(_ value: JSON?, field: String) -> [FieldError] {
        var errors: [FieldError] = []
        for (key, value) in (value?.object ?? [:]).sorted(by: { $0.key < $1.key }) {
            errors += NameRules.qualifiedName(key).map { .invalid(field, key, $0) }
            let text = value.string ?? ""
            errors += NameRules.labelValue(text).map { .invalid(field, text, $0) }
        }
        return errors
    }

    static func annotations(_ value: JSON?) -> [FieldError] {
        var errors: [FieldError] = []
        var total = 0
        for (key, value) in (value?.object ?? [:]).sorted(by: { $0.key < $1.key }) {
            errors += NameRules.qualifiedName(key.lowercased()).map { .invalid("metadata.annotations", key, $0) }
            total += key.utf8.count + (value.string?.utf8.count ?? 0)
        }
        if total > maxAnnotationsSize { errors.append(.tooLong("metadata.annotations", max: maxAnnotationsSize)) }
        return errors
    }

    /// `ValidateConfigMap`: key format in both bags, no key in both, values (not keys) count toward 1 MiB.
    static func configMap(_ object: JSON) -> [FieldError] {
        var errors: [FieldError] = []
        let data = object["data"]?.object ?? [:]
        let binary = object["binaryData"]?.object ?? [:]
        var total = 0
        for (key, value) in data.sorted(by: { $0.key < $1.key }) {
            errors += NameRules.configMapKey(key).map { .invalid("data[\(key)]", key, $0) }
            if binary[key] != nil { errors.append(.invalid("data[\(key)]", key, "duplicate of key present in binaryData")) }
            total += value.string?.utf8.count ?? 0
        }
        for (key, value) in binary.sorted(by: { $0.key < $1.key }) {
            errors += NameRules.configMapKey(key).map { .invalid("binaryData[\(key)]", key, $0) }
            total += Data(base64Encoded: value.string ?? "")?.count ?? 0
        }
        // The real path is field.NewPath(""), which prints as "[]".
        if total > maxDataSize { errors.append(.tooLong("[]", max: maxDataSize)) }
        return errors
    }

    /// `ValidateSecret`: key format and decoded value bytes toward 1 MiB.
    static func secret(_ object: JSON) -> [FieldError] {
        var errors: [FieldError] = []
        var total = 0
        for (key, value) in (object["data"]?.object ?? [:]).sorted(by: { $0.key < $1.key }) {
            errors += NameRules.configMapKey(key).map { .invalid("data[\(key)]", key, $0) }
            total += Data(base64Encoded: value.string ?? "")?.count ?? 0
        }
        if total > maxDataSize { errors.append(.tooLong("data", max: maxDataSize)) }
        return errors
    }

    static func runtimeClass(_ object: JSON) -> [FieldError] {
        let handler = object["handler"]?.string ?? ""
        if handler.isEmpty { return [.required("handler")] }
        return NameRules.dns1123Label(handler).map { .invalid("handler", handler, $0) }
    }
}
