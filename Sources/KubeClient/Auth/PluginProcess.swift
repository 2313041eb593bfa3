import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Runs a program to completion off the cooperative thread pool, capturing stdout and stderr.
/// The program leads its own process group, so a time limit stops it and everything it started.
enum PluginProcess {
    struct Result: Sendable {
        var exitCode: Int32
        var signalled: Bool
        var stdout: Data
        var stderr: Data
        /// True when the time limit ran out and the process group was killed.
        var timedOut = false

        var exitDescription: String { signalled ? "signal \(exitCode)" : "exit code \(exitCode)" }
    }

    /// A `posix_spawn` failure: the program could not be started.
    struct SpawnError: Error, LocalizedError {
        var code: Int32
        var errorDescription: String? { String(cString: strerror(code)) }
    }

    private final class Capture: @unchecked Sendable {
        var data = Data()
    }

    /// Whether the process has been reaped, so a late timer never signals a reused process group.
    private final class Watch: @unchecked Sendable {
        private let lock = NSLock()
        private var finished = false
        private(set) var killed = false

        func killUnlessFinished(_ group: pid_t) {
            lock.withLock {
                guard !finished else { return }
                killed = true
                kill(-group, SIGKILL)
            }
        }

        func finish() { lock.withLock { finished = true } }
    }

    static func run(executable: String, arguments: [String], environment: [String: String],
                    timeout: Duration?) async throws -> Result {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Swift.Result { try runBlocking(executable, arguments, environment, timeout: timeout) })
            }
        }
    }

    private static func runBlocking(_ executable: String, _ arguments: [String], _ environment: [String: String],
                                    timeout: Duration?) throws -> Result {
        let stdout = Pipe()
        let stderr = Pipe()
        let pid = try spawn(executable, arguments, environment, stdout: stdout, stderr: stderr)
        try? stdout.fileHandleForWriting.close()
        try? stderr.fileHandleForWriting.close()
        let watch = Watch()
        if let timeout {
            let (seconds, attoseconds) = timeout.components
            let nanoseconds = Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000)
            DispatchQueue.global().asyncAfter(deadline: .now() + .nanoseconds(nanoseconds)) { watch.killUnlessFinished(pid) }
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
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1, errno == EINTR {}
        watch.finish()
        // wait(2) status: the low 7 bits are the terminating signal, 0 for a normal exit.
        let signal = status & 0x7F
        return Result(exitCode: signal == 0 ? (status >> 8) & 0xFF : signal, signalled: signal != 0,
                      stdout: output, stderr: errors.data, timedOut: watch.killed)
    }

    /// Starts the program as the leader of a new process group, stdin from /dev/null.
    private static func spawn(_ executable: String, _ arguments: [String], _ environment: [String: String],
                              stdout: Pipe, stderr: Pipe) throws -> pid_t {
        // Close-on-exec, so no other program started meanwhile holds the pipes open; dup2 clears it on 1 and 2.
        for handle in [stdout.fileHandleForReading, stdout.fileHandleForWriting, stderr.fileHandleForReading, stderr.fileHandleForWriting] {
            _ = fcntl(handle.fileDescriptor, F_SETFD, FD_CLOEXEC)
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, stdout.fileHandleForWriting.fileDescriptor, 1)
        posix_spawn_file_actions_adddup2(&actions, stderr.fileHandleForWriting.fileDescriptor, 2)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setpgroup(&attributes, 0)
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGPIPE)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid: pid_t = 0
        let code = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard code == 0 else { throw SpawnError(code: code) }
        return pid
    }

    /// stderr for an error message: trimmed, on one line per line, at most 1,000 characters.
    static func summary(of stderr: Data) -> String {
        let text = String(decoding: stderr, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.count <= 1000 ? text : String(text.prefix(1000)) + "…"
    }
}
