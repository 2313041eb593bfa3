import Foundation
import KubeTestServer
import Testing
import TestSupport

/// `--keep N` and the Deployment's `revisionHistoryLimit` agree in per-commit mode: each old
/// ReplicaSet mounts its code ConfigMap, so the Deployment keeps N of them and deploy keeps the
/// ConfigMaps those need, no more.
@Suite struct KeepAndHistoryLimitTests {
    let perCommit = ["--code-configmap", "per-commit"]

    func historyLimit(_ h: DeployHarness) -> Int? {
        guard case .int(let limit)? = h.deployment?.value(at: ["spec", "revisionHistoryLimit"]) else { return nil }
        return Int(limit)
    }

    @Test func keepTwoLeavesExactlyTheConfigMapsTheLiveAndKeptReplicaSetsMount() async throws {
        try await DeployHarness.with { h in
            var shas = [h.firstCommit]
            #expect(try h.deploy(perCommit + ["--keep", "2"]).status == 0)
            for index in 2...5 {
                shas.append(try h.commitFetch("export default async () => ({ version: \(index) });\n"))
                let result = try h.deploy(perCommit + ["--keep", "2"])
                #expect(result.status == 0, "\(result.stderrText)")
            }
            #expect(historyLimit(h) == 2)
            // The live ReplicaSet and the two the Deployment keeps, and their ConfigMaps only.
            let mounted = try await h.replicaSetCode()
            #expect(mounted == [5: h.codeName(shas[4]), 4: h.codeName(shas[3]), 3: h.codeName(shas[2])])
            #expect(try await h.perCommitConfigMaps() == Set(mounted.values).sorted())
        }
    }

    @Test func theOldestKeptRevisionRollsBackFromTheClusterAndTheLimitStays() async throws {
        try await DeployHarness.with { h in
            var shas = [h.firstCommit]
            #expect(try h.deploy(perCommit + ["--keep", "2"]).status == 0)
            for index in 2...5 {
                shas.append(try h.commitFetch("export default async () => ({ version: \(index) });\n"))
                #expect(try h.deploy(perCommit + ["--keep", "2"]).status == 0)
            }
            // Outside any repository: only the kept ReplicaSet and ConfigMap can restore revision 3.
            let result = try PipedreamerBinary.run(["rollback", "hello", "--to-revision", "3", "--timeout", "20s",
                                                    "--kubeconfig", h.kubeconfigPath], in: h.scratch.path)
            #expect(result.status == 0, "\(result.stderrText)")
            #expect(result.stdoutText.contains("rolling back hello to revision 3 (commit \(shas[2]), image pipedreamer-engine:latest) from the cluster's record\n"))
            #expect(h.mountedCode == h.codeName(shas[2]))
            #expect(h.restartedAt == shas[2])
            #expect(historyLimit(h) == 2)
            // Revision 2 is gone with its ReplicaSet and ConfigMap: it needs the repository.
            let older = try PipedreamerBinary.run(["rollback", "hello", "--to-revision", "2", "--kubeconfig", h.kubeconfigPath],
                                                  in: h.scratch.path)
            #expect(older.status != 0)
            #expect(older.stderrText.contains("re-renders commit \(shas[1]), which is not in a repository here"))
        }
    }

    @Test func aRollbackReRenderedFromTheRepositoryKeepsWhatItIsGiven() async throws {
        try await DeployHarness.with { h in
            #expect(try h.deploy(perCommit + ["--keep", "2"]).status == 0)
            try h.commitFetch("export default async () => ({ version: 2 });\n")
            #expect(try h.deploy(perCommit + ["--keep", "2"]).status == 0)
            let result = try h.run(["rollback", "--keep", "2", "--timeout", "20s"])
            #expect(result.status == 0, "\(result.stderrText)")
            #expect(h.mountedCode == h.codeName(h.firstCommit))
            #expect(historyLimit(h) == 2)
        }
    }

    @Test func renderSetsTheLimitInPerCommitModeOnly() throws {
        let fixture = try GitFixture()
        try fixture.writeWorkflow()
        try fixture.commitAll()
        let perCommit = try PipedreamerBinary.run(["render", "--code-configmap", "per-commit", "--keep", "3"], in: fixture.path)
        #expect(perCommit.status == 0, "\(perCommit.stderrText)")
        #expect(perCommit.stdoutText.contains("\n  revisionHistoryLimit: 3\n"))
        let byDefault = try PipedreamerBinary.run(["render", "--code-configmap", "per-commit"], in: fixture.path)
        #expect(byDefault.stdoutText.contains("\n  revisionHistoryLimit: 5\n"))
        // Shared mode: old ReplicaSets mount the one rewritten ConfigMap, so they pin nothing; Kubernetes' default stays.
        let shared = try PipedreamerBinary.run(["render", "--keep", "3"], in: fixture.path)
        #expect(shared.status == 0, "\(shared.stderrText)")
        #expect(!shared.stdoutText.contains("revisionHistoryLimit"))
        let negative = try PipedreamerBinary.run(["render", "--keep=-1"], in: fixture.path)
        #expect(negative.status == 2)
        #expect(negative.stderrText.contains("--keep must be 0 or more"))
    }

    @Test func aLimitSomeoneElseSetIsKept() async throws {
        try await DeployHarness.with { h in
            #expect(try h.deploy(perCommit + ["--keep", "2"]).status == 0)
            try await h.send("PATCH", "/apis/apps/v1/namespaces/default/deployments/hello", ["spec": ["revisionHistoryLimit": 7]],
                             contentType: "application/strategic-merge-patch+json")
            try h.commitFetch("export default async () => ({ version: 2 });\n")
            let result = try h.deploy(perCommit + ["--keep", "2"])
            #expect(result.status == 0, "\(result.stderrText)")
            #expect(historyLimit(h) == 7)
        }
    }
}
