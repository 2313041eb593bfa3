import ArgumentParser
import Deploy
import GitShim
import Hooks
import WorkflowBundle

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case yaml, json
}

struct RenderCommand: ParsableCommand, JSONOutputCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Print the Kubernetes objects for a workflow at a commit.",
        discussion: """
        The output is the final desired state (the restart stamp included), byte-identical for the \
        same commit and flags on any machine, whatever the working copy holds: a tag, its \
        annotated-tag object and its SHA render the same. The Secret is not printed: deploy builds \
        it from the working copy's .secrets/ or .secrets.yaml. The kubeconfig is never read; the \
        namespace is -n, else deployment.namespace in workflow.yaml; when neither sets one the objects \
        carry no namespace, so `kubectl apply` puts them where deploy would (the kubeconfig context's \
        namespace, else "default"). The image is --image, else .pipedreamer/base-image.txt in the \
        commit, else pipedreamer-engine:latest: never the working copy.
        """
    )

    @OptionGroup var target: TargetOptions

    @Option(name: [.short, .customLong("output")],
            help: ArgumentHelp("Output format: yaml (a multi-document stream) or json (a List); on failure, json gives {\"error\": MESSAGE}.", valueName: "format"))
    var output: OutputFormat = .yaml

    var writesJSON: Bool { output == .json }

    func run() throws {
        let (_, rendered) = try target.render(omittingUnsetNamespace: true)
        if let note = rendered.codeCommit.shallowNote(directory: rendered.directory) { printError(note) }
        let text = output == .yaml ? try ManifestWriter.yaml(rendered.objects) : try ManifestWriter.json(rendered.objects)
        StandardOutput.write(json: text)
        printError("rendered workflow \(WorkflowLocator.shown(rendered.directory)) at commit \(rendered.commit.oid.hex); \(rendered.image.describe(commitLabel: "commit \(rendered.commit.oid.short)"))")
    }
}
