/// The field labels each kind's `fieldSelector` accepts, and their values in an object. The list handler turns an
/// unsupported label into 400 with the conversion function's error (`ConvertFieldLabel` in handlers/get.go).
enum FieldSelectors {
    /// A kind's selectable fields and the wording of its refusal.
    struct Rule {
        let labels: [String]
        let refusal: (String) -> String
    }

    static func rule(_ resource: Resource) -> Rule {
        // AddFieldLabelConversionsForSecret, ...ForService, ...ForNamespace (pkg/apis/core/v1/conversion.go).
        let notSupported = { (label: String) in "field label not supported: \(label)" }
        switch resource {
        case .secrets: return Rule(labels: ["type", "metadata.namespace", "metadata.name"], refusal: notSupported)
        case .services: return Rule(labels: ["metadata.namespace", "metadata.name", "spec.clusterIP", "spec.type"], refusal: notSupported)
        case .namespaces: return Rule(labels: ["status.phase", "metadata.name"], refusal: notSupported)
        default:
            // Kinds without a conversion function (ConfigMaps, Deployments, CronJobs, Leases, ...) get
            // DefaultMetaV1FieldSelectorConversion (apimachinery pkg/runtime/conversion.go).
            return Rule(labels: ["metadata.name", "metadata.namespace"]) { label in
                "\(FieldError.goQuote(label)) is not a known field selector: only \"metadata.name\", \"metadata.namespace\""
            }
        }
    }

    /// The selectable fields of `object` (the registries' `...ToSelectableFields`, pkg/registry/core/*/strategy.go).
    static func values(of object: JSON, as resource: Resource) -> [String: String] {
        var fields: [String: String] = [:]
        for label in rule(resource).labels {
            fields[label] = object.value(at: label.split(separator: ".").map(String.init))?.string ?? ""
        }
        return fields
    }
}
