import Foundation
import KubeTestServer
import Testing
import TestSupport

/// `status`, `diff` and `delete` against what `deploy` left in the cluster.
@Suite struct DeployStatusDiffDeleteTests {
    @Test func statusAfterDeployShowsTheCommitItsTagsAndDeployed() async throws {
        try await DeployHarness.with { h in
            try h.repo.git(["tag", "v1.0.0"])
            try h.repo.git(["tag", "-a", "release-1", "-m", "first release"])
            #expect(try h.deploy().status == 0)

            let result = try h.run(["status"])
            #expect(result.status == 0, "\(result.stderrText)")
            let lines = result.stdoutText.split(separator: "\n").map(String.init)
            #expect(lines.first == "workflow:  hello (namespace default)")
            #expect(lines.contains("commit:    \(h.firstCommit) (release-1, v1.0.0)"))
            #expect(lines.contains("replicas:  1/1 ready"))
            #expect(lines.contains("cronjobs:  hello-cron-1  0 * * * *  not scheduled yet"))
            #expect(lines.last == "HEAD:      \(h.firstCommit) (deployed)")
        }
    }

    @Test func diffExitsZeroWhenNothingWouldChange() async throws {
        try await DeployHarness.with { h in
            #expect(try h.deploy().status == 0)
            let result = try h.run(["diff"])
            #expect(result.status == 0, "\(result.allOutput)")
            #expect(result.stdoutText == "")
        }
    }

    @Test func diffExitsOneWithTheChangeWhenTheNextCommitDiffers() async throws {
        try await DeployHarness.with { h in
            #expect(try h.deploy().status == 0)
            let second = try h.commitFetch("export default async () => ({ greeting: \"hola\" });\n")
            let versions = h.resourceVersions()

            let result = try h.run(["diff"])
            #expect(result.status == 1, "\(result.stderrText)")
            #expect(result.stdoutText.contains("--- live/configmap/hello-code\n+++ desired/configmap/hello-code\n"))
            let lines = result.stdoutText.split(separator: "\n").map(String.init)
            #expect(lines.contains("--- live/deployment.apps/hello"))
            #expect(lines.contains { $0.hasPrefix("-") && $0.contains("greeting") && $0.contains("hello") })
            #expect(lines.contains { $0.hasPrefix("+") && $0.contains("greeting") && $0.contains("hola") })
            #expect(lines.contains { $0.hasPrefix("+") && $0.contains("kubectl.kubernetes.io/restartedAt: ") && $0.contains(second) })
            #expect(lines.contains { $0.hasPrefix("-") && $0.contains("kubectl.kubernetes.io/restartedAt: ") && $0.contains(h.firstCommit) })
            #expect(!lines.contains("--- live/service/hello"))
            #expect(h.resourceVersions() == versions)
        }
    }

    @Test func deleteWithYesRemovesEveryLabelledObjectAndARerunFindsNothing() async throws {
        try await DeployHarness.with { h in
            try h.repo.write(".secrets/API_KEY", "value")
            #expect(try h.deploy().status == 0)

            let result = try h.run(["delete", "hello", "--yes"])
            #expect(result.status == 0, "\(result.stderrText)")
            #expect(result.stdoutText.hasSuffix("""
                cronjob.batch/hello-cron-1 deleted
                service/hello deleted
                deployment.apps/hello deleted
                secret/hello-secrets deleted
                configmap/hello-code deleted
                configmap/hello-history deleted

                """))
            #expect(h.resourceVersions().isEmpty)
            #expect(h.object(.secrets, "hello-secrets") == nil)

            let rerun = try h.run(["delete", "hello", "--yes"])
            #expect(rerun.status == 0)
            #expect(rerun.stdoutText == "no objects of workflow hello in namespace default; nothing to delete\n")
        }
    }

    @Test func deleteWithoutYesOffATerminalRefusesAndDeletesNothing() async throws {
        try await DeployHarness.with { h in
            #expect(try h.deploy().status == 0)
            let versions = h.resourceVersions()
            h.server.clearRequests()

            let result = try h.run(["delete", "hello"])
            #expect(result.status != 0)
            #expect(result.stderrText.contains("refusing to delete without confirmation: standard input is not a terminal; pass --yes"))
            #expect(h.server.requests.filter { $0.method == "DELETE" }.isEmpty)
            #expect(h.resourceVersions() == versions)
        }
    }
}

@Suite struct StatusByNameTests {
    @Test func statusByNameWorksInARepositoryOfSeveralWorkflows() async throws {
        try await DeployHarness.with { h in
            #expect(try h.deploy().status == 0)
            try h.repo.writeWorkflow(at: "other", name: "other")
            try h.repo.commitAll("a second workflow")
            let result = try h.run(["status", "hello"])
            #expect(result.status == 0, "\(result.stderrText)")
            #expect(result.stdoutText.hasPrefix("workflow:  hello (namespace default)\n"))
        }
    }
}

@Suite struct DiffPruneTests {
    @Test func diffShowsACronJobThatDeployWouldPrune() async throws {
        try await DeployHarness.with { h in
            #expect(try h.deploy().status == 0)
            try h.writeWorkflow(fetch: try h.show("HEAD:nodes/fetch.ts"), cron: false)
            try h.repo.commitAll("drop the cron trigger")
            let result = try h.run(["diff"])
            #expect(result.status == 1, "\(result.stderrText)")
            let lines = result.stdoutText.split(separator: "\n").map(String.init)
            #expect(lines.contains("--- live/cronjob.batch/hello-cron-1"))
            #expect(lines.contains("-kind: CronJob"))
            #expect(h.object(.cronJobs, "hello-cron-1") != nil)
        }
    }
}
