import ArgumentParser
import Foundation

@main
enum Entry {
    static func main() async {
        let arguments = Array(CommandLine.arguments.dropFirst())
        // The flag was removed; say so plainly wherever it appears, before any other parsing.
        if arguments.contains(where: { $0 == "--cluster-registry" || $0.hasPrefix("--cluster-registry=") }) {
            fail("flag --cluster-registry is removed; use --image instead", status: ExitStatus.usage,
                 json: StandardOutput.requestsJSON(arguments))
        }
        // git runs the pre-commit hook on every commit: it goes straight to the check, without
        // argument parsing, and a commit that touches no workflow is answered before libgit2 starts.
        if arguments == ["hook", "pre-commit"] || arguments == ["hook", "pre-merge-commit"] {
            do {
                try checkIndex(files: [], merging: arguments[1] == "pre-merge-commit")
                exit(0)
            } catch {
                finish(error, json: false)
            }
        }
        var json = StandardOutput.requestsJSON(arguments)
        do {
            var command = try await Pipedreamer.asyncParseAsRoot(arguments)
            json = (command as? JSONOutputCommand)?.writesJSON ?? false
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            finish(error, json: json)
        }
        exit(ExitStatus.success)
    }

    /// Prints `error` (help and --version to standard output, as the parser does) and exits with
    /// the documented status: a usage error is 2 wherever it comes from.
    static func finish(_ error: Error, json: Bool) -> Never {
        let status = Pipedreamer.exitCode(for: error)
        if status.isSuccess { Pipedreamer.exit(withError: error) }
        let plain = plainError(error)
        let code = status == .validationFailure ? ExitStatus.usage : status.rawValue
        let text = Pipedreamer.fullMessage(for: plain)
        if !text.isEmpty { printError(text.hasSuffix("\n") ? String(text.dropLast()) : text) }
        if json, !StandardOutput.documentWritten {
            let message = error is ExitCode ? "exit status \(code)" : Pipedreamer.message(for: plain)
            try? StandardOutput.write(StandardOutput.failure(message.trimmingCharacters(in: .whitespacesAndNewlines)))
        }
        exit(code)
    }

    /// A failure found before parsing: `Error: MESSAGE` on standard error, the JSON document when asked for.
    static func fail(_ message: String, status: Int32, json: Bool) -> Never {
        printError("Error: \(message)")
        if json { try? StandardOutput.write(StandardOutput.failure(message)) }
        exit(status)
    }
}
