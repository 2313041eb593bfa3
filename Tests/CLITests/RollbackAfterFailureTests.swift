import Foundation
import KubeTestServer
import Testing
import TestSupport

/// `rollback` from what a failed or timed-out deploy leaves: the Deployment on the failed template,
/// the version before it live in `history`.
@Suite struct RollbackAfterFailureTests {
    static let hint = "; to go back to the last version that completed, run `pipedreamer rollback hello -n default`"

    struct Row: Decodable, Equatable {
        let revision: Int
        let commit: String
        let outcome: String
        let live: Bool
    }

    func history(_ h: DeployHarness) throws -> [Row] {
        let output = try h.run(["history", "-o", "json"])
        #expect(output.status == 0, "\(output.stderrText)")
        return try JSONDecoder().decode([Row].self, from: output.stdout)
    }

    /// The first commit deployed as v1.0 with engine:1 (complete), then a commit whose rollout fails.
    func failedAfterOneVersion(_ h: DeployHarness, mode: RolloutMode = .stuck, timeout: String = "20s") throws -> (Command.Result, String) {
        try h.repo.git(["tag", "v1.0"])
        #expect(try h.deploy(["--image", "engine:1"]).status == 0)
        h.server.setRolloutMode(namespace: "default", name: "hello", mode)
        let broken = try h.commitFetch("export default async () => ({ greeting: \"broken\" });\n")
        let result = try h.run(["deploy", "--image", "engine:1", "--timeout", timeout])
        return (result, broken)
    }

    func lines(_ text: String) -> [String] { text.split(separator: "\n").map(String.init) }

    @Test func aFailedRolloutNamesTheRollbackCommand() async throws {
        try await DeployHarness.with { h in
            let (result, _) = try failedAfterOneVersion(h)
            #expect(result.status != 0)
            let error = try #require(lines(result.stderrText).last)
            #expect(error.hasPrefix("Error: deployment \"hello\" exceeded its progress deadline: "))
            #expect(error.hasSuffix("has timed out progressing.\(Self.hint)"))
        }
    }

    @Test func aTimedOutRolloutNamesTheRollbackCommand() async throws {
        try await DeployHarness.with { h in
            let (result, _) = try failedAfterOneVersion(h, mode: .hold, timeout: "1s")
            #expect(result.status != 0)
            let error = try #require(lines(result.stderrText).last)
            #expect(error.hasPrefix("Error: timed out after 1.0 seconds waiting for deployment \"hello\" to roll out"))
            #expect(error.hasSuffix("see `kubectl -n default describe deployment hello`\(Self.hint)"))
        }
    }

    @Test func aFirstDeployThatFailsSuggestsNoRollback() async throws {
        try await DeployHarness.with { h in
            h.server.setRolloutMode(namespace: "default", name: "hello", .stuck)
            let result = try h.deploy()
            #expect(result.status != 0)
            #expect(!result.stderrText.contains("pipedreamer rollback"))
            let rollback = try h.run(["rollback", "--timeout", "20s"])
            #expect(rollback.status != 0)
            #expect(lines(rollback.stderrText).last == "Error: workflow hello has no version that rolled out to roll back to in namespace default (see `pipedreamer history hello -n default`)")
        }
    }

    @Test func rollbackAfterAFailedRolloutRestoresTheLastVersionThatCompleted() async throws {
        try await DeployHarness.with { h in
            let (failed, broken) = try failedAfterOneVersion(h)
            #expect(failed.status != 0)
            #expect(h.restartedAt == broken)
            h.server.setRolloutMode(namespace: "default", name: "hello", .complete)
            let result = try h.run(["rollback", "--timeout", "20s"])
            #expect(result.status == 0, "\(result.stderrText)")
            let output = lines(result.stdoutText)
            #expect(output.first == "rolling back hello to revision 1 (commit \(h.firstCommit), image engine:1)")
            #expect(output.last == "deployed hello at \(h.firstCommit) (v1.0) to namespace default")
            #expect(h.restartedAt == h.firstCommit)
            #expect(h.liveFiles()["nodes/fetch.ts"] == (try h.show("v1.0:nodes/fetch.ts")))
            #expect(try history(h) == [
                Row(revision: 3, commit: h.firstCommit, outcome: "complete", live: true),
                Row(revision: 2, commit: broken, outcome: "failed", live: false),
                Row(revision: 1, commit: h.firstCommit, outcome: "complete", live: false),
            ])
        }
    }

    @Test func rollbackAfterATimedOutRolloutRestoresTheLastVersionThatCompleted() async throws {
        try await DeployHarness.with { h in
            let (failed, broken) = try failedAfterOneVersion(h, mode: .hold, timeout: "1s")
            #expect(failed.status != 0)
            h.server.setRolloutMode(namespace: "default", name: "hello", .complete)
            let result = try h.run(["rollback", "--timeout", "20s"])
            #expect(result.status == 0, "\(result.stderrText)")
            #expect(lines(result.stdoutText).first == "rolling back hello to revision 1 (commit \(h.firstCommit), image engine:1)")
            #expect(h.restartedAt == h.firstCommit)
            #expect(try history(h).map(\.commit) == [h.firstCommit, broken, h.firstCommit])
        }
    }

    @Test func rollbackAfterAFailedImageChangeRestoresTheImageThatCompleted() async throws {
        try await DeployHarness.with { h in
            #expect(try h.deploy(["--image", "engine:1"]).status == 0)
            h.server.setRolloutMode(namespace: "default", name: "hello", .stuck)
            #expect(try h.deploy(["--image", "engine:bad"]).status != 0)
            h.server.setRolloutMode(namespace: "default", name: "hello", .complete)
            let result = try h.run(["rollback", "--timeout", "20s"])
            #expect(result.status == 0, "\(result.stderrText)")
            #expect(lines(result.stdoutText).first == "rolling back hello to revision 1 (commit \(h.firstCommit), image engine:1)")
            #expect(h.deployment?.value(at: ["spec", "template", "spec", "containers"])?.array?.first?["image"]?.string == "engine:1")
        }
    }

    @Test func rollbackWithoutARepositoryAfterAFailedRolloutRestoresTheLastPerCommitVersion() async throws {
        try await DeployHarness.with { h in
            #expect(try h.deploy(["--code-configmap", "per-commit"]).status == 0)
            h.server.setRolloutMode(namespace: "default", name: "hello", .stuck)
            _ = try h.commitFetch("export default async () => ({ greeting: \"broken\" });\n")
            #expect(try h.deploy().status != 0)
            h.server.setRolloutMode(namespace: "default", name: "hello", .complete)
            let result = try PipedreamerBinary.run(["rollback", "hello", "--timeout", "20s", "--kubeconfig", h.kubeconfigPath], in: h.scratch.path)
            #expect(result.status == 0, "\(result.stderrText)")
            #expect(lines(result.stdoutText).first == "rolling back hello to revision 1 (commit \(h.firstCommit), image pipedreamer-engine:latest) from the cluster's record")
            #expect(h.mountedCode == h.codeName(h.firstCommit))
            #expect(h.restartedAt == h.firstCommit)
        }
    }
}
