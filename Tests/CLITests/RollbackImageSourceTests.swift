import Foundation
import KubeTestServer
import Testing
import TestSupport

/// A rollback deploys the image a history revision recorded; its output names that revision as the
/// image's source, never `--image`, which nobody gave.
@Suite struct RollbackImageSourceTests {
    /// v1 with engine:1, v2 with engine:2, both through `--image`.
    func twoVersions(_ h: DeployHarness) throws {
        #expect(try h.deploy(["--image", "engine:1"]).status == 0)
        try h.commitFetch("export default async () => ({ greeting: \"v2\" });\n")
        #expect(try h.deploy(["--image", "engine:2"]).status == 0)
    }

    struct Source: Decodable, Equatable {
        var kind: String
        var revision: Int?
    }

    struct Summary: Decodable {
        var imageSource: Source
    }

    func imageSource(_ stdout: Data) throws -> Source {
        try JSONDecoder().decode(Summary.self, from: stdout).imageSource
    }

    @Test func rollbackTextNamesTheHistoryRevisionAsTheImageSource() async throws {
        try await DeployHarness.with { h in
            try twoVersions(h)
            let result = try h.run(["rollback", "--timeout", "20s"])
            #expect(result.status == 0, "\(result.stderrText)")
            #expect(result.stdoutText.contains("image engine:1 (recorded with revision 1 in the history)\n"), "\(result.stdoutText)")
            #expect(!result.allOutput.contains("--image"), "\(result.allOutput)")
        }
    }

    @Test func rollbackJSONGivesTheHistoryRevisionAsTheImageSource() async throws {
        try await DeployHarness.with { h in
            try twoVersions(h)
            let result = try h.run(["rollback", "--timeout", "20s", "-o", "json"])
            #expect(result.status == 0, "\(result.stderrText)")
            #expect(try imageSource(result.stdout) == Source(kind: "history", revision: 1))
            #expect(result.stderrText.contains("rolling back hello to revision 1 (commit \(h.firstCommit), image engine:1)\n"))
        }
    }

    @Test func deployJSONSaysTheImageCameFromTheFlagOrTheDefault() async throws {
        try await DeployHarness.with { h in
            let flagged = try h.deploy(["--image", "engine:1", "-o", "json"])
            #expect(flagged.status == 0, "\(flagged.stderrText)")
            #expect(try imageSource(flagged.stdout) == Source(kind: "flag"))
            #expect(flagged.stderrText.contains("image engine:1 (from --image)\n"))
            let fallback = try h.deploy(["-o", "json"])
            #expect(try imageSource(fallback.stdout) == Source(kind: "default"))
        }
    }

    @Test func anInClusterRollbackSaysTheSameInJSON() async throws {
        try await DeployHarness.with { h in
            let perCommit = ["--code-configmap", "per-commit"]
            #expect(try h.deploy(perCommit + ["--image", "engine:1"]).status == 0)
            try h.commitFetch("export default async () => ({ greeting: \"v2\" });\n")
            #expect(try h.deploy(perCommit + ["--image", "engine:2"]).status == 0)
            // Outside any repository: restored from the ConfigMap and ReplicaSet.
            let result = try PipedreamerBinary.run(["rollback", "hello", "--timeout", "20s", "-o", "json", "--kubeconfig", h.kubeconfigPath],
                                                   in: h.scratch.path)
            #expect(result.status == 0, "\(result.stderrText)")
            #expect(try imageSource(result.stdout) == Source(kind: "history", revision: 1))
            #expect(result.stderrText.contains("from the cluster's record\n"))
        }
    }
}
