import Foundation

/// Runs a program to completion off the cooperative thread pool, capturing stdout and stderr.
enum PluginProcess {
    struct Result: Sendable {
        var exitCode: Int32
        var signalled: Bool
        var stdout: Data
        var stderr: Data

        var exitDescription: String { signalled ? "signal \(exitCode)" : "exit code \(exitCode)" }
    }

    private final class Capture: @unchecked Sendable {
        var data = Data()
    }

    static func run(executable: String, arguments: [String], environment: [String: String]) async throws -> Result {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: executable)
                process.arguments = arguments
                process.environment = environment
                let stdout = Pipe()
                let stderr = Pipe()
                process.standardInput = FileHandle.nullDevice
                process.standardOutput = stdout
                process.standardError = stderr
                do {
                    try process.run()
                } catch {
                    continuation.resume(throwing: error)
                    return
                }
                // Both pipes are drained at once so a chatty plugin cannot block on a full stderr.
                let errors = Capture()
                let drained = DispatchGroup()
                drained.enter()
                DispatchQueue.global().async {
                    errors.data = stderr.fileHandleForReading.readDataToEndOfFile()
                    drained.leave()
                }
                let output = stdout.fileHandleForReading.readDataToEndOfFile()
                drained.wait()
                process.waitUntilExit()
                continuation.resume(returning: Result(exitCode: process.terminationStatus,
                                                      signalled: process.terminationReason == .uncaughtSignal,
                                                      stdout: output, stderr: errors.data))
            }
        }
    }

    /// stderr for an error message: trimmed, on one line per line, at most 1,000 characters.
    static func summary(of stderr: Data) -> String {
        let text = String(decoding: stderr, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.count <= 1000 ? text : String(text.prefix(1000)) + "…"
    }
}
