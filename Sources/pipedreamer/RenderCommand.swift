import ArgumentParser
import Deploy
import GitShim
import Hooks

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case yaml, json
}

struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Print the Kubernetes objects for a workflow at a commit.",
        discussion: """
        The output is the final desired state (the restart stamp included), byte-identical for the \
        same commit and flags on any machine, whatever the working copy holds: a tag, its \
        annotated-tag object and its SHA render the same. The Secret is not printed: deploy builds \
        it from the working copy's .secrets/ or .secrets.yaml. The kubeconfig is never read; the \
        namespace is -n, else deployment.namespace in workflow.yaml, else "default".
        """
    )

    @Argument(help: ArgumentHelp("Commit to render: HEAD, a SHA, a branch, a tag, refs/..., HEAD~2. (default: HEAD)",
                                 valueName: "rev"))
    var revision: String = "HEAD"

    @OptionGroup var repositoryOptions: RepositoryOptions

    @Option(name: [.short, .customLong("namespace")],
            help: ArgumentHelp("Namespace of the objects. (default: deployment.namespace in workflow.yaml, else \"default\")",
                               valueName: "namespace"))
    var namespace: String?

    @Option(help: ArgumentHelp("Engine image. (default: .pipedreamer/base-image.txt in the commit's workflow directory, else in the working copy, else pipedreamer-engine:latest)",
                               valueName: "image"))
    var image: String?

    @Option(name: .customLong("runtime-class"),
            help: ArgumentHelp("RuntimeClass of the pods; an empty value disables it.", valueName: "name"))
    var runtimeClass: String = "gvisor"

    @Option(name: [.short, .customLong("output")], help: ArgumentHelp("Output format: yaml (a multi-document stream) or json (a List).", valueName: "format"))
    var output: OutputFormat = .yaml

    func run() throws {
        let rendered = try runReportingErrors { () -> Rendered in
            let repository = try repositoryOptions.open()
            var options = RenderOptions()
            options.revision = revision
            options.workflow = repositoryOptions.workflowDirectory(in: repository)
            options.currentDirectory = repositoryOptions.currentDirectory(in: repository)
            options.namespace = namespace
            options.image = image
            options.runtimeClass = runtimeClass
            options.limit = try HookConfig.load(from: repository).maxCodeBytes
            return try Renderer.render(repository: repository, options: options)
        }
        let text = output == .yaml ? try ManifestWriter.yaml(rendered.objects) : try ManifestWriter.json(rendered.objects)
        print(text, terminator: text.hasSuffix("\n") ? "" : "\n")
        printError("rendered workflow \(WorkflowLocator.display(rendered.directory)) at commit \(rendered.commit.oid.hex); \(rendered.image.describe(commitLabel: "commit \(rendered.commit.oid.short)"))")
    }
}
