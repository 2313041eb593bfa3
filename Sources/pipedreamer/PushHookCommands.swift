import ArgumentParser
import Deploy
import Foundation
import GitShim
import Hooks

struct PrePushHook: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pre-push",
        abstract: "Check every commit a push sends that the remote does not have.",
        discussion: """
        Reads `<local ref> <local sha> <remote ref> <remote sha>` lines on standard input, as git \
        gives them. A commit counts as one the remote has when it is reachable from a pushed ref's \
        remote side or from the remote's tracking refs (refs/remotes/<remote>/*). Pushing to a URL \
        (`git push /path/to/repo.git main`), the tracking refs of every configured remote with that \
        URL count; a URL no remote has is known only by the pushed refs' remote side, so commits the \
        remote has under other refs are checked again. Deletions pass; a commit whose workflow \
        directories did not change is not checked again. Exits 1 naming each refused commit and its \
        problems.

        With --range-from-environment (the pre-commit framework's pre-push stage), the range comes \
        from PRE_COMMIT_FROM_REF and PRE_COMMIT_TO_REF instead (PRE_COMMIT_REMOTE_NAME names the \
        remote); without a from-ref, every commit of the to-ref (else PRE_COMMIT_LOCAL_BRANCH, else \
        HEAD) that no tracking ref of the remote has is checked.
        """
    )

    @Argument(help: ArgumentHelp("The remote's name, or its URL when pushing to a URL. (default: PRE_COMMIT_REMOTE_NAME, else none)", valueName: "remote"))
    var remote: String?

    @Argument(help: ArgumentHelp("The remote's URL. (default: none)", valueName: "url"))
    var url: String?

    @Flag(help: "Take the pushed range from PRE_COMMIT_FROM_REF/PRE_COMMIT_TO_REF, as the pre-commit framework sets them, instead of standard input. (default: off)")
    var rangeFromEnvironment = false

    func run() throws {
        let environment = ProcessInfo.processInfo.environment
        let input = rangeFromEnvironment ? "" : String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        let remoteName = remote ?? environment["PRE_COMMIT_REMOTE_NAME"] ?? ""
        let report = try mapErrors { () -> PrePushReport in
            let repository = try Repository.openInHook()
            let config = try RepositorySettings.load(from: repository)
            let updates = rangeFromEnvironment
                ? try PushUpdate.fromEnvironment(environment, repository: repository)
                : try PushUpdate.parse(input)
            return try PrePush.run(repository: repository, remote: remoteName, updates: updates, limit: config.maxCodeBytes,
                                   strict: config.strict, warn: { printError("warning: \($0)") })
        }
        guard report.passed else {
            printError(report.text)
            throw ExitCode(1)
        }
    }
}

struct PostReceiveHook: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "post-receive",
        abstract: "Deploy pushed refs that match git config pipedreamer.deployRefs (server side).",
        discussion: """
        Reads `<old sha> <new sha> <ref>` lines on standard input, as git gives them in the receiving \
        (bare) repository. For each ref matching one of the space-separated patterns of \
        pipedreamer.deployRefs (for example `refs/tags/v* refs/heads/main`; `*` also matches '/'), \
        every workflow of the new commit is deployed (checks, preflight, apply, restart stamp; the \
        rollout is not waited for) to the cluster of the server's kubeconfig ($KUBECONFIG, \
        ~/.kube/config or the in-cluster service account), one line per workflow. Nothing \
        configured deploys nothing. Always exits 0: the push has already happened.

        What a pushed commit may choose is bounded by this repository's own config, never by the \
        commit: pipedreamer.allowedNamespaces and pipedreamer.allowedImages (multi-valued, `git \
        config --add`; each value one or more blank-separated glob patterns, matched as \
        pipedreamer.deployRefs is: `*` any run of characters, '/' and ':' included, `?` one, \
        `[a-z]` a class) name the namespaces a workflow may deploy to (deployment.namespace, else \
        the kubeconfig context's, else default) and the engine images it may run \
        (.pipedreamer/base-image.txt, else pipedreamer-engine:latest). A workflow outside them is \
        refused before any request, with a line naming the value and the key. Unset allows any: a \
        server should set both. pipedreamer.receiveTimeout (default 5m; 90s, 2m, 0 for no limit) \
        bounds each workflow's deploy: past it the deploy is abandoned, its lease released, and \
        the next workflow deployed.
        """
    )

    func run() async throws {
        let input = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        do {
            let repository = try Repository.openInHook()
            let config = try RepositorySettings.load(from: repository)
            let report = await PostReceive.run(repository: repository, updates: ReceivedUpdate.parse(input), config: config,
                                               deployer: ClusterDeployer(version: Pipedreamer.configuration.version))
            print(report.text)
        } catch {
            print("pipedreamer: nothing deployed: \(plainDescription(of: plainError(error)))")
        }
    }
}
