/// The defaults the decoder fills in inside a workload, down to the items of its pod template's lists: the
/// generated `SetObjectDefaults_Deployment` and `SetObjectDefaults_CronJob` (pkg/apis/apps/v1/zz_generated.defaults.go,
/// pkg/apis/batch/v1/zz_generated.defaults.go) call `SetDefaults_Deployment` (pkg/apis/apps/v1/defaults.go), then,
/// for the template, `SetDefaults_PodSpec`, `SetDefaults_Volume` and the volume sources', `SetDefaults_Container`,
/// the container ports' `+default="TCP"` protocol, `SetDefaults_ObjectFieldSelector`, `SetDefaults_Probe` and
/// `SetDefaults_HTTPGetAction` (pkg/apis/core/v1/defaults.go). A CronJob's job template gets the pod defaults only:
/// `SetDefaults_Job` takes a Job, not a JobSpec. Defaulting runs on every decoded body, so an object read back
/// after create, update, patch or apply carries them; an applier does not own them (the apply's managed fields
/// come from its configuration, and the defaulter runs on the merged result).
enum WorkloadDefaults {
    /// `SetDefaults_Deployment` and the template's defaults.
    static func deployment(_ object: inout JSON) {
        guard var spec = object["spec"]?.object else { return }
        if spec["replicas"] == nil { spec["replicas"] = 1 }
        var strategy = spec["strategy"]?.object ?? [:]
        if (strategy["type"]?.string ?? "").isEmpty { strategy["type"] = "RollingUpdate" }
        if strategy["type"] == "RollingUpdate" {
            var rolling = strategy["rollingUpdate"]?.object ?? [:]
            if rolling["maxUnavailable"] == nil { rolling["maxUnavailable"] = "25%" }
            if rolling["maxSurge"] == nil { rolling["maxSurge"] = "25%" }
            strategy["rollingUpdate"] = .object(rolling)
        }
        spec["strategy"] = .object(strategy)
        if spec["revisionHistoryLimit"] == nil { spec["revisionHistoryLimit"] = 10 }
        if spec["progressDeadlineSeconds"] == nil { spec["progressDeadlineSeconds"] = 600 }
        if let template = spec["template"], template.object != nil { spec["template"] = podTemplate(template) }
        object["spec"] = .object(spec)
    }

    /// The pod defaults of a CronJob's job template.
    static func cronJob(_ object: inout JSON) {
        let path = ["spec", "jobTemplate", "spec", "template"]
        guard let template = object.value(at: path), template.object != nil else { return }
        object.set(path, podTemplate(template))
    }

    static func podTemplate(_ template: JSON) -> JSON {
        var template = template
        guard let spec = template["spec"], spec.object != nil else { return template }
        template["spec"] = podSpec(spec)
        return template
    }

    /// `SetDefaults_PodSpec` and what the generated defaulter calls for the lists inside it.
    static func podSpec(_ spec: JSON) -> JSON {
        var spec = spec
        let scalars: [(String, JSON)] = [("dnsPolicy", "ClusterFirst"), ("restartPolicy", "Always"),
                                         ("terminationGracePeriodSeconds", 30), ("schedulerName", "default-scheduler")]
        for (field, value) in scalars where spec[field] == nil || spec[field] == "" { spec[field] = value }
        if spec["securityContext"] == nil || spec["securityContext"] == .null { spec["securityContext"] = .object([:]) }
        for list in ["containers", "initContainers"] {
            if let items = spec[list]?.array { spec[list] = .array(items.map(container)) }
        }
        if let volumes = spec["volumes"]?.array { spec["volumes"] = .array(volumes.map(volume)) }
        return spec
    }

    static func container(_ container: JSON) -> JSON {
        guard container.object != nil else { return container }
        var container = container
        if (container["imagePullPolicy"]?.string ?? "").isEmpty {
            container["imagePullPolicy"] = .string(imagePullPolicy(container["image"]?.string ?? ""))
        }
        if (container["terminationMessagePath"]?.string ?? "").isEmpty { container["terminationMessagePath"] = "/dev/termination-log" }
        if (container["terminationMessagePolicy"]?.string ?? "").isEmpty { container["terminationMessagePolicy"] = "File" }
        // Not a default but the encoding: `Container.Resources` is a struct, not a pointer, so encoding/json writes
        // it even when empty (`resources: {}` on every container a real server returns).
        if container["resources"] == nil || container["resources"] == .null { container["resources"] = .object([:]) }
        if let ports = container["ports"]?.array {
            container["ports"] = .array(ports.map { port in
                var port = port
                if port.object != nil, (port["protocol"]?.string ?? "").isEmpty { port["protocol"] = "TCP" }
                return port
            })
        }
        if let env = container["env"]?.array {
            container["env"] = .array(env.map { variable in
                var variable = variable
                if variable.value(at: ["valueFrom", "fieldRef"])?.object != nil,
                   (variable.value(at: ["valueFrom", "fieldRef", "apiVersion"])?.string ?? "").isEmpty {
                    variable.set(["valueFrom", "fieldRef", "apiVersion"], "v1")
                }
                return variable
            })
        }
        for field in ["livenessProbe", "readinessProbe", "startupProbe"] {
            if let probe = container[field], probe.object != nil { container[field] = self.probe(probe) }
        }
        for hook in ["postStart", "preStop"] {
            if let action = container.value(at: ["lifecycle", hook, "httpGet"]), action.object != nil {
                container.set(["lifecycle", hook, "httpGet"], httpGet(action))
            }
        }
        return container
    }

    /// `SetDefaults_Probe`, with `SetDefaults_HTTPGetAction` for an httpGet handler.
    static func probe(_ probe: JSON) -> JSON {
        var probe = probe
        let defaults: [(String, JSON)] = [("timeoutSeconds", 1), ("periodSeconds", 10), ("successThreshold", 1), ("failureThreshold", 3)]
        for (field, value) in defaults where probe[field] == nil || probe[field] == 0 { probe[field] = value }
        if let action = probe["httpGet"], action.object != nil { probe["httpGet"] = httpGet(action) }
        return probe
    }

    static func httpGet(_ action: JSON) -> JSON {
        var action = action
        if (action["path"]?.string ?? "").isEmpty { action["path"] = "/" }
        if (action["scheme"]?.string ?? "").isEmpty { action["scheme"] = "HTTP" }
        return action
    }

    /// The sources a volume may name (`VolumeSource`'s fields, staging/src/k8s.io/api/core/v1/types.go).
    static let volumeSources = ["hostPath", "emptyDir", "gcePersistentDisk", "awsElasticBlockStore", "gitRepo", "secret", "nfs",
                                "iscsi", "glusterfs", "persistentVolumeClaim", "rbd", "flexVolume", "cinder", "cephfs", "flocker",
                                "downwardAPI", "fc", "azureFile", "configMap", "vsphereVolume", "quobyte", "azureDisk",
                                "photonPersistentDisk", "projected", "portworxVolume", "scaleIO", "storageos", "csi", "ephemeral", "image"]

    /// `SetDefaults_Volume` (no source: an emptyDir) and the sources' defaults: `defaultMode` 0644 (420) for
    /// secret, configMap, downwardAPI and projected volumes, a projected token's one-hour expiry, a hostPath's
    /// empty type, a fieldRef's apiVersion.
    static func volume(_ volume: JSON) -> JSON {
        guard let fields = volume.object else { return volume }
        var volume = volume
        if !volumeSources.contains(where: { fields[$0] != nil && fields[$0] != .null }) { volume["emptyDir"] = .object([:]) }
        for source in ["secret", "configMap", "downwardAPI", "projected"] {
            if volume[source]?.object != nil, volume.value(at: [source, "defaultMode"]) == nil || volume.value(at: [source, "defaultMode"]) == .null {
                volume.set([source, "defaultMode"], 420)
            }
        }
        if volume["hostPath"]?.object != nil, volume.value(at: ["hostPath", "type"]) == nil { volume.set(["hostPath", "type"], "") }
        if let items = volume.value(at: ["downwardAPI", "items"])?.array { volume.set(["downwardAPI", "items"], .array(items.map(fieldRefItem))) }
        if let sources = volume.value(at: ["projected", "sources"])?.array {
            volume.set(["projected", "sources"], .array(sources.map { source in
                var source = source
                if source["serviceAccountToken"]?.object != nil, source.value(at: ["serviceAccountToken", "expirationSeconds"]) == nil {
                    source.set(["serviceAccountToken", "expirationSeconds"], 3600)
                }
                if let items = source.value(at: ["downwardAPI", "items"])?.array {
                    source.set(["downwardAPI", "items"], .array(items.map(fieldRefItem)))
                }
                return source
            }))
        }
        return volume
    }

    static func fieldRefItem(_ item: JSON) -> JSON {
        var item = item
        if item["fieldRef"]?.object != nil, (item.value(at: ["fieldRef", "apiVersion"])?.string ?? "").isEmpty {
            item.set(["fieldRef", "apiVersion"], "v1")
        }
        return item
    }

    /// `SetDefaults_Container`: Always for the tag `latest` (what `parsers.ParseImageName`, pkg/util/parsers/parsers.go,
    /// reports for a reference with neither tag nor digest), else IfNotPresent.
    static func imagePullPolicy(_ image: String) -> String {
        guard !image.isEmpty, image == image.trimmingCharacters(in: .whitespaces) else { return "IfNotPresent" }
        let parts = image.split(separator: "@", maxSplits: 1, omittingEmptySubsequences: false)
        let name = String(parts[0])
        let hasDigest = parts.count > 1
        let lastComponent = name.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? name
        var tag = ""
        if let colon = lastComponent.lastIndex(of: ":") { tag = String(lastComponent[lastComponent.index(after: colon)...]) }
        if tag.isEmpty && !hasDigest { tag = "latest" }
        return tag == "latest" ? "Always" : "IfNotPresent"
    }
}
