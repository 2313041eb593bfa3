import Foundation
import KubeTestServer
import Testing
import TestSupport

/// `pipedreamer deploy` against the local API server over TLS with a client certificate: what a
/// first deploy creates, that a redeploy changes nothing, and that a new commit rolls the pods once.
@Suite struct DeployCommandTests {
    @Test func firstDeployCreatesEveryObjectStampedWithTheCommitInOneRollout() async throws {
        try await DeployHarness.with(tls: true) { h in
            let result = try h.deploy()
            #expect(result.status == 0, "\(result.stderrText)")
            let lines = result.stdoutText.split(separator: "\n").map(String.init)
            #expect(lines.contains("configmap/hello-code created"))
            #expect(lines.contains("deployment.apps/hello created"))
            #expect(lines.contains("service/hello created"))
            #expect(lines.contains("cronjob.batch/hello-cron-1 created"))
            #expect(lines.contains("deployment \"hello\" successfully rolled out"))
            #expect(lines.last == "deployed hello at \(h.firstCommit) to namespace default")
            #expect(h.configMap?.value(at: ["metadata", "annotations", "pipedreamer.dev/code-commit"])?.string == h.firstCommit)
            #expect(h.object(.services, "hello") != nil)
            #expect(h.object(.cronJobs, "hello-cron-1")?.value(at: ["spec", "schedule"])?.string == "0 * * * *")
            #expect(h.restartedAt == h.firstCommit)
            #expect(h.liveFiles() == ["workflow.yaml": try h.show("HEAD:workflow.yaml"), "nodes/fetch.ts": try h.show("HEAD:nodes/fetch.ts")])
            #expect(h.rollouts == 1)
            // Every request was made as the client certificate's user.
            #expect(Set(h.server.requests.compactMap(\.user)) == ["admin"])
        }
    }

    @Test func redeployingTheSameCommitChangesNothingAndRestartsNothing() async throws {
        try await DeployHarness.with(tls: true) { h in
            #expect(try h.deploy().status == 0)
            let versions = h.resourceVersions()
            h.server.clearRequests()

            let again = try h.deploy()
            #expect(again.status == 0, "\(again.stderrText)")
            let lines = again.stdoutText.split(separator: "\n").map(String.init)
            #expect(lines.filter { $0.hasSuffix(" unchanged") } == [
                "configmap/hello-code unchanged", "deployment.apps/hello unchanged",
                "service/hello unchanged", "cronjob.batch/hello-cron-1 unchanged",
            ])
            #expect(lines.last == "deployed hello at \(h.firstCommit) to namespace default; it was already deployed, nothing changed")
            #expect(h.resourceVersions() == versions)
            #expect(h.restartPatches.isEmpty)
            #expect(h.rollouts == 1)
        }
    }

    @Test func nextCommitUpdatesTheCodeBeforeTheRestartAndRollsOnce() async throws {
        try await DeployHarness.with(tls: true) { h in
            #expect(try h.deploy().status == 0)
            let second = try h.commitFetch("export default async () => ({ greeting: \"bonjour\" });\n")
            h.server.clearRequests()

            let result = try h.deploy()
            #expect(result.status == 0, "\(result.stderrText)")
            let requests = h.server.requests
            let codeApply = try #require(requests.firstIndex { $0.method == "PATCH" && $0.path.hasSuffix("/configmaps/hello-code") })
            let restart = try #require(requests.firstIndex { $0.contentType == "application/strategic-merge-patch+json" })
            #expect(codeApply < restart)
            #expect(requests[codeApply].status == 200)
            #expect(requests[codeApply].bodyText.contains("bonjour"))
            #expect(requests[restart].path == "/apis/apps/v1/namespaces/default/deployments/hello")
            #expect(requests[restart].bodyText.contains(second))
            #expect(h.restartPatches.count == 1)
            #expect(result.stdoutText.contains("configmap/hello-code configured\n"))
            #expect(result.stdoutText.contains("deployment.apps/hello restarted at \(second.prefix(12))\n"))
            #expect(h.restartedAt == second)
            #expect(h.liveFiles()["nodes/fetch.ts"] == "export default async () => ({ greeting: \"bonjour\" });\n")
            #expect(h.rollouts == 2)
        }
    }

    @Test func deployingATagFromAnotherDirtyBranchDeploysTheTagsContent() async throws {
        try await DeployHarness.with { h in
            try h.repo.git(["tag", "v1.0.0"])
            try h.repo.git(["checkout", "-q", "-b", "feature"])
            try h.commitFetch("export default async () => ({ greeting: \"feature branch\" });\n")
            try h.repo.write("nodes/fetch.ts", "export default async () => ({ greeting: \"uncommitted\" });\n")
            try h.repo.write("workflow.yaml", "name: hello\nversion: \"1.0\"\nnodes: {}\n")

            let result = try h.deploy(["v1.0.0"])
            #expect(result.status == 0, "\(result.stderrText)")
            #expect(result.stdoutText.contains("deployed hello at \(h.firstCommit) (v1.0.0) to namespace default\n"))
            #expect(h.liveFiles() == ["workflow.yaml": try h.show("v1.0.0:workflow.yaml"), "nodes/fetch.ts": try h.show("v1.0.0:nodes/fetch.ts")])
            #expect(h.restartedAt == h.firstCommit)
        }
    }

    @Test func droppingTheCronTriggerPrunesTheCronJob() async throws {
        try await DeployHarness.with { h in
            #expect(try h.deploy().status == 0)
            #expect(h.object(.cronJobs, "hello-cron-1") != nil)
            try h.writeWorkflow(fetch: "export default async () => ({ greeting: \"hello\" });\n", cron: false)
            try h.repo.commitAll("no more hourly runs")

            let result = try h.deploy()
            #expect(result.status == 0, "\(result.stderrText)")
            #expect(result.stdoutText.contains("cronjob.batch/hello-cron-1 pruned\n"))
            #expect(h.object(.cronJobs, "hello-cron-1") == nil)
            #expect(h.object(.services, "hello") != nil)
        }
    }

    @Test func aWorkflowOf900KBDeploysWithoutALastAppliedAnnotation() async throws {
        try await DeployHarness.with { h in
            // 90 files of 10,000 bytes plus workflow.yaml: just under the 921,600-byte limit.
            let line = String(repeating: "x", count: 99) + "\n"
            var yaml = "name: hello\nversion: \"1.0\"\nnodes:\n"
            for index in 0..<90 {
                yaml += "  n\(index): nodes/n\(index).ts\n"
                try h.repo.write("nodes/n\(index).ts", "//" + String(repeating: line, count: 100).dropFirst(2))
            }
            try h.repo.write("workflow.yaml", yaml)
            try h.repo.remove("nodes/fetch.ts")
            try h.repo.commitAll("big")

            let result = try h.deploy()
            #expect(result.status == 0, "\(result.stderrText)")
            let data = h.configMap?["data"]?.object ?? [:]
            #expect(data.count == 91)
            #expect(data.values.reduce(0) { $0 + ($1.string?.utf8.count ?? 0) } == 900_000 + yaml.utf8.count)
            #expect(h.configMap?.value(at: ["metadata", "annotations", "kubectl.kubernetes.io/last-applied-configuration"]) == nil)
            let n42 = try h.show("HEAD:nodes/n42.ts")
            #expect(h.liveFiles()["nodes/n42.ts"] == n42)
        }
    }

    @Test func aBundleOverTheLimitFailsBeforeAnyRequest() async throws {
        try await DeployHarness.with { h in
            try h.repo.write("nodes/big.json", String(repeating: "a", count: 921_600))
            try h.repo.commitAll("too big")
            let total = 921_600 + (try h.repo.git(["show", "HEAD:workflow.yaml"]).count)
                + (try h.repo.git(["show", "HEAD:nodes/fetch.ts"]).count)

            let result = try h.deploy()
            #expect(result.status != 0)
            #expect(result.stderrText.contains("workflow code exceeds ConfigMap size limit (900KB): total size is \(total) bytes"))
            #expect(h.server.requests.isEmpty)
        }
    }
}

@Suite struct DeployControlCharacterTests {
    @Test func aNodeFileWithCharactersYAMLRefusesRawDeploysExactly() async throws {
        try await DeployHarness.with { h in
            let source = "export const odd = \"del=\u{7F} c1=\u{80}\u{9F} nel=\u{85} ls=\u{2028} fffe=\u{FFFE}\";\n"
            try h.commitFetch(source)
            let result = try h.deploy()
            #expect(result.status == 0, "\(result.stderrText)")
            let data = h.configMap?.value(at: ["data", "nodes__fetch.ts"])?.string
            #expect(data.map { Array($0.utf8) } == Array(try h.repo.git(["show", "HEAD:nodes/fetch.ts"])))
        }
    }
}
