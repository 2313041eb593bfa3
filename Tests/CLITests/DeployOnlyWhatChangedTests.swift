import Foundation
import KubeTestServer
import Testing
import TestSupport

/// Two workflows in one repository: a commit that changes what one ships restarts only that one,
/// with git as the oracle for the stamp (`git log -1 --format=%H REV -- DIR/workflow.yaml DIR/nodes`
/// for these fixtures, whose nodes/ hold only shipped files).
@Suite struct DeployOnlyWhatChangedTests {
    /// Replaces the harness's root workflow with `hello/` and `billing/`; returns the commit.
    func twoWorkflows(_ h: DeployHarness) throws -> String {
        try h.repo.remove("workflow.yaml")
        try h.repo.remove("nodes")
        try h.repo.writeWorkflow(at: "hello", name: "hello")
        try h.repo.writeWorkflow(at: "billing", name: "billing")
        return try h.repo.commitAll("two workflows")
    }

    func lastChange(_ h: DeployHarness, _ directory: String, _ revision: String = "HEAD") throws -> String {
        try h.repo.gitText(["log", "-1", "--format=%H", revision, "--", "\(directory)/workflow.yaml", "\(directory)/nodes"])
    }

    func annotation(_ h: DeployHarness, _ name: String, _ key: String) -> String? {
        h.object(.deployments, name)?.value(at: ["metadata", "annotations", key])?.string
    }

    func stamp(_ h: DeployHarness, _ name: String) -> String? {
        h.object(.deployments, name)?.value(at: ["spec", "template", "metadata", "annotations", "kubectl.kubernetes.io/restartedAt"])?.string
    }

    @Test func aCommitTouchingOnlyBillingRestartsOnlyBilling() async throws {
        try await DeployHarness.with { h in
            let first = try twoWorkflows(h)
            #expect(try h.deploy(["-w", "hello"]).status == 0)
            #expect(try h.deploy(["-w", "billing"]).status == 0)
            try h.repo.write("billing/nodes/fetch.ts", "export default async () => ({ billed: true });\n")
            let second = try h.repo.commitAll("billing node")
            let helloCode = h.object(.configMaps, "hello-code")?.value(at: ["metadata", "resourceVersion"])?.string
            h.server.clearRequests()

            let hello = try h.deploy(["-w", "hello"])
            #expect(hello.status == 0, "\(hello.stderrText)")
            let lines = hello.stdoutText.split(separator: "\n").map(String.init)
            #expect(lines.contains("configmap/hello-code unchanged"))
            #expect(lines.contains("deployment.apps/hello configured"))
            #expect(!lines.contains { $0.contains("restarted at") })
            #expect(h.restartPatches.isEmpty)
            #expect(h.server.rolloutCount(namespace: "default", name: "hello") == 1)
            #expect(stamp(h, "hello") == first)
            #expect(try lastChange(h, "hello") == first)
            #expect(annotation(h, "hello", "pipedreamer.dev/commit") == second)
            #expect(annotation(h, "hello", "pipedreamer.dev/code-commit") == first)
            #expect(h.object(.configMaps, "hello-code")?.value(at: ["metadata", "resourceVersion"])?.string == helloCode)

            let billing = try h.deploy(["-w", "billing"])
            #expect(billing.status == 0, "\(billing.stderrText)")
            #expect(billing.stdoutText.contains("deployment.apps/billing restarted at \(second.prefix(12))\n"))
            #expect(h.server.rolloutCount(namespace: "default", name: "billing") == 2)
            #expect(stamp(h, "billing") == (try lastChange(h, "billing")))
            #expect(stamp(h, "billing") == second)
        }
    }

    @Test func statusAndDiffOfTheUntouchedWorkflowSayNothingChanged() async throws {
        try await DeployHarness.with { h in
            let first = try twoWorkflows(h)
            #expect(try h.deploy(["-w", "hello"]).status == 0)
            #expect(try h.deploy(["-w", "billing"]).status == 0)
            try h.repo.write("billing/nodes/fetch.ts", "export default async () => ({ billed: true });\n")
            let second = try h.repo.commitAll("billing code")

            // Deploy would record the new commit on the Deployment, and nothing else: diff shows that one line.
            let diff = try h.run(["diff", "-w", "hello"])
            #expect(diff.status == 1, "\(diff.allOutput)")
            #expect(diff.stdoutText.contains("-    pipedreamer.dev/commit: '\(first)'\n+    pipedreamer.dev/commit: '\(second)'\n"), "\(diff.stdoutText)")
            #expect(diff.stdoutText.components(separatedBy: "\n+ ").count == 2, "\(diff.stdoutText)")
            #expect(try h.run(["diff", "-w", "billing"]).status == 1)

            let status = try h.run(["status", "-w", "hello"])
            #expect(status.status == 0, "\(status.stderrText)")
            #expect(status.stdoutText.split(separator: "\n").last.map(String.init)
                    == "HEAD:      \(second) (deployed: nothing in hello changed since \(first.prefix(12)))")
            let byName = try h.run(["status", "hello", "-o", "json"])
            #expect(byName.stdoutText.contains("\"headDiffers\": false"))
            #expect(byName.stdoutText.contains("\"headCodeCommit\": \"\(first)\""))
            let billing = try h.run(["status", "-w", "billing"])
            #expect(billing.stdoutText.split(separator: "\n").last.map(String.init) == "HEAD:      \(second) (differs from the deployed commit)")
        }
    }

    @Test func statusShowsTheCodeCommitWhenItIsNotTheDeployedCommit() async throws {
        try await DeployHarness.with { h in
            let first = try twoWorkflows(h)
            try h.repo.write("billing/README.md", "notes\n")
            let second = try h.repo.commitAll("billing readme")
            #expect(try h.deploy(["-w", "hello"]).status == 0)
            let lines = try h.run(["status", "-w", "hello"]).stdoutText.split(separator: "\n").map(String.init)
            #expect(lines.contains("commit:    \(second)"))
            #expect(lines.contains("code:      \(first) (the last commit that changed what the workflow ships)"))
            #expect(lines.contains("code map:  hello-code (shared)"))
            #expect(lines.last == "HEAD:      \(second) (deployed)")
        }
    }

    @Test func mergesAndARevertStampWhatGitLogPrints() async throws {
        try await DeployHarness.with { h in
            _ = try twoWorkflows(h)
            #expect(try h.deploy(["-w", "hello"]).status == 0)
            // A side branch changes billing only; the merge is TREESAME to main for hello.
            try h.repo.git(["checkout", "-q", "-b", "side"])
            try h.repo.write("billing/nodes/fetch.ts", "export default async () => ({ side: true });\n")
            try h.repo.commitAll("side billing")
            try h.repo.git(["checkout", "-q", "main"])
            try h.repo.git(["merge", "-q", "--no-ff", "-m", "merge side", "side"])
            #expect(try h.deploy(["-w", "hello"]).status == 0)
            #expect(h.restartPatches.isEmpty)
            #expect(stamp(h, "hello") == (try lastChange(h, "hello")))

            // A merge that changes hello relative to both parents is itself the change.
            try h.repo.git(["checkout", "-q", "-b", "other"])
            try h.repo.write("hello/nodes/extra.ts", "export const extra = 1;\n")
            try h.repo.commitAll("other adds a file")
            try h.repo.git(["checkout", "-q", "main"])
            try h.repo.write("hello/nodes/fetch.ts", "export default async () => ({ main: true });\n")
            try h.repo.commitAll("main edits fetch")
            try h.repo.git(["merge", "-q", "--no-ff", "-m", "merge other", "other"])
            let merge = try h.repo.gitText(["rev-parse", "HEAD"])
            #expect(try h.deploy(["-w", "hello"]).status == 0)
            #expect(stamp(h, "hello") == merge)
            #expect(try lastChange(h, "hello") == merge)

            // Reverting to an earlier tree is a change of its own: the pods roll for the revert.
            try h.repo.git(["revert", "--no-edit", "-m", "1", "HEAD"])
            let revert = try h.repo.gitText(["rev-parse", "HEAD"])
            let before = h.server.rolloutCount(namespace: "default", name: "hello")
            #expect(try h.deploy(["-w", "hello"]).status == 0)
            #expect(stamp(h, "hello") == revert)
            #expect(try lastChange(h, "hello") == revert)
            #expect(h.server.rolloutCount(namespace: "default", name: "hello") == before + 1)
        }
    }

    @Test func aShallowCloneStampsTheDeployedCommitAndSaysSoOnce() async throws {
        try await DeployHarness.with { h in
            _ = try twoWorkflows(h)
            for index in 1...3 {
                try h.repo.write("billing/README.md", "notes \(index)\n")
                try h.repo.commitAll("billing \(index)")
            }
            let clone = try GitFixture()
            try clone.git(["fetch", "-q", "--depth", "2", "file://\(h.repo.path)", "main:refs/remotes/origin/main"])
            try clone.git(["checkout", "-q", "-B", "main", "origin/main"])
            let head = try clone.gitText(["rev-parse", "HEAD"])
            let boundary = try clone.gitText(["rev-parse", "HEAD~1"])
            let result = try PipedreamerBinary.run(["deploy", "-w", "hello", "--timeout", "20s", "--kubeconfig", h.kubeconfigPath], in: clone.path)
            #expect(result.status == 0, "\(result.stderrText)")
            let note = "note: this clone is shallow: the history of hello ends at \(boundary.prefix(12)) before the commit that last changed it, so the restart stamp is the deployed commit \(head.prefix(12)) and the pods restart even if hello did not change; fetch the full history with `git fetch --unshallow`"
            #expect(result.stdoutText.components(separatedBy: note).count == 2)
            #expect(stamp(h, "hello") == head)
        }
    }
}

/// The post-receive hook with two workflows: a tag that changes one restarts only that one.
@Suite struct PostReceiveOnlyWhatChangedTests {
    @Test func aTagChangingOnlyBillingRestartsOnlyBilling() async throws {
        let remote = try HookedRepository(fixture: try GitFixture(bare: true), server: true)
        let clone = try GitFixture()
        try clone.git(["remote", "add", "origin", remote.path])
        try clone.writeWorkflow(at: "hello", name: "hello")
        try clone.writeWorkflow(at: "billing", name: "billing")
        let first = try clone.commitAll("two workflows")
        let server = try await KubeTestServer.start(.init(runtimeClasses: ["gvisor": "runsc"]))
        defer { Task { try? await server.shutdown() } }
        let kubeconfig = clone.path + "-kubeconfig"
        try server.kubeconfig().write(toFile: kubeconfig, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: kubeconfig) }
        try remote.fixture.git(["config", "pipedreamer.deployRefs", "refs/tags/v*"])
        try clone.git(["tag", "v1"])
        _ = try push(clone, ["main", "v1"], kubeconfig: kubeconfig)
        try await waitForRollouts(server, ["hello", "billing"])
        try clone.write("billing/nodes/fetch.ts", "export default async () => ({ billed: true });\n")
        let second = try clone.commitAll("billing code")
        try clone.git(["tag", "v2"])

        let lines = try push(clone, ["main", "v2"], kubeconfig: kubeconfig)
        let at = "pipedreamer: refs/tags/v2 at \(second.prefix(12))"
        #expect(lines == [
            "\(at): deployed billing to namespace default: configmap/billing-code configured, deployment.apps/billing configured; rollout started (follow it with `pipedreamer status billing -n default`)",
            "\(at): deployed hello to namespace default: deployment.apps/hello configured; nothing restarted (hello ships what it shipped at \(first.prefix(12)))",
        ])
        #expect(server.rolloutCount(namespace: "default", name: "hello") == 1)
        #expect(server.rolloutCount(namespace: "default", name: "billing") == 2)
        let hello = server.object(.deployments, namespace: "default", name: "hello")
        #expect(hello?.value(at: ["spec", "template", "metadata", "annotations", "kubectl.kubernetes.io/restartedAt"])?.string == first)
        #expect(hello?.value(at: ["metadata", "annotations", "pipedreamer.dev/commit"])?.string == second)
    }

    func push(_ clone: GitFixture, _ refs: [String], kubeconfig: String) throws -> [String] {
        let result = try Command.run("/usr/bin/env", ["git", "push", "-q", "--no-verify", "origin"] + refs, in: clone.path,
                                     environment: GitFixture.environment.merging(["KUBECONFIG": kubeconfig]) { $1 })
        #expect(result.status == 0, "\(result.stderrText)")
        return result.stderrText.split(separator: "\n").compactMap { line in
            line.hasPrefix("remote: ") ? String(line.dropFirst(8)).trimmingCharacters(in: .whitespaces) : nil
        }
    }

    func waitForRollouts(_ server: KubeTestServer, _ names: [String]) async throws {
        for _ in 0..<200 where names.contains(where: { server.rolloutCount(namespace: "default", name: $0) == 0 }) {
            try await Task.sleep(for: .milliseconds(10))
        }
    }
}
