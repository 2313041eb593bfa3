/// Validation of Deployments, pod templates, Services and CronJobs (`pkg/apis/apps|core|batch/validation`).
extension Validation {
    static func deployment(_ object: JSON) -> [FieldError] {
        var errors: [FieldError] = []
        let spec = object["spec"] ?? .object([:])
        if let replicas = spec["replicas"]?.int, replicas < 0 {
            errors.append(.invalid("spec.replicas", number: replicas, "must be greater than or equal to 0"))
        }
        let selector = spec["selector"]
        if selector == nil || selector == .null {
            errors.append(.required("spec.selector"))
        } else {
            errors += labels(selector?["matchLabels"], field: "spec.selector.matchLabels")
            if (selector?["matchLabels"]?.object ?? [:]).isEmpty && (selector?["matchExpressions"]?.array ?? []).isEmpty {
                errors.append(FieldError(kind: .invalid, field: "spec.selector", value: .raw(selector!.text()),
                                         detail: "empty selector is invalid for deployment"))
            }
        }
        errors += podTemplate(spec["template"], selector: selector, field: "spec.template")
        return errors
    }

    static func podTemplate(_ template: JSON?, selector: JSON?, field: String) -> [FieldError] {
        guard let template, template != .null else { return [.required(field)] }
        var errors: [FieldError] = []
        let templateLabels = template.value(at: ["metadata", "labels"]) ?? .object([:])
        if let selector, selector != .null, !LabelSelector.isEmpty(selector),
           !LabelSelector.matches(selector, labels: templateLabels.object ?? [:]) {
            // ValidatePodTemplateSpecForDeployment (pkg/apis/apps/validation/validation.go) passes the labels map,
            // which field.Error prints with Go's %#v.
            errors.append(FieldError(kind: .invalid, field: "\(field).metadata.labels",
                                     value: .raw(Validation.goMapLiteral(template.value(at: ["metadata", "labels"]))),
                                     detail: "`selector` does not match template `labels`"))
        }
        errors += labels(template.value(at: ["metadata", "labels"]), field: "\(field).metadata.labels")
        errors += podSpec(template["spec"] ?? .object([:]), field: "\(field).spec")
        let restartPolicy = template.value(at: ["spec", "restartPolicy"])?.string ?? "Always"
        if restartPolicy != "Always" {
            errors.append(.notSupported("\(field).spec.restartPolicy", restartPolicy, supported: ["Always"]))
        }
        return errors
    }

    /// Go's `%#v` of a `map[string]string`: keys sorted, `map[string]string(nil)` when absent.
    static func goMapLiteral(_ value: JSON?) -> String {
        guard let fields = value?.object else { return "map[string]string(nil)" }
        let entries = fields.sorted { $0.key < $1.key }.map { "\(FieldError.goQuote($0.key)):\(FieldError.goQuote($0.value.string ?? ""))" }
        return "map[string]string{" + entries.joined(separator: ", ") + "}"
    }

    static func podSpec(_ spec: JSON, field: String) -> [FieldError] {
        var errors: [FieldError] = []
        var volumeNames: [String] = []
        for (i, volume) in (spec["volumes"]?.array ?? []).enumerated() {
            let name = volume["name"]?.string ?? ""
            let path = "\(field).volumes[\(i)]"
            if name.isEmpty { errors.append(.required("\(path).name")) }
            else if volumeNames.contains(name) { errors.append(.duplicate("\(path).name", name)) }
            else { errors += NameRules.dns1123Label(name).map { .invalid("\(path).name", name, $0) } }
            volumeNames.append(name)
            for source in ["configMap", "secret"] {
                for (j, item) in (volume[source]?["items"]?.array ?? []).enumerated() {
                    let itemPath = "\(path).\(source).items[\(j)]"
                    if (item["key"]?.string ?? "").isEmpty { errors.append(.required("\(itemPath).key")) }
                    let target = item["path"]?.string ?? ""
                    if target.isEmpty { errors.append(.required("\(itemPath).path")) }
                    else if target.hasPrefix("/") { errors.append(.invalid("\(itemPath).path", target, "must be a relative path")) }
                    else if target.split(separator: "/").contains("..") {
                        errors.append(.invalid("\(itemPath).path", target, "must not contain '..'"))
                    }
                }
            }
        }
        let containers = spec["containers"]?.array ?? []
        if containers.isEmpty { errors.append(.required("\(field).containers")) }
        var containerNames: [String] = []
        for (i, container) in containers.enumerated() {
            let path = "\(field).containers[\(i)]"
            let name = container["name"]?.string ?? ""
            if name.isEmpty { errors.append(.required("\(path).name")) }
            else if containerNames.contains(name) { errors.append(.duplicate("\(path).name", name)) }
            else { errors += NameRules.dns1123Label(name).map { .invalid("\(path).name", name, $0) } }
            containerNames.append(name)
            if (container["image"]?.string ?? "").isEmpty { errors.append(.required("\(path).image")) }
            for (j, port) in (container["ports"]?.array ?? []).enumerated() {
                let number = port["containerPort"]?.int ?? 0
                if !(1...65535).contains(number) {
                    errors.append(.invalid("\(path).ports[\(j)].containerPort", number: number, NameRules.portRangeError))
                }
            }
            for (j, mount) in (container["volumeMounts"]?.array ?? []).enumerated() {
                let mountName = mount["name"]?.string ?? ""
                if mountName.isEmpty { errors.append(.required("\(path).volumeMounts[\(j)].name")) }
                else if !volumeNames.contains(mountName) { errors.append(.notFound("\(path).volumeMounts[\(j)].name", mountName)) }
                if (mount["mountPath"]?.string ?? "").isEmpty { errors.append(.required("\(path).volumeMounts[\(j)].mountPath")) }
            }
        }
        return errors
    }

    static func service(_ object: JSON) -> [FieldError] {
        var errors: [FieldError] = []
        let type = object.value(at: ["spec", "type"])?.string ?? "ClusterIP"
        let ports = object.value(at: ["spec", "ports"])?.array ?? []
        if ports.isEmpty && type != "ExternalName" && object.value(at: ["spec", "clusterIP"])?.string != "None" {
            errors.append(.required("spec.ports"))
        }
        var names: [String] = []
        for (i, port) in ports.enumerated() {
            let path = "spec.ports[\(i)]"
            let name = port["name"]?.string ?? ""
            if ports.count > 1 && name.isEmpty { errors.append(.required("\(path).name")) }
            if !name.isEmpty && names.contains(name) { errors.append(.duplicate("\(path).name", name)) }
            names.append(name)
            let number = port["port"]?.int ?? 0
            if !(1...65535).contains(number) { errors.append(.invalid("\(path).port", number: number, NameRules.portRangeError)) }
            if let target = port["targetPort"]?.int, !(1...65535).contains(target) {
                errors.append(.invalid("\(path).targetPort", number: target, NameRules.portRangeError))
            }
        }
        let supported = ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"]
        if !supported.contains(type) { errors.append(.notSupported("spec.type", type, supported: supported)) }
        return errors
    }

    static func cronJob(_ object: JSON) -> [FieldError] {
        var errors: [FieldError] = []
        let name = object.value(at: ["metadata", "name"])?.string ?? ""
        // The controller appends an 11-character suffix to job names, which are capped at 63.
        if name.utf8.count > 52 { errors.append(.invalid("metadata.name", name, "must be no more than 52 characters")) }
        let schedule = object.value(at: ["spec", "schedule"])?.string ?? ""
        if schedule.isEmpty {
            errors.append(.required("spec.schedule"))
        } else {
            errors += CronSchedule.problems(schedule).map { .invalid("spec.schedule", schedule, $0) }
        }
        let policy = object.value(at: ["spec", "concurrencyPolicy"])?.string ?? "Allow"
        if !["Allow", "Forbid", "Replace"].contains(policy) {
            errors.append(.notSupported("spec.concurrencyPolicy", policy, supported: ["Allow", "Forbid", "Replace"]))
        }
        let template = object.value(at: ["spec", "jobTemplate", "spec", "template"])
        guard let template else { return errors + [.required("spec.jobTemplate.spec.template")] }
        let field = "spec.jobTemplate.spec.template"
        errors += labels(template.value(at: ["metadata", "labels"]), field: "\(field).metadata.labels")
        errors += podSpec(template["spec"] ?? .object([:]), field: "\(field).spec")
        // validateJobSpec (pkg/apis/batch/validation/validation.go): restartPolicy defaults to Always, and Always or
        // empty is reported as required.
        let restartPolicy = template.value(at: ["spec", "restartPolicy"])?.string ?? ""
        if ["", "Always"].contains(restartPolicy) {
            errors.append(.required("\(field).spec.restartPolicy", #"valid values: "OnFailure", "Never""#))
        } else if !["OnFailure", "Never"].contains(restartPolicy) {
            errors.append(.notSupported("\(field).spec.restartPolicy", restartPolicy, supported: ["OnFailure", "Never"]))
        }
        return errors
    }
}
