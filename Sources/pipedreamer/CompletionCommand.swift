import ArgumentParser

enum CompletionShellName: String, ExpressibleByArgument, CaseIterable {
    case bash, zsh, fish
}

struct CompletionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "completion",
        abstract: "Print a shell completion script for pipedreamer.",
        discussion: """
        bash: `source <(pipedreamer completion bash)` in ~/.bashrc, or save the script as \
        ~/.local/share/bash-completion/completions/pipedreamer. zsh: save it as _pipedreamer in a \
        directory of $fpath (then run compinit). fish: save it as \
        ~/.config/fish/completions/pipedreamer.fish. The script completes subcommands, flags and the \
        values of flags with a fixed set (-o, --dry-run, --code-configmap).
        """
    )

    @Argument(help: ArgumentHelp("The shell: bash, zsh or fish.", valueName: "shell"))
    var shell: CompletionShellName

    func run() throws {
        // swift-argument-parser generates the script from the command tree, as --generate-completion-script does.
        guard let target = CompletionShell(rawValue: shell.rawValue) else { throw ValidationError("unknown shell \(shell.rawValue)") }
        print(Pipedreamer.completionScript(for: target), terminator: "")
    }
}
