import Foundation
import KubeTestServer
import Testing
import TestSupport

/// `history` and `rollback` against what `deploy` recorded in the cluster.
@Suite struct HistoryRollbackTests {
    /// Deploys the first commit as v1.0 with engine:1, then a second as v1.1 with engine:2; returns the second.
    func twoVersions(_ h: DeployHarness) throws -> String {
        try h.repo.git(["tag", "v1.0"])
        #expect(try h.deploy(["--image", "engine:1"]).status == 0)
        let second = try h.commitFetch("export default async () => ({ greeting: \"v1.1\" });\n")
        try h.repo.git(["tag", "v1.1"])
        #expect(try h.deploy(["--image", "engine:2"]).status == 0)
        return second
    }

    struct Row: Decodable, Equatable {
        let revision: Int
        let commit: String
        let refs: [String]
        let image: String
        let outcome: String
        let live: Bool
    }

    func history(_ h: DeployHarness, in directory: String? = nil) throws -> [Row] {
        let result = directory.map { try? PipedreamerBinary.run(["history", "hello", "-o", "json", "--kubeconfig", h.kubeconfigPath], in: $0) }
            ?? (try? h.run(["history", "-o", "json"]))
        let output = try #require(result)
        #expect(output.status == 0, "\(output.stderrText)")
        return try JSONDecoder().decode([Row].self, from: output.stdout)
    }

    @Test func historyListsTheVersionsNewestFirstWithTheLiveOneMarked() async throws {
        try await DeployHarness.with { h in
            let second = try twoVersions(h)
            #expect(try history(h) == [
                Row(revision: 2, commit: second, refs: ["v1.1", "main"], image: "engine:2", outcome: "complete", live: true),
                Row(revision: 1, commit: h.firstCommit, refs: ["v1.0"], image: "engine:1", outcome: "complete", live: false),
            ])
            // From anywhere: without a repository the refs are unknown, the rest is the same.
            #expect(try history(h, in: h.scratch.path).map(\.refs) == [[], []])
            let text = try h.run(["history"]).stdoutText.split(separator: "\n").map(String.init)
            #expect(text.first?.hasPrefix("REVISION  COMMIT        CODE          REFS") == true)
            #expect(text[1].hasPrefix("2         \(second.prefix(12))  \(second.prefix(12))  v1.1,main  engine:2"))
            #expect(text[1].hasSuffix("  live"))
            #expect(text[2].hasSuffix("  rolled out"))
        }
    }

    @Test func theHistoryRecordHoldsNeitherCodeNorSecretValues() async throws {
        try await DeployHarness.with { h in
            try h.repo.write(".secrets/API_KEY", "s3cr3t-value")
            #expect(try h.deploy().status == 0)
            let record = try #require(h.object(.configMaps, "hello-history"))
            let text = String(decoding: record.serialized(), as: UTF8.self)
            #expect(!text.contains("s3cr3t"))
            #expect(!text.contains("greeting"))
            #expect(record.value(at: ["metadata", "labels", "app.kubernetes.io/managed-by"])?.string == "pipedreamer")
        }
    }

    @Test func aFailedRolloutIsRecordedAndTheVersionBeforeStaysLive() async throws {
        try await DeployHarness.with { h in
            let second = try twoVersions(h)
            h.server.setRolloutMode(namespace: "default", name: "hello", .stuck)
            let third = try h.commitFetch("export default async () => ({ greeting: \"broken\" });\n")
            #expect(try h.deploy().status != 0)
            let rows = try history(h)
            #expect(rows.map(\.revision) == [3, 2, 1])
            #expect(rows.map(\.commit) == [third, second, h.firstCommit])
            #expect(rows.map(\.outcome) == ["failed", "complete", "complete"])
            #expect(rows.map(\.live) == [false, true, false])
        }
    }

    @Test func rollbackAfterAFailedRolloutReturnsToTheLiveVersionNotTheOneBefore() async throws {
        try await DeployHarness.with { h in
            let second = try twoVersions(h)
            h.server.setRolloutMode(namespace: "default", name: "hello", .stuck)
            _ = try h.commitFetch("export default async () => ({ greeting: \"broken\" });\n")
            #expect(try h.deploy(["--image", "engine:2"]).status != 0)
            h.server.setRolloutMode(namespace: "default", name: "hello", .complete)
            let result = try h.run(["rollback", "--timeout", "20s"])
            #expect(result.status == 0, "\(result.stderrText)")
            #expect(result.stdoutText.hasPrefix("rolling back hello to revision 2 (commit \(second), image engine:2)\n"))
            #expect(h.restartedAt == second)
            #expect(try history(h).map(\.live) == [true, false, false, false])
        }
    }

    @Test func rollbackRestoresThePreviousCodeAndImageInOneRollout() async throws {
        try await DeployHarness.with { h in
            _ = try twoVersions(h)
            let generation = h.deployment?.value(at: ["metadata", "generation"])?.int
            let result = try h.run(["rollback", "--timeout", "20s"])
            #expect(result.status == 0, "\(result.stderrText)")
            let lines = result.stdoutText.split(separator: "\n").map(String.init)
            #expect(lines.first == "rolling back hello to revision 1 (commit \(h.firstCommit), image engine:1)")
            #expect(lines.contains("v1.0 is older than the deployed v1.1 (rolling back)"))
            #expect(lines.last == "deployed hello at \(h.firstCommit) (v1.0) to namespace default")
            #expect(h.liveFiles()["nodes/fetch.ts"] == (try h.show("v1.0:nodes/fetch.ts")))
            #expect(h.deployment?.value(at: ["spec", "template", "spec", "containers"])?.array?.first?["image"]?.string == "engine:1")
            // One change of the pod template (image and stamp together), back to revision 1's template.
            #expect(h.deployment?.value(at: ["metadata", "generation"])?.int == generation.map { $0 + 1 })
            #expect(h.rollouts == 2)
            let rows = try history(h)
            #expect(rows.map(\.revision) == [3, 2, 1])
            #expect(rows.first?.commit == h.firstCommit)
            #expect(rows.map(\.live) == [true, false, false])
        }
    }

    @Test func rollbackToATagReRendersItFromTheRepository() async throws {
        try await DeployHarness.with { h in
            _ = try twoVersions(h)
            let result = try h.run(["rollback", "--to", "v1.0", "--timeout", "20s"])
            #expect(result.status == 0, "\(result.stderrText)")
            #expect(h.liveFiles()["nodes/fetch.ts"] == (try h.show("v1.0:nodes/fetch.ts")))
            #expect(h.restartedAt == h.firstCommit)
        }
    }

    @Test func rollbackWithoutARepositorySaysWhichCommitAndWhereToRunIt() async throws {
        try await DeployHarness.with { h in
            _ = try twoVersions(h)
            let result = try PipedreamerBinary.run(["rollback", "hello", "--kubeconfig", h.kubeconfigPath], in: h.scratch.path)
            #expect(result.status != 0)
            #expect(result.stderrText.contains("rolling back hello to revision 1 re-renders commit \(h.firstCommit), which is not in a repository here: run `pipedreamer rollback hello --to-revision 1 -n default` inside a clone of the workflow's repository that has it (`git fetch` it first)"))
        }
    }

    @Test func deployingAnOlderTagSaysItIsRollingBack() async throws {
        try await DeployHarness.with { h in
            _ = try twoVersions(h)
            let result = try h.deploy(["v1.0"])
            #expect(result.status == 0, "\(result.stderrText)")
            #expect(result.stdoutText.contains("v1.0 is older than the deployed v1.1 (rolling back)\n"))
        }
    }
}
