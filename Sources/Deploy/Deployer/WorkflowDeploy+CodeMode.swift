import KubeClient

extension WorkflowDeploy {
    /// The code ConfigMap mode of the workflow's live Deployment: from the name its `code` volume
    /// mounts; nil when there is no Deployment of this workflow (a first deploy).
    public static func liveCodeMode(namespace: String, workflow: String, api: any KubernetesAPI) async throws -> CodeConfigMapMode? {
        guard let deployment = try await api.get(.deployments, namespace: namespace, name: workflow),
              Manifests.isOwned(deployment, by: workflow),
              let mounted = CodeGarbageCollector.codeVolume(of: deployment) else { return nil }
        if mounted == Manifests.codeConfigMapName(workflow) { return .shared }
        return mounted.hasPrefix(Manifests.codeConfigMapName(workflow) + "-") ? .perCommit : nil
    }

    /// `prepared` in the mode deploy runs in, and the line announcing a switch. Render never reads the
    /// cluster, so a mode nothing asked for was rendered as the default: it is rendered again in the
    /// live mode. A mode a flag or git config asked for stays, and a switch is announced with what
    /// the clean-up after the rollout will prune.
    public static func inLiveCodeMode(_ prepared: Prepared, api: any KubernetesAPI) async throws -> (Prepared, announcement: String?) {
        let rendered = prepared.rendered
        let name = rendered.spec.name
        guard let live = try await liveCodeMode(namespace: rendered.namespace, workflow: name, api: api),
              live != rendered.codeConfigMap else { return (prepared, nil) }
        guard let source = prepared.options?.codeConfigMapSource else {
            guard let repository = prepared.repository, var options = prepared.options else { return (prepared, nil) }
            options.codeConfigMap = live
            return (Prepared(rendered: try Renderer.render(repository: repository, options: options), secrets: prepared.secrets,
                             tags: prepared.tags, repository: repository, options: options), nil)
        }
        let doomed: [String]
        if rendered.codeConfigMap == .perCommit {
            doomed = [Manifests.codeConfigMapName(name)]
        } else {
            doomed = try await api.list(.configMaps, namespace: rendered.namespace, labelSelector: PerCommitCode.selector(name))
                .filter { Manifests.isOwned($0, by: name) }
                .sorted(by: CodeGarbageCollector.newerFirst)
                .compactMap(CodeGarbageCollector.name)
        }
        let pruned = doomed.isEmpty ? "nothing to prune"
            : "once the rollout completes, \(doomed.map { "configmap/\($0)" }.joined(separator: ", ")) \(doomed.count == 1 ? "is" : "are") pruned"
        return (prepared, "code ConfigMap mode: switching from \(live.rawValue) to \(rendered.codeConfigMap.rawValue) (\(source)); \(pruned)")
    }
}
