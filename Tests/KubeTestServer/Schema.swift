/// The fields each served kind declares (the Go types of k8s.io/api v0.32, which the OpenAPI schema and
/// structured-merge-diff's typed converter mirror), so unknown fields are found as the real decoders find
/// them. Sub-structures written `.open` are not modelled: anything inside them is accepted.
indirect enum Schema: Sendable {
    case scalar
    case open
    /// A map with string keys (labels, data).
    case map(Schema)
    case list(Schema)
    case object([String: Schema])

    static func fields(_ names: [String], _ typed: [String: Schema] = [:]) -> Schema {
        var all = Dictionary(uniqueKeysWithValues: names.map { ($0, Schema.scalar) })
        for (name, schema) in typed { all[name] = schema }
        return .object(all)
    }

    static let strings = Schema.map(.scalar)

    static let objectMeta = fields(
        ["name", "generateName", "namespace", "selfLink", "uid", "resourceVersion", "generation", "creationTimestamp",
         "deletionTimestamp", "deletionGracePeriodSeconds"],
        ["labels": strings, "annotations": strings, "finalizers": .list(.scalar), "ownerReferences": .list(.open),
         "managedFields": .list(.open)])

    static let labelSelector = fields([], ["matchLabels": strings,
                                            "matchExpressions": .list(fields(["key", "operator"], ["values": .list(.scalar)]))])

    static let keyToPath = fields(["key", "path", "mode"])

    static let volume: Schema = {
        let open = ["hostPath", "gcePersistentDisk", "awsElasticBlockStore", "gitRepo", "nfs", "iscsi", "glusterfs",
                    "persistentVolumeClaim", "rbd", "flexVolume", "cinder", "cephfs", "flocker", "downwardAPI", "fc",
                    "azureFile", "vsphereVolume", "quobyte", "azureDisk", "photonPersistentDisk", "projected",
                    "portworxVolume", "scaleIO", "storageos", "csi", "ephemeral", "image"]
        var typed = Dictionary(uniqueKeysWithValues: open.map { ($0, Schema.open) })
        typed["configMap"] = fields(["name", "defaultMode", "optional"], ["items": .list(keyToPath)])
        typed["secret"] = fields(["secretName", "defaultMode", "optional"], ["items": .list(keyToPath)])
        typed["emptyDir"] = fields(["medium", "sizeLimit"])
        return fields(["name"], typed)
    }()

    static let container = fields(
        ["name", "image", "workingDir", "restartPolicy", "terminationMessagePath", "terminationMessagePolicy",
         "imagePullPolicy", "stdin", "stdinOnce", "tty"],
        ["command": .list(.scalar), "args": .list(.scalar),
         "ports": .list(fields(["name", "hostPort", "containerPort", "protocol", "hostIP"])),
         "envFrom": .list(.open),
         "env": .list(fields(["name", "value"], ["valueFrom": .open])),
         "resources": fields([], ["limits": strings, "requests": strings, "claims": .list(.open)]),
         "resizePolicy": .list(.open),
         "volumeMounts": .list(fields(["name", "readOnly", "recursiveReadOnly", "mountPath", "subPath",
                                       "mountPropagation", "subPathExpr"])),
         "volumeDevices": .list(.open), "livenessProbe": .open, "readinessProbe": .open, "startupProbe": .open,
         "lifecycle": .open, "securityContext": .open])

    static let podSpec = fields(
        ["restartPolicy", "terminationGracePeriodSeconds", "activeDeadlineSeconds", "dnsPolicy", "serviceAccountName",
         "serviceAccount", "automountServiceAccountToken", "nodeName", "hostNetwork", "hostPID", "hostIPC",
         "shareProcessNamespace", "hostname", "subdomain", "schedulerName", "priorityClassName", "priority",
         "runtimeClassName", "enableServiceLinks", "preemptionPolicy", "setHostnameAsFQDN", "hostUsers"],
        ["volumes": .list(volume), "initContainers": .list(container), "containers": .list(container),
         "ephemeralContainers": .list(.open), "nodeSelector": strings, "securityContext": .open,
         "imagePullSecrets": .list(fields(["name"])), "affinity": .open, "tolerations": .list(.open),
         "hostAliases": .list(.open), "dnsConfig": .open, "readinessGates": .list(.open), "overhead": strings,
         "topologySpreadConstraints": .list(.open), "os": .open, "schedulingGates": .list(.open),
         "resourceClaims": .list(.open), "resources": .open])

    static let podTemplate = fields([], ["metadata": objectMeta, "spec": podSpec])

    static let jobSpec = fields(
        ["parallelism", "completions", "activeDeadlineSeconds", "backoffLimit", "backoffLimitPerIndex", "maxFailedIndexes",
         "manualSelector", "ttlSecondsAfterFinished", "completionMode", "suspend", "podReplacementPolicy", "managedBy"],
        ["podFailurePolicy": .open, "successPolicy": .open, "selector": labelSelector, "template": podTemplate])

    static func top(_ fields: [String: Schema]) -> Schema {
        var all: [String: Schema] = ["apiVersion": .scalar, "kind": .scalar, "metadata": objectMeta, "status": .open]
        for (name, schema) in fields { all[name] = schema }
        return .object(all)
    }

    /// The schema of a kind, or nil when this server does not model it (nothing is then reported unknown).
    static func of(_ resource: Resource) -> Schema? {
        switch resource {
        case .configMaps: return top(["data": strings, "binaryData": strings, "immutable": .scalar])
        case .secrets: return top(["data": strings, "stringData": strings, "type": .scalar, "immutable": .scalar])
        case .namespaces: return top(["spec": fields([], ["finalizers": .list(.scalar)])])
        case .services:
            return top(["spec": fields(
                ["clusterIP", "type", "sessionAffinity", "loadBalancerIP", "externalName", "externalTrafficPolicy",
                 "healthCheckNodePort", "publishNotReadyAddresses", "ipFamilyPolicy", "allocateLoadBalancerNodePorts",
                 "loadBalancerClass", "internalTrafficPolicy", "trafficDistribution"],
                ["ports": .list(fields(["name", "protocol", "appProtocol", "port", "targetPort", "nodePort"])),
                 "selector": strings, "clusterIPs": .list(.scalar), "externalIPs": .list(.scalar),
                 "loadBalancerSourceRanges": .list(.scalar), "sessionAffinityConfig": .open, "ipFamilies": .list(.scalar)])])
        case .deployments:
            return top(["spec": fields(
                ["replicas", "minReadySeconds", "revisionHistoryLimit", "paused", "progressDeadlineSeconds"],
                ["selector": labelSelector, "template": podTemplate,
                 "strategy": fields(["type"], ["rollingUpdate": fields(["maxUnavailable", "maxSurge"])])])])
        case .cronJobs:
            return top(["spec": fields(
                ["schedule", "timeZone", "startingDeadlineSeconds", "concurrencyPolicy", "suspend",
                 "successfulJobsHistoryLimit", "failedJobsHistoryLimit"],
                ["jobTemplate": fields([], ["metadata": objectMeta, "spec": jobSpec])])])
        case .leases:
            return top(["spec": fields(["holderIdentity", "leaseDurationSeconds", "acquireTime", "renewTime",
                                        "leaseTransitions", "strategy", "preferredHolder"])])
        case .runtimeClasses: return top(["handler": .scalar, "overhead": .open, "scheduling": .open])
        default: return nil
        }
    }

    /// One field the schema does not declare, named as the strict JSON decoder names it (`spec.containers[0].x`,
    /// sigs.k8s.io/json) and as structured-merge-diff's typed converter does (`.spec.containers[name="a"].x`).
    struct Unknown: Sendable {
        let decoderPath: String
        let typedPath: String
    }

    /// Removes the fields the schema does not declare, reporting each.
    func prune(_ value: JSON, decoderPath: String = "", typedPath: String = "", field: String = "",
               into unknown: inout [Unknown]) -> JSON {
        switch (self, value) {
        case (.object(let declared), .object(let fields)):
            var kept: [String: JSON] = [:]
            for (name, child) in fields {
                let decoder = decoderPath.isEmpty ? name : decoderPath + "." + name
                guard let schema = declared[name] else {
                    unknown.append(Unknown(decoderPath: decoder, typedPath: typedPath + "." + name))
                    continue
                }
                kept[name] = schema.prune(child, decoderPath: decoder, typedPath: typedPath + "." + name, field: name, into: &unknown)
            }
            return .object(kept)
        case (.map(let element), .object(let fields)):
            var kept: [String: JSON] = [:]
            for (name, child) in fields {
                kept[name] = element.prune(child, decoderPath: decoderPath + "." + name, typedPath: typedPath + "." + name, into: &unknown)
            }
            return .object(kept)
        case (.list(let element), .array(let items)):
            let keys = FieldPath.listKeys(field: field, items: items)
            return .array(items.enumerated().map { index, item in
                let typed = keys.map { FieldPath([.key(FieldPath.key(of: item, keys: $0))]).description } ?? "[\(index)]"
                return element.prune(item, decoderPath: decoderPath + "[\(index)]", typedPath: typedPath + typed, into: &unknown)
            })
        default:
            return value
        }
    }
}

/// Unknown fields in request bodies, by `fieldValidation` (staging/src/k8s.io/apiserver/pkg/endpoints/handlers/
/// create.go, update.go and patch.go; an absent directive is `Warn`, see `fieldValidation` in handlers/rest.go).
extension ServerCore {
    enum BodyKind { case decoded, patched }

    /// The object without its unknown fields and the `Warning` headers to send; `Strict` refuses them with 400.
    func dropUnknownFields(_ object: JSON, _ request: APIRequest, _ resource: Resource, _ kind: BodyKind) throws -> (JSON, [(String, String)]) {
        guard let schema = Schema.of(resource) else { return (object, []) }
        var unknown: [Schema.Unknown] = []
        let pruned = schema.prune(object, into: &unknown)
        guard !unknown.isEmpty else { return (object, []) }
        let messages = unknown.map(\.decoderPath).sorted().map { "unknown field \(FieldError.goQuote($0))" }
        switch request.parameter("fieldValidation") ?? "" {
        case "Strict":
            let strict = "strict decoding error: " + messages.joined(separator: ", ")
            switch kind {
            case .decoded:
                throw StatusError.badRequest("\(resource.kind) in version \(FieldError.goQuote(resource.version)) cannot be handled as a \(resource.kind): \(strict)")
            case .patched:
                throw StatusError.badRequest(strict)
            }
        case "Ignore":
            return (pruned, [])
        default:
            // `addStrictDecodingWarnings`: one `299` warning per field (staging/src/k8s.io/apiserver/pkg/warning).
            return (pruned, messages.map { ("Warning", "299 - " + FieldError.goQuote($0)) })
        }
    }

    /// An apply configuration is converted to a typed value whatever `fieldValidation` says, and a field the
    /// schema lacks fails that conversion (`structuredMergeManager.Apply`, managedfields/internal/structuredmerge.go;
    /// `field not declared in schema`, sigs.k8s.io/structured-merge-diff typed/validate.go): not a Status, so 500.
    func refuseUnknownApplyFields(_ applied: JSON, _ resource: Resource) throws {
        guard let schema = Schema.of(resource) else { return }
        var unknown: [Schema.Unknown] = []
        _ = schema.prune(applied, into: &unknown)
        guard !unknown.isEmpty else { return }
        let errors = unknown.map { "\($0.typedPath): field not declared in schema" }.sorted()
        let text = errors.count == 1 ? errors[0] : (["errors:"] + errors.map { "  " + $0 }).joined(separator: "\n")
        let namespace = applied.value(at: ["metadata", "namespace"])?.string ?? ""
        let name = applied.value(at: ["metadata", "name"])?.string ?? ""
        throw StatusError(code: 500, reason: "",
                          message: "failed to create typed patch object (\(namespace)/\(name); \(resource.group)/\(resource.version), Kind=\(resource.kind)): \(text)")
    }
}
