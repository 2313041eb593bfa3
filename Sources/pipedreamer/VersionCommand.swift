import ArgumentParser
import GitShim
import KubeClient

struct VersionCommand: ParsableCommand, JSONOutputCommand {
    static let configuration = CommandConfiguration(
        commandName: "version",
        abstract: "Print pipedreamer's version, the commit it was built from and libgit2's version.",
        discussion: """
        The commit is recorded by install.sh at build time (`-dirty` when the checkout had changes); \
        a build made otherwise (`swift build`) reports it as "unknown". libgit2's version is the \
        library this process runs with. --version prints the version alone.
        """
    )

    @Option(name: [.short, .customLong("output")],
            help: ArgumentHelp("Output format: text (one line) or json (an object with version, commit and libgit2).", valueName: "format"))
    var output: TextOrJSON = .text

    var writesJSON: Bool { output == .json }

    func run() throws {
        let libgit2 = LibGit2Version.current
        if output == .json {
            try StandardOutput.write(.object(["version": .string(BuildInfo.version), "commit": .string(BuildInfo.commit),
                                              "libgit2": .string(libgit2)]))
        } else {
            print("pipedreamer \(BuildInfo.version) (commit \(BuildInfo.commit), libgit2 \(libgit2))")
        }
    }
}
