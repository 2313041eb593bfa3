import Foundation

@main
enum Entry {
    static func main() async {
        // The flag was removed; say so plainly wherever it appears, before any other parsing.
        if CommandLine.arguments.dropFirst().contains(where: { $0 == "--cluster-registry" || $0.hasPrefix("--cluster-registry=") }) {
            FileHandle.standardError.write(Data("Error: flag --cluster-registry is removed; use --image instead\n".utf8))
            exit(2)
        }
        // git runs the pre-commit hook on every commit: it goes straight to the check, without
        // argument parsing, and a commit that touches no workflow is answered before libgit2 starts.
        let arguments = Array(CommandLine.arguments.dropFirst())
        if arguments == ["hook", "pre-commit"] || arguments == ["hook", "pre-merge-commit"] {
            do {
                try checkIndex(files: [], merging: arguments[1] == "pre-merge-commit")
                exit(0)
            } catch {
                PreCommitHook.exit(withError: error)
            }
        }
        await Pipedreamer.main()
    }
}
