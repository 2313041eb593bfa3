import ArgumentParser
import Deploy
import Foundation
import KubeClient

/// Exit statuses, the same for every command (the README's "Exit status" section):
/// 0 success, 1 failure, 2 a usage error (an unknown flag, a bad value, a removed flag). `diff`
/// follows `kubectl diff`: 0 no differences, 1 differences, 2 any error, a usage error included,
/// so "differences" is never confused with "could not compare".
enum ExitStatus {
    static let success: Int32 = 0
    static let failure: Int32 = 1
    /// swift-argument-parser's own code for these is 64 (EX_USAGE); it is mapped to this one.
    static let usage: Int32 = 2
}

/// `-o text|json` for the commands that print state (check, deploy, status, diff, history,
/// delete, version).
enum TextOrJSON: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

/// A command whose standard output is one JSON document with `-o json`, on failure too.
protocol JSONOutputCommand {
    var writesJSON: Bool { get }
}

/// What went to standard output as data, so a failure can still give one JSON document.
enum StandardOutput {
    /// Set when the command printed its JSON document (success or its own failure document).
    nonisolated(unsafe) static var documentWritten = false

    /// Prints `value` as the command's one JSON document.
    static func write(_ value: JSONValue) throws {
        print(try jsonText(value))
        documentWritten = true
    }

    /// Prints an already encoded JSON document.
    static func write(json text: String) {
        print(text, terminator: text.hasSuffix("\n") ? "" : "\n")
        documentWritten = true
    }

    /// The failure document: `{"error": MESSAGE}` plus the fields the command knows.
    static func failure(_ message: String, _ fields: [String: JSONValue] = [:]) -> JSONValue {
        var members = fields
        members["error"] = .string(message)
        return .object(members)
    }

    /// Whether raw arguments ask for JSON output (`-o json`, `-ojson`, `-o=json`, `--output json`,
    /// `--output=json`): used when parsing failed, so no command says it.
    static func requestsJSON(_ arguments: [String]) -> Bool {
        for (index, argument) in arguments.enumerated() {
            if argument == "--" { return false }
            if ["-ojson", "-o=json", "--output=json"].contains(argument) { return true }
            if argument == "-o" || argument == "--output", index + 1 < arguments.count, arguments[index + 1] == "json" { return true }
        }
        return false
    }
}

/// The JSON every command prints, as `kubectl -o json` prints it: one printer for every document
/// (`ManifestWriter.jsonText`, which `render -o json` uses too).
func jsonText(_ value: JSONValue) throws -> String {
    try ManifestWriter.jsonText(value)
}
