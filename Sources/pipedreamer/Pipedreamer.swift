import ArgumentParser

struct Pipedreamer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pipedreamer",
        abstract: "Ship workflow code to Kubernetes exactly as it stands in a git commit.",
        discussion: """
        Everything is read from a commit's tree (or, for `check --staged`, from the index), never \
        from the working copy. The code bundle of a workflow is its workflow.yaml plus every .ts, \
        .json, .yaml and .yml file under nodes/; it must stay within 921600 bytes (900KB), or git config \
        pipedreamer.maxCodeBytes (at most 1048576).

        Exit status: 0 success, 1 failure, 2 a usage error (an unknown flag or a bad value); diff: \
        0 no differences, 1 differences, 2 an error. With -o json, standard output is one JSON \
        document, also on failure ({"error": MESSAGE, ...}); errors also go to standard error.
        """,
        version: BuildInfo.version,
        subcommands: [RenderCommand.self, CheckCommand.self, DeployCommand.self, StatusCommand.self,
                      DiffCommand.self, HistoryCommand.self, RollbackCommand.self, DeleteCommand.self, HookCommand.self, InstallHooksCommand.self,
                      UninstallHooksCommand.self, CompletionCommand.self, VersionCommand.self]
    )
}
