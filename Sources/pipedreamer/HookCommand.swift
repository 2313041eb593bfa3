import ArgumentParser
import Deploy
import Foundation
import GitShim
import Hooks

struct HookCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hook",
        abstract: "Run a git hook; the shims that install-hooks installs call this.",
        discussion: """
        The hooks enforce the rules of `check` and deploy, with the size limit from git config \
        pipedreamer.maxCodeBytes (default 921600, at most 1048576).
        """,
        subcommands: [PreCommitHook.self, PrePushHook.self, PostReceiveHook.self]
    )
}

struct PreCommitHook: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pre-commit",
        abstract: "Check the index git is about to commit.",
        discussion: """
        Reads the index named by $GIT_INDEX_FILE (as git sets it for `git commit <paths>` and \
        `git commit -a`), else the repository's index, and checks every workflow directory the staged \
        change touches: size, binary files, git-lfs pointers, symlinks, submodules, committed secrets \
        and workflow.yaml. Silent with exit 0 when all holds; otherwise lists every problem with its \
        fix on standard error and exits 1. Never writes the index, refs or working tree.
        """
    )

    func run() throws {
        let report = try mapErrors { () -> PreCommitReport in
            let repository = try Repository.openFromEnvironment()
            let config = try RepositorySettings.load(from: repository)
            let index = try IndexSnapshot(repository: repository)
            return try PreCommit.run(repository: repository, index: index, limit: config.maxCodeBytes, strict: config.strict,
                                     warn: { printError("warning: \($0)") })
        }
        guard report.passed else {
            printError(report.text)
            throw ExitCode(1)
        }
    }
}

struct PrePushHook: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pre-push",
        abstract: "Check every commit a push sends that the remote does not have.",
        discussion: """
        Reads `<local ref> <local sha> <remote ref> <remote sha>` lines on standard input, as git \
        gives them. Deletions pass; a commit whose workflow directories did not change is not checked \
        again. Exits 1 naming each refused commit and its problems.
        """
    )

    @Argument(help: ArgumentHelp("The remote's name, or its URL when pushing to a URL.", valueName: "remote"))
    var remote: String

    @Argument(help: ArgumentHelp("The remote's URL. (default: none)", valueName: "url"))
    var url: String?

    func run() throws {
        let input = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        let report = try mapErrors { () -> PrePushReport in
            let repository = try Repository.openFromEnvironment()
            let config = try RepositorySettings.load(from: repository)
            return try PrePush.run(repository: repository, remote: remote, updates: PushUpdate.parse(input),
                                   limit: config.maxCodeBytes, strict: config.strict,
                                   warn: { printError("warning: \($0)") })
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
        """
    )

    func run() async throws {
        let input = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        do {
            let repository = try Repository.openFromEnvironment()
            let config = try RepositorySettings.load(from: repository)
            let report = await PostReceive.run(repository: repository, updates: ReceivedUpdate.parse(input), config: config,
                                               deployer: ClusterDeployer(version: Pipedreamer.configuration.version))
            print(report.text)
        } catch {
            print("pipedreamer: nothing deployed: \(error)")
        }
    }
}
