import Foundation

/// A real git repository in a temporary directory, driven by the git CLI, for tests that use
/// git itself as the oracle. Removed when the fixture is released.
public final class GitFixture: @unchecked Sendable {
    public let root: URL
    public var path: String { root.path }

    /// Creates an empty repository on branch `main` (or a bare one).
    public init(bare: Bool = false) throws {
        root = FileManager.default.temporaryDirectory
            .appendingPathComponent("pipedreamer-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try git(["init", "-q", "-b", "main"] + (bare ? ["--bare"] : []))
    }

    deinit { try? FileManager.default.removeItem(at: root) }

    /// The environment every git invocation gets: no user or system config, fixed identity and dates.
    public static var environment: [String: String] {
        var env = ProcessInfo.processInfo.environment
        for key in env.keys where key.hasPrefix("GIT_") { env.removeValue(forKey: key) }
        env["GIT_CONFIG_GLOBAL"] = "/dev/null"
        env["GIT_CONFIG_NOSYSTEM"] = "1"
        env["GIT_AUTHOR_NAME"] = "Test"
        env["GIT_AUTHOR_EMAIL"] = "test@example.com"
        env["GIT_COMMITTER_NAME"] = "Test"
        env["GIT_COMMITTER_EMAIL"] = "test@example.com"
        env["GIT_AUTHOR_DATE"] = "2026-01-01T00:00:00Z"
        env["GIT_COMMITTER_DATE"] = "2026-01-01T00:00:00Z"
        // Nothing may wait for a person: merges and commits take their default messages.
        env["GIT_EDITOR"] = "true"
        env["GIT_MERGE_AUTOEDIT"] = "no"
        env["GIT_TERMINAL_PROMPT"] = "0"
        // The pre-commit fast path's spec verdicts stay out of the real home directory.
        env["XDG_CACHE_HOME"] = cacheHome
        return env
    }

    /// This test process's cache directory (`XDG_CACHE_HOME` in `environment`).
    public static let cacheHome = FileManager.default.temporaryDirectory
        .appendingPathComponent("pipedreamer-test-cache-\(ProcessInfo.processInfo.processIdentifier)").path

    /// Runs git in the repository and returns its standard output; throws when git fails.
    @discardableResult
    public func git(_ arguments: [String], input: Data? = nil, environment extra: [String: String] = [:]) throws -> Data {
        let result = try Command.run("/usr/bin/env", ["git"] + arguments, in: path,
                                     environment: GitFixture.environment.merging(extra) { $1 }, input: input)
        guard result.status == 0 else {
            throw FixtureError("git \(arguments.joined(separator: " ")) failed (\(result.status)): \(result.stderrText)")
        }
        return result.stdout
    }

    /// Runs git and returns its output as text without the trailing newline.
    public func gitText(_ arguments: [String]) throws -> String {
        let text = String(decoding: try git(arguments), as: UTF8.self)
        return text.hasSuffix("\n") ? String(text.dropLast()) : text
    }

    /// Writes a file in the working tree, creating directories.
    public func write(_ relativePath: String, _ bytes: [UInt8]) throws {
        let url = root.appendingPathComponent(relativePath)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: url)
    }

    public func write(_ relativePath: String, _ text: String) throws {
        try write(relativePath, Array(text.utf8))
    }

    public func remove(_ relativePath: String) throws {
        try FileManager.default.removeItem(at: root.appendingPathComponent(relativePath))
    }

    /// Stages everything and commits; returns the new commit's SHA.
    @discardableResult
    public func commitAll(_ message: String = "change") throws -> String {
        try git(["add", "-A"])
        try git(["commit", "-q", "--allow-empty", "--no-verify", "-m", message])
        return try gitText(["rev-parse", "HEAD"])
    }

    /// Creates a well-formed workflow directory at `directory` ("" for the root).
    public func writeWorkflow(at directory: String = "", name: String = "hello",
                              nodes: [String: String] = ["fetch": "export default async () => ({ ok: true });\n"],
                              extra: String = "") throws {
        let prefix = directory.isEmpty ? "" : directory + "/"
        var yaml = "name: \(name)\nversion: \"1.0\"\ndescription: test workflow\ntriggers:\n  - type: manual\nnodes:\n"
        for id in nodes.keys.sorted() { yaml += "  \(id): nodes/\(id).ts\n" }
        yaml += extra
        try write(prefix + "workflow.yaml", yaml)
        for (id, source) in nodes { try write(prefix + "nodes/\(id).ts", source) }
    }
}

public struct FixtureError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Runs a program to completion, capturing its output.
public enum Command {
    public struct Result: Sendable {
        public let status: Int32
        public let stdout: Data
        public let stderr: Data
        public var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
        public var stderrText: String { String(decoding: stderr, as: UTF8.self) }
    }

    public static func run(_ executable: String, _ arguments: [String], in directory: String? = nil,
                           environment: [String: String]? = nil, input: Data? = nil) throws -> Result {
        let stdin = try SpawnedProcess.pipe(), stdout = try SpawnedProcess.pipe(), stderr = try SpawnedProcess.pipe()
        let process: SpawnedProcess
        do {
            process = try SpawnedProcess(executable, arguments, in: directory, environment: environment,
                                         stdin: stdin.read, stdout: stdout.write, stderr: stderr.write)
        } catch {
            for fd in [stdin.read, stdin.write, stdout.read, stdout.write, stderr.read, stderr.write] { close(fd) }
            throw error
        }
        // The child's ends belong to the child now.
        close(stdin.read); close(stdout.write); close(stderr.write)
        // Drain both pipes and feed the input concurrently, so a chatty child never blocks on a full pipe.
        nonisolated(unsafe) var stderrData = Data()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            stderrData = FileHandle(fileDescriptor: stderr.read, closeOnDealloc: true).readDataToEndOfFile()
            group.leave()
        }
        group.enter()
        DispatchQueue.global().async {
            let handle = FileHandle(fileDescriptor: stdin.write, closeOnDealloc: true)
            if let input { try? handle.write(contentsOf: input) }
            try? handle.close()
            group.leave()
        }
        let stdoutData = FileHandle(fileDescriptor: stdout.read, closeOnDealloc: true).readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Result(status: process.terminationStatus ?? -1, stdout: stdoutData, stderr: stderrData)
    }

    /// The absolute path of a program on PATH, or nil.
    public static func which(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for dir in path.split(separator: ":") {
            let candidate = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}

/// An empty directory outside any repository, removed when the value goes away.
public final class ScratchDirectory: @unchecked Sendable {
    public let path: String

    public init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("pipedreamer-scratch-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}
