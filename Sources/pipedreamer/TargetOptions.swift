import ArgumentParser
import Deploy
import GitShim
import Hooks

/// Which commit and workflow, and how its objects are shaped: shared by render, deploy and diff.
struct TargetOptions: ParsableArguments {
    @Argument(help: ArgumentHelp("Commit: HEAD, a SHA, a branch, a tag, refs/..., HEAD~2.",
                                 valueName: "rev"))
    var revision: String = "HEAD"

    @OptionGroup var repositoryOptions: RepositoryOptions

    @Option(name: [.short, .customLong("namespace")],
            help: ArgumentHelp("Namespace of the objects. (default: deployment.namespace in workflow.yaml, else the kubeconfig context's namespace, else \"default\"; render then prints the objects without a namespace)",
                               valueName: "namespace"))
    var namespace: String?

    @Option(help: ArgumentHelp("Engine image. (default: .pipedreamer/base-image.txt in the commit's workflow directory, else pipedreamer-engine:latest; the working copy is never read)",
                               valueName: "image"))
    var image: String?

    @Option(name: .customLong("runtime-class"),
            help: ArgumentHelp("RuntimeClass of the pods; an empty value (--runtime-class '') disables it.", valueName: "name"))
    var runtimeClass: String = "gvisor"

    @Option(name: .customLong("code-configmap"),
            help: ArgumentHelp("Where the code lives: shared (one ConfigMap <name>-code, rewritten in place) or per-commit (an immutable ConfigMap <name>-code-<12 hex of the code commit> per version, kept for rollback). (default: git config pipedreamer.codeConfigMap, else the mode the live Deployment mounts for deploy and diff, else shared)",
                               valueName: "mode"))
    var codeConfigMap: String?

    @Option(help: ArgumentHelp("Per-commit code versions to keep for rollback besides the live one: in per-commit mode the Deployment's revisionHistoryLimit (the old ReplicaSets it keeps, each mounting its code ConfigMap), and deploy deletes older code ConfigMaps that no ReplicaSet mounts after a completed rollout. In shared mode the Deployment keeps Kubernetes' default.", valueName: "n"))
    var keep: Int = RenderOptions.defaultCodeVersionsKept

    func validate() throws {
        guard keep >= 0 else { throw ValidationError("--keep must be 0 or more") }
    }

    @Flag(help: "Treat warnings (unknown keys in workflow.yaml) as errors. (default: off, or git config pipedreamer.strict)")
    var strict = false

    /// Renders the chosen workflow at the chosen commit; no network access. Warnings and notes go to
    /// standard error. `omittingUnsetNamespace` is for `render`, whose objects go to `kubectl apply`.
    func render(contextNamespace: String? = nil, omittingUnsetNamespace: Bool = false) throws -> (Repository, Rendered) {
        try mapErrors {
            let repository = try repositoryOptions.open()
            let options = try renderOptions(in: repository, contextNamespace: contextNamespace,
                                            omittingUnsetNamespace: omittingUnsetNamespace)
            let rendered = try Renderer.render(repository: repository, options: options)
            report(rendered)
            return (repository, rendered)
        }
    }

    /// Checks, renders and reads the working copy's secrets for a deploy; no network access.
    /// `imageHistoryRevision`: the history revision that recorded `--image` (a rollback).
    func prepareDeploy(contextNamespace: String?, imageHistoryRevision: Int? = nil) throws -> WorkflowDeploy.Prepared {
        let repository = try repositoryOptions.open()
        var options = try renderOptions(in: repository, contextNamespace: contextNamespace)
        options.imageHistoryRevision = image == nil ? nil : imageHistoryRevision
        let prepared = try WorkflowDeploy.prepare(repository: repository, options: options, readSecrets: true)
        report(prepared.rendered)
        return prepared
    }

    func renderOptions(in repository: Repository, contextNamespace: String?,
                       omittingUnsetNamespace: Bool = false) throws -> RenderOptions {
        let settings = try RepositorySettings.load(from: repository)
        var options = RenderOptions()
        options.revision = revision
        options.workflow = repositoryOptions.workflowDirectory(in: repository)
        options.currentDirectory = repositoryOptions.currentDirectory(in: repository)
        options.namespace = namespace
        options.contextNamespace = contextNamespace
        options.image = image
        options.runtimeClass = runtimeClass
        options.codeVersionsKept = keep
        options.limit = settings.maxCodeBytes
        options.strict = strict || settings.strict
        options.omitsUnsetNamespace = omittingUnsetNamespace
        if let codeConfigMap {
            options.codeConfigMap = try CodeConfigMapMode.parse(codeConfigMap, source: "--code-configmap")
            options.codeConfigMapSource = "--code-configmap"
        } else if let mode = settings.codeConfigMap {
            options.codeConfigMap = mode
            options.codeConfigMapSource = "git config \(CodeConfigMapMode.configKey)"
        }
        return options
    }

    /// Warnings and notes about the render, on standard error so standard output stays data.
    private func report(_ rendered: Rendered) {
        for warning in rendered.warnings { printError("warning: \(warning)") }
        for note in rendered.notes { printError("note: \(note)") }
    }
}
