import Foundation
import Testing
import TestSupport

@Suite struct CheckCommandTests {
    @Test func aValidWorkflowPrintsItsSizeAndFileCount() throws {
        let fixture = try GitFixture()
        try fixture.writeWorkflow(at: "wf", nodes: ["a": "12345\n"])
        try fixture.commitAll()
        let spec = try fixture.git(["show", "HEAD:wf/workflow.yaml"]).count
        let result = try PipedreamerBinary.run(["check"], in: fixture.path)
        #expect(result.status == 0, "\(result.stderrText)")
        let total = spec + 6
        let permille = total * 1000 / 921_600
        #expect(result.stdoutText == "workflow wf: ok, \(total) of 921600 bytes (\(permille / 10).\(permille % 10)%) in 2 files\n")
    }

    @Test func violationsArePrintedWithFixesAndExitOne() throws {
        let fixture = try GitFixture()
        try fixture.writeWorkflow(at: "wf")
        try fixture.write("wf/.env", "TOKEN=x\n")
        try fixture.commitAll()
        let result = try PipedreamerBinary.run(["check", "HEAD"], in: fixture.path)
        #expect(result.status == 1)
        let lines = result.stdoutText.split(separator: "\n").map(String.init)
        #expect(lines[0].hasPrefix("workflow wf at commit "))
        #expect(lines[0].hasSuffix(": 1 problem"))
        #expect(lines[1] == "  ✗ wf/.env: secrets must never be committed (.secrets.yaml, .secrets/ and .env* stay out of git)")
        #expect(lines[2] == "    fix: run `git rm --cached wf/.env` and add it to .gitignore; deploy reads secrets from the working copy")
    }

    @Test func stagedChecksTheIndexNotTheCommit() throws {
        let fixture = try GitFixture()
        try fixture.writeWorkflow(at: "wf")
        try fixture.commitAll()
        try fixture.write("wf/nodes/bad.ts", [0x00])
        try fixture.git(["add", "wf/nodes/bad.ts"])
        #expect(try PipedreamerBinary.run(["check"], in: fixture.path).status == 0)
        let staged = try PipedreamerBinary.run(["check", "--staged"], in: fixture.path)
        #expect(staged.status == 1)
        #expect(staged.stdoutText.contains("workflow wf at the index: 1 problem"))
    }

    @Test func specErrorsAreReportedWithTheFile() throws {
        let fixture = try GitFixture()
        try fixture.write("wf/workflow.yaml", "name: Bad Name\nversion: \"1.0\"\nnodes:\n  a: nodes/missing.ts\n")
        try fixture.commitAll()
        let result = try PipedreamerBinary.run(["check"], in: fixture.path)
        #expect(result.status == 1)
        #expect(result.stdoutText.contains("wf/workflow.yaml:1"))
    }

    @Test func aRepositoryWithoutWorkflowsHasNothingToCheck() throws {
        let fixture = try GitFixture()
        try fixture.write("README.md", "hi\n")
        try fixture.commitAll()
        let result = try PipedreamerBinary.run(["check"], in: fixture.path)
        #expect(result.status == 0)
        #expect(result.stdoutText.hasPrefix("no workflow.yaml in commit "))
    }

    @Test func revisionAndStagedTogetherAreRefused() throws {
        let fixture = try GitFixture()
        try fixture.writeWorkflow()
        try fixture.commitAll()
        let result = try PipedreamerBinary.run(["check", "HEAD", "--staged"], in: fixture.path)
        #expect(result.status == 2)  // a usage error, as everywhere
        #expect(result.stderrText.contains("give either a revision or --staged, not both"))
    }
}

/// Peak resident memory of a child process, in KiB, measured by Python's resource module.
func peakMemoryKiB(_ arguments: [String], in directory: String) throws -> (Int, Command.Result) {
    let script = "import resource, subprocess, sys; r = subprocess.run(sys.argv[1:], capture_output=True); sys.stderr.buffer.write(r.stdout); print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); sys.exit(r.returncode)"
    let result = try Command.run("/usr/bin/env", ["python3", "-c", script, PipedreamerBinary.path] + arguments,
                                 in: directory, environment: GitFixture.environment)
    let lines = result.stdoutText.split(separator: "\n")
    return (Int(lines.last ?? "") ?? -1, result)
}

@Suite struct LargeFileMemoryTests {
    @Test func aFiftyMegabyteFileIsRejectedWithoutBeingLoaded() throws {
        let small = try GitFixture()
        try small.writeWorkflow(at: "wf")
        try small.commitAll()
        let (baseline, smallResult) = try peakMemoryKiB(["check"], in: small.path)
        #expect(smallResult.status == 0)

        let big = try GitFixture()
        try big.writeWorkflow(at: "wf")
        try big.write("wf/nodes/huge.ts", Array(repeating: UInt8(ascii: "a"), count: 50 * 1024 * 1024))
        try big.commitAll()
        let (committedPeak, committed) = try peakMemoryKiB(["check"], in: big.path)
        #expect(committed.status == 1)
        #expect(committed.stderrText.contains("workflow code exceeds ConfigMap size limit (900KB): total size is 524"))
        // Loading the file would add 50 MiB; allow 10 MiB of noise over the small repository.
        #expect(committedPeak < baseline + 10 * 1024, "peak \(committedPeak) KiB vs \(baseline) KiB for a small repository")

        try big.write("wf/nodes/huge2.ts", Array(repeating: UInt8(ascii: "b"), count: 50 * 1024 * 1024))
        try big.git(["add", "wf/nodes/huge2.ts"])
        let (stagedPeak, staged) = try peakMemoryKiB(["check", "--staged"], in: big.path)
        #expect(staged.status == 1)
        #expect(stagedPeak < baseline + 10 * 1024, "peak \(stagedPeak) KiB vs \(baseline) KiB for a small repository")
    }
}
