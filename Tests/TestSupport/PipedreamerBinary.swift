import Foundation

/// Runs the `pipedreamer` executable built beside the tests.
public enum PipedreamerBinary {
    /// `$PIPEDREAMER_BINARY`, else the `pipedreamer` in the test bundle's build directory.
    public static var path: String {
        if let explicit = ProcessInfo.processInfo.environment["PIPEDREAMER_BINARY"] { return explicit }
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("pipedreamer").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return "pipedreamer"
    }

    /// Runs pipedreamer in `directory` with git's test environment.
    public static func run(_ arguments: [String], in directory: String, environment extra: [String: String] = [:],
                           input: Data? = nil) throws -> Command.Result {
        try Command.run(path, arguments, in: directory, environment: GitFixture.environment.merging(extra) { $1 }, input: input)
    }
}
