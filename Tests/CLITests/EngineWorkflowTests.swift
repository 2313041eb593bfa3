import Foundation
import Testing
import TestSupport

/// Realistic workflows written for the engine, with every field it documents, as committed files.
enum EngineExamples {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/engine-examples")
    static let names = ["github-triage", "nightly-report", "order-sync"]

    /// Copies every example into `fixture` at `flows/<name>` and commits them; returns the SHA.
    static func commit(into fixture: GitFixture) throws -> String {
        for name in names {
            let source = directory.appendingPathComponent(name)
            let files = FileManager.default.enumerator(at: source, includingPropertiesForKeys: [.isRegularFileKey])!
            for case let url as URL in files where (try url.resourceValues(forKeys: [.isRegularFileKey])).isRegularFile == true {
                let relative = String(url.path.dropFirst(source.path.count + 1))
                try fixture.write("flows/\(name)/\(relative)", Array(try Data(contentsOf: url)))
            }
        }
        return try fixture.commitAll("engine examples")
    }
}

@Suite struct EngineWorkflowTests {
    let fixture: GitFixture
    let sha: String

    init() throws {
        fixture = try GitFixture()
        sha = try EngineExamples.commit(into: fixture)
    }

    @Test(arguments: EngineExamples.names)
    func rendersAnEngineWorkflowWithItsConfigMapEqualToTheCommit(name: String) throws {
        let result = try PipedreamerBinary.run(["render", sha, "-w", "flows/\(name)"], in: fixture.path)
        #expect(result.status == 0, "\(result.stderrText)")
        #expect(!result.stderrText.contains("warning:"), "\(result.stderrText)")
        let files = try RenderedObjects(yaml: result.stdoutText).filesByPath(workflow: name)
        let shipped = try fixture.gitText(["ls-tree", "-r", "--name-only", sha, "flows/\(name)"])
            .split(separator: "\n").map { String($0.dropFirst("flows/\(name)/".count)) }
            .filter { path in
                path == "workflow.yaml" || (path.hasPrefix("nodes/") && [".ts", ".json", ".yaml", ".yml"].contains { path.hasSuffix($0) })
            }
        #expect(Set(files.keys) == Set(shipped))
        for path in shipped {
            let committed = try fixture.git(["show", "\(sha):flows/\(name)/\(path)"])
            #expect(files[path].map { Data($0.utf8) } == committed, "\(path)")
        }
    }

    @Test func checkAcceptsEveryEngineWorkflowAndNotesWhatDoesNotShipUnderNodes() throws {
        let result = try PipedreamerBinary.run(["check", sha], in: fixture.path)
        #expect(result.status == 0, "\(result.stdoutText)\(result.stderrText)")
        #expect(result.stderrText == "")
        #expect(result.stdoutText.contains(
            "  note: 1 file under nodes/ not shipped (only .ts, .json, .yaml and .yml ship): nodes/NOTES.md\n"))
    }

    @Test func namedCronTriggersGetCronJobsNamedAfterThem() throws {
        let result = try PipedreamerBinary.run(["render", sha, "-w", "flows/nightly-report"], in: fixture.path)
        let names = try RenderedObjects(yaml: result.stdoutText).names.filter { $0.hasPrefix("CronJob/") }
        #expect(names == ["CronJob/nightly-report-cron-nightly", "CronJob/nightly-report-cron-weekly",
                          "CronJob/nightly-report-cron-3"])
    }
}

@Suite struct UnknownKeyWarningTests {
    let fixture: GitFixture

    init() throws {
        fixture = try GitFixture()
        try fixture.write("wf/workflow.yaml", """
            name: hello
            version: "1.0"
            nodes:
              fetch:
                path: nodes/fetch.ts
                capabilites:
                  network: outbound

            """)
        try fixture.write("wf/nodes/fetch.ts", "export default async () => ({});\n")
        try fixture.commitAll()
    }

    private let warning = "warning: wf/workflow.yaml:6: nodes.fetch.capabilites: unknown key; did you mean capabilities?\n"

    @Test func aMisspeltKeyWarnsWithASuggestionAndTheCommandSucceeds() throws {
        let check = try PipedreamerBinary.run(["check"], in: fixture.path)
        #expect(check.status == 0)
        #expect(check.stderrText == warning)
        #expect(check.stdoutText.hasPrefix("workflow wf: ok, "))
        let render = try PipedreamerBinary.run(["render"], in: fixture.path)
        #expect(render.status == 0)
        #expect(render.stderrText.hasPrefix(warning))
    }

    @Test func warningsLeaveStandardOutputUnchanged() throws {
        let warned = try PipedreamerBinary.run(["render"], in: fixture.path)
        try fixture.write("wf/workflow.yaml", try fixture.gitText(["show", "HEAD:wf/workflow.yaml"])
            .replacingOccurrences(of: "capabilites", with: "capabilities"))
        let sha = try fixture.commitAll("fix the key")
        let clean = try PipedreamerBinary.run(["render", sha], in: fixture.path)
        #expect(clean.stderrText.contains("warning:") == false)
        // Only the file's own bytes (and the commit) differ: no warning text reaches standard output.
        #expect(!warned.stdoutText.contains("warning"))
        #expect(warned.stdoutText.split(separator: "\n").count == clean.stdoutText.split(separator: "\n").count)
    }

    @Test(arguments: [["check", "--strict"], ["render", "--strict"]])
    func strictMakesTheWarningAnError(arguments: [String]) throws {
        let result = try PipedreamerBinary.run(arguments, in: fixture.path)
        #expect(result.status == 1)
        #expect((result.stdoutText + result.stderrText).contains(
            "wf/workflow.yaml:6: nodes.fetch.capabilites: unknown key; did you mean capabilities?"))
    }

    @Test func thePreCommitHookWarnsAndStillAcceptsTheCommit() throws {
        try fixture.write("wf/nodes/other.ts", "export {};\n")
        try fixture.git(["add", "-A"])
        let hook = try PipedreamerBinary.run(["hook", "pre-commit"], in: fixture.path)
        #expect(hook.status == 0)
        #expect(hook.stderrText == warning)
    }

    @Test func gitConfigStrictMakesTheWarningAnErrorForTheHooksToo() throws {
        try fixture.git(["config", "pipedreamer.strict", "true"])
        #expect(try PipedreamerBinary.run(["check"], in: fixture.path).status == 1)
        try fixture.write("wf/nodes/other.ts", "export {};\n")
        try fixture.git(["add", "-A"])
        let hook = try PipedreamerBinary.run(["hook", "pre-commit"], in: fixture.path)
        #expect(hook.status == 1)
        #expect(hook.stderrText.contains("nodes.fetch.capabilites: unknown key; did you mean capabilities?"))
    }
}

/// A schedule the API server would refuse fails at `check` time, and deploy writes nothing.
@Suite struct CronAtCheckTimeTests {
    static let yaml = "name: hello\nversion: \"1.0\"\ntriggers:\n  - type: cron\n    schedule: \"30 2 * * 7\"\nnodes:\n  fetch: nodes/fetch.ts\n"
    static let message = "workflow.yaml:5: triggers[0].schedule: '30 2 * * 7' is not a valid schedule: end of range (7) above maximum (6): 7"

    @Test func checkRefusesADayOfWeekOfSeven() throws {
        let fixture = try GitFixture()
        try fixture.write("workflow.yaml", Self.yaml)
        try fixture.write("nodes/fetch.ts", "export {};\n")
        try fixture.commitAll()
        let result = try PipedreamerBinary.run(["check"], in: fixture.path)
        #expect(result.status == 1)
        #expect(result.stdoutText.contains("  ✗ \(Self.message)\n"))
    }

    @Test func deployRefusesItBeforeAnyWrite() async throws {
        try await DeployHarness.with { h in
            try h.repo.write("workflow.yaml", Self.yaml)
            try h.repo.commitAll("sunday as 7")
            h.server.clearRequests()
            let result = try h.deploy()
            #expect(result.status == 1)
            #expect(result.stderrText.contains(Self.message))
            #expect(h.server.requests.filter { $0.method != "GET" } .isEmpty)
        }
    }
}

/// A named cron trigger's CronJob keeps its identity (and job history) when another trigger is added.
@Suite struct StableCronJobNameTests {
    static func workflow(_ triggers: [String]) -> String {
        "name: hello\nversion: \"1.0\"\ntriggers:\n" + triggers.map { "  - \($0)\n" }.joined() + "nodes:\n  fetch: nodes/fetch.ts\n"
    }

    @Test func addingATriggerNeitherPrunesNorRecreatesANamedCronJob() async throws {
        try await DeployHarness.with { h in
            let nightly = "{type: cron, name: nightly, schedule: '0 2 * * *'}"
            let weekly = "{type: cron, name: weekly, schedule: '0 6 * * 1'}"
            try h.repo.write("workflow.yaml", Self.workflow([nightly, weekly]))
            try h.repo.commitAll("two cron triggers")
            #expect(try h.deploy().status == 0)
            let uid = h.object(.cronJobs, "hello-cron-nightly")?.value(at: ["metadata", "uid"])?.string
            #expect(uid != nil)
            try h.repo.write("workflow.yaml", Self.workflow(["{type: cron, schedule: '@hourly'}", nightly, weekly]))
            try h.repo.commitAll("a third, unnamed, first")
            let result = try h.deploy()
            #expect(result.status == 0, "\(result.stderrText)")
            #expect(h.object(.cronJobs, "hello-cron-nightly")?.value(at: ["metadata", "uid"])?.string == uid)
            #expect(h.object(.cronJobs, "hello-cron-1") != nil)
            #expect(!result.stdoutText.contains("hello-cron-nightly pruned"))
            #expect(result.stdoutText.contains("cronjob.batch/hello-cron-nightly unchanged\n"), "\(result.stdoutText)")
        }
    }
}
