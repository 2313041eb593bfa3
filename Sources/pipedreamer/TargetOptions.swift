import ArgumentParser
import Deploy
import GitShim
import Hooks

/// Which commit and workflow, and how its objects are shaped: shared by render, deploy and diff.
struct TargetOptions: ParsableArguments {
    @Argument(help: ArgumentHelp("Commit: HEAD, a SHA, a branch, a tag, refs/..., HEAD~2. (default: HEAD)",
                                 valueName: "rev"))
    var revision: String = "HEAD"

    @OptionGroup var repositoryOptions: RepositoryOptions

    @Option(name: [.short, .customLong("namespace")],
            help: ArgumentHelp("Namespace of the objects. (default: deployment.namespace in workflow.yaml, else the kubeconfig context's namespace for cluster commands, else \"default\")",
                               valueName: "namespace"))
    var namespace: String?

    @Option(help: ArgumentHelp("Engine image. (default: .pipedreamer/base-image.txt in the commit's workflow directory, else in the working copy, else pipedreamer-engine:latest)",
                               valueName: "image"))
    var image: String?

    @Option(name: .customLong("runtime-class"),
            help: ArgumentHelp("RuntimeClass of the pods; an empty value disables it.", valueName: "name"))
    var runtimeClass: String = "gvisor"

    @Option(name: .customLong("code-configmap"),
            help: ArgumentHelp("Where the code lives: shared (one ConfigMap <name>-code, rewritten in place) or per-commit (an immutable ConfigMap <name>-code-<12 hex of the code commit> per version, kept for rollback). (default: git config pipedreamer.codeConfigMap, else shared)",
                               valueName: "mode"))
    var codeConfigMap: String?

    /// Renders the chosen workflow at the chosen commit; no network access.
    func render(contextNamespace: String? = nil) throws -> (Repository, Rendered) {
        try mapErrors {
            let repository = try repositoryOptions.open()
            return (repository, try Renderer.render(repository: repository, options: try renderOptions(in: repository, contextNamespace: contextNamespace)))
        }
    }

    /// Checks, renders and reads the working copy's secrets for a deploy; no network access.
    func prepareDeploy(contextNamespace: String?) throws -> WorkflowDeploy.Prepared {
        let repository = try repositoryOptions.open()
        return try WorkflowDeploy.prepare(repository: repository,
                                          options: try renderOptions(in: repository, contextNamespace: contextNamespace),
                                          readSecrets: true)
    }

    func renderOptions(in repository: Repository, contextNamespace: String?) throws -> RenderOptions {
        var options = RenderOptions()
        options.revision = revision
        options.workflow = repositoryOptions.workflowDirectory(in: repository)
        options.currentDirectory = repositoryOptions.currentDirectory(in: repository)
        options.namespace = namespace
        options.contextNamespace = contextNamespace
        options.image = image
        options.runtimeClass = runtimeClass
        let settings = try RepositorySettings.load(from: repository)
        options.limit = settings.maxCodeBytes
        options.codeConfigMap = try codeConfigMap.map { try CodeConfigMapMode.parse($0, source: "--code-configmap") } ?? settings.codeConfigMap
        return options
    }
}
