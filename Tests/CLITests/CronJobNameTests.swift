import Foundation
import KubeTestServer
import Testing
import TestSupport

/// A trigger's CronJob keeps its name when triggers are added, so its job history stays; a
/// workflow an earlier version deployed as `<name>-cron` moves to the stable name once, saying so.
@Suite struct CronJobNameTests {
    func writeTriggers(_ h: DeployHarness, _ triggers: [(name: String, schedule: String)]) throws {
        var yaml = "name: \(DeployHarness.name)\nversion: \"1.0\"\ntriggers:\n  - type: manual\n"
        for trigger in triggers { yaml += "  - type: cron\n    name: \(trigger.name)\n    schedule: \"\(trigger.schedule)\"\n" }
        try h.repo.write("workflow.yaml", yaml + "nodes:\n  fetch: nodes/fetch.ts\n")
    }

    func uid(_ h: DeployHarness, _ name: String) -> String? {
        h.object(.cronJobs, name)?.value(at: ["metadata", "uid"])?.string
    }

    @Test func addingASecondTriggerKeepsTheFirstCronJob() async throws {
        try await DeployHarness.with { h in
            try writeTriggers(h, [("hourly", "0 * * * *")])
            try h.repo.commitAll("one trigger")
            #expect(try h.deploy().status == 0)
            let first = try #require(uid(h, "hello-cron-hourly"))
            try writeTriggers(h, [("hourly", "0 * * * *"), ("nightly", "0 3 * * *")])
            try h.repo.commitAll("a second trigger")
            let result = try h.deploy()
            #expect(result.status == 0, "\(result.stderrText)")
            #expect(uid(h, "hello-cron-hourly") == first)
            #expect(result.stdoutText.contains("cronjob.batch/hello-cron-hourly unchanged\n"), "\(result.stdoutText)")
            #expect(result.stdoutText.contains("cronjob.batch/hello-cron-nightly created\n"), "\(result.stdoutText)")
            #expect(!result.stdoutText.contains("pruned"), "\(result.stdoutText)")
        }
    }

    @Test(.enabled(if: Command.which("kubectl") != nil))
    func aLoneCronJobOfAnEarlierVersionMovesToItsStableNameOnceWithANote() async throws {
        try await DeployHarness.with { h in
            try writeTriggers(h, [("hourly", "0 * * * *")])
            try h.repo.commitAll("one trigger")
            // What an earlier version applied: the same CronJob under `hello-cron`.
            let render = try PipedreamerBinary.run(["render"], in: h.repo.path)
            #expect(render.status == 0, "\(render.stderrText)")
            let documents = render.stdoutText.components(separatedBy: "\n---\n")
            let cronJob = try #require(documents.first { $0.contains("kind: CronJob") })
            let legacy = cronJob.replacingOccurrences(of: "name: hello-cron-hourly", with: "name: hello-cron")
            let applied = try h.kubectl(["apply", "--server-side", "--field-manager", "pipedreamer", "-f", "-"], input: legacy)
            #expect(applied.status == 0, "\(applied.stderrText)")
            #expect(h.object(.cronJobs, "hello-cron") != nil)

            let result = try h.deploy()
            #expect(result.status == 0, "\(result.stderrText)")
            #expect(result.stdoutText.contains("cronjob.batch/hello-cron-hourly created\n"), "\(result.stdoutText)")
            #expect(result.stdoutText.contains("cronjob.batch/hello-cron pruned\n"), "\(result.stdoutText)")
            #expect(result.stdoutText.contains("note: cronjob.batch/hello-cron is now cronjob.batch/hello-cron-hourly: a CronJob's name depends on its trigger alone"),
                    "\(result.stdoutText)")
            #expect(h.object(.cronJobs, "hello-cron") == nil)
            let again = try h.deploy()
            #expect(!again.stdoutText.contains("note: cronjob"), "\(again.stdoutText)")
        }
    }
}
