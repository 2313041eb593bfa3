/// Names and marks of the per-commit code ConfigMaps (`--code-configmap=per-commit`).
public enum PerCommitCode {
    /// Carried by per-commit code ConfigMaps only, so clean-up never selects another object.
    public static let codeLabel = "pipedreamer.dev/code"
    public static let codeLabelValue = "per-commit"

    /// `<name>-code-<first 12 hex of the code commit>`.
    public static func configMapName(_ name: String, codeCommit: String) -> String {
        "\(name)-code-\(codeCommit.prefix(12))"
    }

    /// The label selector of workflow `name`'s per-commit code ConfigMaps.
    public static func selector(_ name: String) -> String {
        Manifests.selector(name) + ",\(codeLabel)=\(codeLabelValue)"
    }

    /// The name of the code ConfigMap the Deployment's pods mount for `input`.
    static func codeConfigMapName(_ input: ManifestInput) -> String {
        input.codeConfigMap == .perCommit
            ? configMapName(input.name, codeCommit: input.codeCommit)
            : Manifests.codeConfigMapName(input.name)
    }

    /// The code ConfigMap of `input`: immutable and annotated with both commits in per-commit mode.
    static func configMap(_ input: ManifestInput, data: [String: String]) -> ConfigMap {
        var labels = Manifests.labels(input.name)
        var annotations = [Manifests.codeCommitAnnotation: input.codeCommit]
        if input.codeConfigMap == .perCommit {
            labels[codeLabel] = codeLabelValue
            // The commit deployed when it was created; an existing one is never rewritten.
            annotations[Manifests.commitAnnotation] = input.commit
        }
        var configMap = ConfigMap(
            metadata: ObjectMeta(name: codeConfigMapName(input), namespace: input.namespace,
                                 labels: labels, annotations: annotations),
            data: data)
        if input.codeConfigMap == .perCommit { configMap.immutable = true }
        return configMap
    }
}

extension Rendered {
    /// The code ConfigMap among the rendered objects.
    var codeConfigMapObject: ConfigMap? {
        objects.lazy.compactMap { object -> ConfigMap? in
            if case .configMap(let configMap) = object { return configMap } else { return nil }
        }.first
    }

    /// Where this render puts the code.
    public var codeConfigMap: CodeConfigMapMode { codeConfigMapObject?.immutable == true ? .perCommit : .shared }

    /// The name of the code ConfigMap the Deployment mounts.
    public var codeConfigMapName: String { codeConfigMapObject?.metadata.name ?? Manifests.codeConfigMapName(spec.name) }
}
