import Foundation
import TestSupport

/// A repository with pipedreamer's hooks installed by `pipedreamer install-hooks`, pointed at the
/// built binary, so git itself runs them as it would for a user.
final class HookedRepository: @unchecked Sendable {
    let fixture: GitFixture
    var path: String { fixture.path }

    init(fixture: GitFixture? = nil, server: Bool = false) throws {
        let fixture = try fixture ?? GitFixture()
        self.fixture = fixture
        let result = try PipedreamerBinary.run(["install-hooks", "--binary", PipedreamerBinary.path] + (server ? ["--server"] : []),
                                               in: fixture.path)
        guard result.status == 0 else { throw FixtureError("install-hooks failed: \(result.stderrText)\(result.stdoutText)") }
    }

    /// Runs git without throwing on failure, with the fixture's clean environment.
    func git(_ arguments: [String], in directory: String? = nil, input: Data? = nil) throws -> Command.Result {
        try Command.run("/usr/bin/env", ["git"] + arguments, in: directory ?? path, environment: GitFixture.environment, input: input)
    }

    /// `git commit -m MESSAGE` plus `arguments`, hooks enabled.
    func commit(_ arguments: [String] = [], message: String = "change", in directory: String? = nil) throws -> Command.Result {
        try git(["commit", "-q", "-m", message] + arguments, in: directory)
    }

    /// A workflow at `wf` with one node file of `nodeBytes` bytes, committed without hooks.
    func commitWorkflow(nodeBytes: Int = 100) throws {
        try fixture.writeWorkflow(at: "wf", nodes: ["fetch": Self.text(bytes: nodeBytes)])
        try fixture.commitAll("workflow")
    }

    /// Text of exactly `bytes` bytes ending in a newline.
    static func text(bytes: Int) -> String {
        String(repeating: "x", count: max(0, bytes - 1)) + "\n"
    }
}

/// Everything a refused commit must leave as it was: HEAD, the index, the status and the working files.
struct RepositoryState: Equatable {
    let head: String
    let index: String
    let status: String
    let files: [String: Data]

    init(_ repository: HookedRepository, root: String? = nil) throws {
        let root = root ?? repository.path
        let head = try repository.git(["rev-parse", "--verify", "-q", "HEAD"], in: root)
        self.head = head.status == 0 ? head.stdoutText : "(no commit)"
        index = try repository.git(["ls-files", "-s"], in: root).stdoutText
        status = try repository.git(["status", "--porcelain=v2"], in: root).stdoutText
        var files = [String: Data]()
        let manager = FileManager.default
        for case let relative as String in manager.enumerator(atPath: root)! {
            if relative == ".git" || relative.hasPrefix(".git/") { continue }
            let full = root + "/" + relative
            if let target = try? manager.destinationOfSymbolicLink(atPath: full) {
                files[relative] = Data(("symlink:" + target).utf8)
            } else if let data = manager.contents(atPath: full) {
                files[relative] = data
            }
        }
        self.files = files
    }
}
