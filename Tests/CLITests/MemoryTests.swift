import Foundation
import Testing
import TestSupport

/// No command's memory grows with a file that does not ship: a 200 MB blob beside workflow.yaml
/// (never read), or under nodes/ with an extension that does not ship (only its first bytes are
/// read, and it is refused as binary), loose or packed by `git gc`.
@Suite struct MemoryTests {
    static let limitKiB = 64 * 1024
    static let blobBytes = 200_000_000

    /// Peak resident memory (KiB) of one pipedreamer run, measured by a parent whose only child it is.
    static func peakKiB(_ arguments: [String], in directory: String, input: String = "") throws -> (Int32, Int) {
        let script = """
            import resource, subprocess, sys
            try:
                # A run that never ends fails the test (status -9) instead of hanging the suite.
                run = subprocess.run(sys.argv[1:], input=sys.stdin.buffer.read(), stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL, timeout=900)
                code = run.returncode
            except subprocess.TimeoutExpired:
                code = -9
            print(code, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
            """
        let result = try Command.run(Command.which("python3")!, ["-c", script, PipedreamerBinary.path] + arguments,
                                     in: directory, environment: GitFixture.environment, input: Data(input.utf8))
        let fields = result.stdoutText.split(separator: " ").compactMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        return (Int32(fields.first ?? -1), fields.last ?? .max)
    }

    func expectBounded(_ arguments: [String], in fixture: GitFixture, input: String = "", status: Int32 = 0,
                       limitKiB: Int = limitKiB, _ comment: String) throws {
        let (code, peak) = try Self.peakKiB(arguments, in: fixture.path, input: input)
        #expect(code == status, "\(comment): \(arguments)")
        #expect(peak <= limitKiB, "\(comment): \(arguments) peaked at \(peak) KiB")
    }

    @Test(.enabled(if: Command.which("python3") != nil))
    func aLargeBlobThatDoesNotShipCostsNoMemoryLooseOrPacked() throws {
        let fixture = try GitFixture()
        try fixture.writeWorkflow(at: "wf")
        var random = SystemRandomNumberGenerator()
        let chunk = (0..<(1 << 20)).map { _ in UInt8.random(in: 0...255, using: &random) }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: fixture.path + "/wf/data/big.bin").creatingIfNeeded())
        for _ in 0..<(Self.blobBytes / chunk.count) { handle.write(Data(chunk)) }
        try handle.close()
        let first = try fixture.commitAll("a large data file beside the workflow")

        for command in [["check"], ["render"]] { try expectBounded(command, in: fixture, "loose") }
        try fixture.git(["gc", "-q"])
        for command in [["check"], ["render"]] { try expectBounded(command, in: fixture, "packed") }

        // Under nodes/ with an extension that does not ship, it must be text: its first 8,000 bytes
        // are read (from the pack, when packed) and it is refused as binary, staged, committed or pushed.
        try fixture.git(["mv", "wf/data/big.bin", "wf/nodes/model.bin"])
        try expectBounded(["hook", "pre-commit"], in: fixture, status: 1, "staged under nodes/")
        try fixture.git(["commit", "-q", "--no-verify", "-m", "move it under nodes/"])
        let second = try fixture.gitText(["rev-parse", "HEAD"])
        try expectBounded(["check"], in: fixture, status: 1, "loose under nodes/")
        try fixture.git(["gc", "-q"])
        try expectBounded(["check"], in: fixture, status: 1, "packed under nodes/")
        let push = "refs/heads/main \(second) refs/heads/main \(String(repeating: "0", count: 40))\n"
        try expectBounded(["hook", "pre-push", "origin"], in: fixture, input: push, status: 1, "pushing both commits")
        #expect(first != second)
    }
}

private extension URL {
    func creatingIfNeeded() throws -> URL {
        if !FileManager.default.fileExists(atPath: path) {
            try FileManager.default.createDirectory(at: deletingLastPathComponent(), withIntermediateDirectories: true)
            FileManager.default.createFile(atPath: path, contents: nil)
        }
        return self
    }
}
