import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A child process started with `posix_spawn`, for the test harness. Foundation's `Process.run()`
/// on Linux reads `/proc/self/fd` with a 256-byte copy of each `dirent` and crashes now and then
/// when a record sits at the end of a page (swift-corelibs-foundation PR #5472, fixed after the
/// 6.3.1 toolchain); a suite that starts thousands of processes from many threads meets it.
public final class SpawnedProcess: @unchecked Sendable {
    public let pid: pid_t
    private let lock = NSLock()
    private var exit: Int32?
    private var signal: Int32?

    public struct SpawnError: Error, CustomStringConvertible {
        public let description: String
        public init(description: String) { self.description = description }
    }

    /// Starts `executable` (an absolute path) with `arguments`, in `directory`, with exactly
    /// `environment` (the test process's own when nil); the child's standard streams are the
    /// given descriptors, which it receives and nothing else of this process (every descriptor the
    /// harness opens is close-on-exec).
    public init(_ executable: String, _ arguments: [String], in directory: String? = nil, environment: [String: String]? = nil,
                stdin: Int32, stdout: Int32, stderr: Int32) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, stdin, 0)
        posix_spawn_file_actions_adddup2(&actions, stdout, 1)
        posix_spawn_file_actions_adddup2(&actions, stderr, 2)
        if let directory {
            guard let addchdir = Self.addchdir else {
                throw SpawnError(description: "this C library has no posix_spawn_file_actions_addchdir_np (glibc 2.29 or later)")
            }
            _ = addchdir(&actions, directory)
        }
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        let variables = environment ?? ProcessInfo.processInfo.environment
        let envp: [UnsafeMutablePointer<CChar>?] = variables.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var child: pid_t = 0
        let code = Self.spawning.withLock { posix_spawn(&child, executable, &actions, nil, argv, envp) }
        guard code == 0 else {
            throw SpawnError(description: "cannot start \(executable): \(String(cString: strerror(code)))")
        }
        pid = child
    }

    /// Records a wait status.
    private func record(_ status: Int32) {
        // WIFEXITED / WEXITSTATUS / WTERMSIG, written out (they are macros in C).
        if status & 0x7f == 0 { exit = (status >> 8) & 0xff } else { signal = status & 0x7f }
    }

    /// False once the child has ended (it is reaped then).
    public var isRunning: Bool {
        lock.lock(); defer { lock.unlock() }
        if exit != nil || signal != nil { return false }
        var status: Int32 = 0
        let result = waitpid(pid, &status, WNOHANG)
        if result == pid { record(status); return false }
        return result == 0
    }

    /// Waits for the child to end.
    public func waitUntilExit() {
        lock.lock(); defer { lock.unlock() }
        guard exit == nil && signal == nil else { return }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        record(status)
    }

    /// The exit code, or the signal's number when a signal ended it (as Foundation's
    /// `terminationStatus`); nil while it runs.
    public var terminationStatus: Int32? { lock.lock(); defer { lock.unlock() }; return exit ?? signal }
    /// True when a signal ended it.
    public var endedBySignal: Bool { lock.lock(); defer { lock.unlock() }; return signal != nil }

    /// Held while a pipe is made close-on-exec and while a child is spawned, so no child of this
    /// harness inherits another one's pipe between `pipe` and `fcntl` (which would hold its end open).
    private static let spawning = NSLock()

    /// glibc's `posix_spawn_file_actions_addchdir_np`, which Swift's Glibc module does not declare.
    private typealias AddChdir = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32
    private static let addchdir: AddChdir? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addchdir_np") else { return nil }
        return unsafeBitCast(symbol, to: AddChdir.self)
    }()

    /// A pipe whose two ends are close-on-exec (the child gets one end through dup2 only).
    public static func pipe() throws -> (read: Int32, write: Int32) {
        try spawning.withLock {
            var fds: [Int32] = [0, 0]
            guard Glibc.pipe(&fds) == 0 else {
                throw SpawnError(description: "pipe: \(String(cString: strerror(errno)))")
            }
            _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
            _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
            return (fds[0], fds[1])
        }
    }
}
