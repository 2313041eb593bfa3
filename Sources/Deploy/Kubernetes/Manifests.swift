import Foundation
import KubeClient
import WorkflowBundle

/// Builds the typed objects of one workflow from a `ManifestInput`.
public enum Manifests {
    public static let enginePort = 8080
    public static let triggerImage = "curlimages/curl:8.11.1"
    /// The deployed commit, on the Deployment's metadata.
    public static let commitAnnotation = "pipedreamer.dev/commit"
    /// The last commit that changed what the workflow ships, on the Deployment and the code ConfigMap.
    public static let codeCommitAnnotation = "pipedreamer.dev/code-commit"
    public static let nameLabel = "app.kubernetes.io/name"
    public static let managedByLabel = "app.kubernetes.io/managed-by"
    /// Tells engine pods from trigger pods, which share the name label.
    public static let componentLabel = "app.kubernetes.io/component"

    /// ConfigMap, Deployment, Service, then the CronJobs in input order: the apply order.
    public static func build(_ input: ManifestInput) -> [KubeObject] {
        [
            .configMap(codeConfigMap(input)),
            .deployment(deployment(input)),
            .service(service(input)),
        ] + input.cronJobs.map { .cronJob(cronJob($0, of: input)) }
    }

    /// The `<name>-secrets` Secret; kept out of `build` so that `render` never prints secret values.
    public static func secret(name: String, namespace: String, data: [String: [UInt8]]) -> Secret {
        Secret(
            metadata: ObjectMeta(name: secretName(name), namespace: namespace, labels: labels(name)),
            type: "Opaque",
            data: data.mapValues { Data($0).base64EncodedString() }
        )
    }

    /// The label selector of every object pipedreamer made for workflow `name`.
    public static func selector(_ name: String) -> String {
        "\(nameLabel)=\(name),\(managedByLabel)=pipedreamer"
    }

    static func labels(_ name: String) -> [String: String] {
        [nameLabel: name, managedByLabel: "pipedreamer"]
    }

    /// The one ownership rule: an object is workflow `name`'s, for deploy, diff, delete and the
    /// garbage collector alike, when it carries both labels `selector(name)` selects by.
    public static func isOwned(_ object: JSONValue, by name: String) -> Bool {
        labels(name).allSatisfy { object[path: "metadata", "labels", $0.key]?.stringValue == $0.value }
    }

    /// The Service selects exactly these, so trigger pods never receive engine traffic.
    static func engineSelector(_ name: String) -> [String: String] {
        [nameLabel: name, componentLabel: "engine"]
    }

    /// The one list the ConfigMap's data and the Deployment's `items` are both built from, so they
    /// cannot disagree: a key that came twice (the same path: `ConfigMapKey` is injective) keeps its
    /// first file. The bundle refuses duplicate tree entries; this holds whatever reaches it.
    static func codeFiles(_ input: ManifestInput) -> [BundledFile] {
        var keys = Set<String>()
        return input.files.filter { keys.insert($0.key).inserted }
    }

    static func codeConfigMap(_ input: ManifestInput) -> ConfigMap {
        var data: [String: String] = [:]
        for file in codeFiles(input) { data[file.key] = file.content }
        // Annotated with the code commit only (per-commit ones also with the deployed commit): a
        // commit that changes nothing in the directory leaves it as it is.
        return PerCommitCode.configMap(input, data: data)
    }

    static func deployment(_ input: ManifestInput) -> Deployment {
        let probe = Probe(httpGet: HTTPGetAction(path: "/health", port: enginePort))
        let engine = Container(
            name: "engine",
            image: input.image,
            ports: [ContainerPort(name: "http", containerPort: enginePort, protocol: "TCP")],
            livenessProbe: probe,
            readinessProbe: probe,
            resources: ResourceRequirements(
                requests: ["cpu": "100m", "memory": "128Mi"],
                limits: ["cpu": "1", "memory": "512Mi"]
            ),
            securityContext: SecurityContext(
                allowPrivilegeEscalation: false,
                capabilities: Capabilities(drop: ["ALL"]),
                readOnlyRootFilesystem: true,
                runAsNonRoot: true
            ),
            volumeMounts: [
                VolumeMount(name: "code", mountPath: "/app/workflow", readOnly: true),
                VolumeMount(name: "secrets", mountPath: "/app/secrets", readOnly: true),
                VolumeMount(name: "tmp", mountPath: "/tmp"),
            ]
        )
        let volumes = [
            Volume(name: "code", configMap: ConfigMapVolumeSource(
                name: PerCommitCode.codeConfigMapName(input),
                items: codeFiles(input).map { KeyToPath(key: $0.key, path: $0.path) }
            )),
            Volume(name: "secrets", secret: SecretVolumeSource(secretName: secretName(input.name), optional: true)),
            Volume(name: "tmp", emptyDir: EmptyDirVolumeSource()),
        ]
        let nobody = 65534
        return Deployment(
            metadata: ObjectMeta(
                name: input.name,
                namespace: input.namespace,
                labels: labels(input.name),
                annotations: [commitAnnotation: input.commit, codeCommitAnnotation: input.codeCommit]
            ),
            spec: DeploymentSpec(
                replicas: 1,
                // Per-commit: the ReplicaSets kept are the code versions kept, so neither outlives the other.
                revisionHistoryLimit: input.codeConfigMap == .perCommit ? input.codeVersionsKept : nil,
                selector: LabelSelector(matchLabels: engineSelector(input.name)),
                template: PodTemplateSpec(
                    metadata: ObjectMeta(
                        labels: labels(input.name).merging(engineSelector(input.name)) { $1 },
                        // What the rollout restart patches in; rendered so `render | kubectl apply` matches a deploy.
                        annotations: [RestartStamp.annotation: input.codeCommit]
                    ),
                    spec: PodSpec(
                        automountServiceAccountToken: false,
                        containers: [engine],
                        runtimeClassName: input.runtimeClassName,
                        securityContext: PodSecurityContext(
                            runAsNonRoot: true,
                            runAsUser: nobody,
                            runAsGroup: nobody,
                            fsGroup: nobody,
                            seccompProfile: .runtimeDefault
                        ),
                        volumes: volumes
                    )
                )
            )
        )
    }

    static func service(_ input: ManifestInput) -> Service {
        Service(
            metadata: ObjectMeta(name: input.name, namespace: input.namespace, labels: labels(input.name)),
            spec: ServiceSpec(
                type: "ClusterIP",
                selector: engineSelector(input.name),
                ports: [ServicePort(name: "http", port: enginePort, targetPort: enginePort, protocol: "TCP")]
            )
        )
    }

    static func cronJob(_ cron: CronJobInput, of input: ManifestInput) -> CronJob {
        let podLabels = labels(input.name).merging([componentLabel: "trigger"]) { $1 }
        // The Service in the CronJob's own namespace: nothing in the objects names a namespace.
        let url = "http://\(input.name):\(enginePort)/run"
        let trigger = Container(
            name: "trigger",
            image: triggerImage,
            command: [
                "curl", "-fsS", "-X", "POST",
                "-H", "Content-Type: application/json",
                "-d", triggerRequestBody(triggerName: cron.triggerName),
                url,
            ],
            resources: ResourceRequirements(
                requests: ["cpu": "10m", "memory": "16Mi"],
                limits: ["cpu": "100m", "memory": "64Mi"]
            ),
            securityContext: SecurityContext(
                allowPrivilegeEscalation: false,
                capabilities: Capabilities(drop: ["ALL"]),
                readOnlyRootFilesystem: true,
                runAsNonRoot: true,
                runAsUser: 100,
                seccompProfile: .runtimeDefault
            )
        )
        return CronJob(
            metadata: ObjectMeta(name: cron.name, namespace: input.namespace, labels: podLabels),
            spec: CronJobSpec(
                schedule: cron.schedule,
                concurrencyPolicy: "Forbid",
                successfulJobsHistoryLimit: 3,
                failedJobsHistoryLimit: 1,
                jobTemplate: JobTemplateSpec(
                    metadata: ObjectMeta(labels: podLabels),
                    spec: JobSpec(
                        backoffLimit: 2,
                        template: PodTemplateSpec(
                            metadata: ObjectMeta(labels: podLabels),
                            spec: PodSpec(
                                automountServiceAccountToken: false,
                                containers: [trigger],
                                restartPolicy: "Never",
                                runtimeClassName: input.runtimeClassName,
                                securityContext: PodSecurityContext(
                                    runAsNonRoot: true,
                                    runAsUser: 100,
                                    seccompProfile: .runtimeDefault
                                )
                            )
                        )
                    )
                )
            )
        )
    }

    private struct TriggerRequest: Encodable {
        let trigger: String
    }

    /// `{}`, or `{"trigger":"<name>"}` encoded so that any name stays valid JSON.
    static func triggerRequestBody(triggerName: String?) -> String {
        guard let triggerName else { return "{}" }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding a single String field cannot fail.
        let data = try! encoder.encode(TriggerRequest(trigger: triggerName))
        return String(decoding: data, as: UTF8.self)
    }
}
