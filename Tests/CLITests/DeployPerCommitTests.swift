import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import KubeTestServer
import Testing
import TestSupport

/// Plain requests to the harness's API server, for what the tests set up or read beside pipedreamer.
extension DeployHarness {
    @discardableResult
    func send(_ method: String, _ path: String, _ body: [String: Any]? = nil,
              contentType: String = "application/json") async throws -> [String: Any] {
        var request = URLRequest(url: URL(string: server.url.absoluteString + path)!)
        request.httpMethod = method
        if let body {
            request.httpBody = try JSONSerialization.data(withJSONObject: body)
            request.setValue(contentType, forHTTPHeaderField: "Content-Type")
        }
        let (data, _) = try await URLSession.shared.data(for: request)
        return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
    }

    /// The code ConfigMap names of the Deployment's ReplicaSets, by revision.
    func replicaSetCode() async throws -> [Int: String] {
        let list = try await send("GET", "/apis/apps/v1/namespaces/default/replicasets")
        var result = [Int: String]()
        for item in list["items"] as? [[String: Any]] ?? [] {
            let metadata = item["metadata"] as? [String: Any]
            let revision = Int((metadata?["annotations"] as? [String: String])?["deployment.kubernetes.io/revision"] ?? "") ?? 0
            let volumes = ((item["spec"] as? [String: Any])?["template"] as? [String: Any]).flatMap { ($0["spec"] as? [String: Any])?["volumes"] as? [[String: Any]] } ?? []
            let code = volumes.first { $0["name"] as? String == "code" }?["configMap"] as? [String: Any]
            result[revision] = code?["name"] as? String
        }
        return result
    }

    /// Names of the per-commit code ConfigMaps in the namespace (any labels), sorted.
    func perCommitConfigMaps() async throws -> [String] {
        let list = try await send("GET", "/api/v1/namespaces/default/configmaps")
        return (list["items"] as? [[String: Any]] ?? []).compactMap { ($0["metadata"] as? [String: Any])?["name"] as? String }
            .filter { $0.contains("-code-") }.sorted()
    }

    func codeName(_ sha: String, workflow: String = DeployHarness.name) -> String { "\(workflow)-code-\(sha.prefix(12))" }

    /// The ConfigMap the live Deployment's code volume names.
    var mountedCode: String? {
        deployment?.value(at: ["spec", "template", "spec", "volumes"])?.array?
            .first { $0["name"]?.string == "code" }?.value(at: ["configMap", "name"])?.string
    }
}

@Suite struct DeployPerCommitTests {
    let perCommit = ["--code-configmap", "per-commit"]

    @Test func theCodeLivesInAnImmutableConfigMapNamedByTheCodeCommitWrittenBeforeTheSwitch() async throws {
        try await DeployHarness.with { h in
            let result = try h.deploy(perCommit)
            #expect(result.status == 0, "\(result.stderrText)")
            let name = h.codeName(h.firstCommit)
            #expect(result.stdoutText.contains("configmap/\(name) created\n"))
            let configMap = try #require(h.object(.configMaps, name))
            #expect(configMap["immutable"] == .bool(true))
            #expect(configMap.value(at: ["metadata", "labels", "pipedreamer.dev/code"])?.string == "per-commit")
            #expect(configMap.value(at: ["metadata", "labels", "app.kubernetes.io/name"])?.string == "hello")
            #expect(configMap.value(at: ["metadata", "annotations", "pipedreamer.dev/code-commit"])?.string == h.firstCommit)
            #expect(configMap.value(at: ["metadata", "annotations", "pipedreamer.dev/commit"])?.string == h.firstCommit)
            #expect(h.object(.configMaps, "hello-code") == nil)
            #expect(h.mountedCode == name)
            let status = try h.run(["status"]).stdoutText.split(separator: "\n").map(String.init)
            #expect(status.contains("code map:  \(name) (per-commit)"))

            let second = try h.commitFetch("export default async () => ({ greeting: \"v2\" });\n")
            h.server.clearRequests()
            #expect(try h.deploy(perCommit).status == 0)
            let writes = h.writes.filter { !$0.query.contains("dryRun") }
            let create = try #require(writes.firstIndex { $0.path.hasSuffix("/configmaps/\(h.codeName(second))") })
            let switchover = try #require(writes.firstIndex { $0.path.hasSuffix("/deployments/hello") })
            #expect(create < switchover)
            #expect(h.mountedCode == h.codeName(second))
        }
    }

    @Test func aRedeployOfUnchangedCodeWritesNoConfigMap() async throws {
        try await DeployHarness.with { h in
            #expect(try h.deploy(perCommit).status == 0)
            h.server.clearRequests()
            let again = try h.deploy(perCommit + [h.firstCommit])
            #expect(again.status == 0, "\(again.stderrText)")
            #expect(again.stdoutText.contains("configmap/\(h.codeName(h.firstCommit)) unchanged\n"))
            #expect(h.writes.filter { $0.path.contains("/configmaps/") }.isEmpty)
        }
    }

    @Test func duringARollingUpdateTheOldReplicaSetStillMountsTheOldCode() async throws {
        try await DeployHarness.with { h in
            #expect(try h.deploy(perCommit).status == 0)
            let old = h.codeName(h.firstCommit)
            let oldFetch = try h.show("HEAD:nodes/fetch.ts")
            h.server.setRolloutMode(namespace: "default", name: "hello", .hold)
            let second = try h.commitFetch("export default async () => ({ greeting: \"v2\" });\n")
            #expect(try h.deploy(perCommit + ["--no-wait"]).status == 0)
            #expect(try await h.replicaSetCode() == [1: old, 2: h.codeName(second)])
            #expect(h.object(.configMaps, old)?.value(at: ["data", "nodes__fetch.ts"])?.string == oldFetch)
            #expect(h.object(.configMaps, h.codeName(second))?.value(at: ["data", "nodes__fetch.ts"])?.string
                    == "export default async () => ({ greeting: \"v2\" });\n")
        }
    }

    @Test func garbageCollectionKeepsTheLiveOneAndTheNewestPreviousOnesOnly() async throws {
        try await DeployHarness.with { h in
            // Another workflow's, and an object without labels that only looks like ours.
            try await h.send("POST", "/api/v1/namespaces/default/configmaps", ["metadata": ["name": "billing-code-000000000000",
                "labels": ["app.kubernetes.io/name": "billing", "app.kubernetes.io/managed-by": "pipedreamer", "pipedreamer.dev/code": "per-commit"]]])
            try await h.send("POST", "/api/v1/namespaces/default/configmaps", ["metadata": ["name": "hello-code-ffffffffffff"]])
            var shas = [h.firstCommit]
            #expect(try h.deploy(perCommit + ["--keep", "2"]).status == 0)
            // The Deployment keeps one old ReplicaSet, so only the --keep rule protects the others.
            try await h.send("PATCH", "/apis/apps/v1/namespaces/default/deployments/hello", ["spec": ["revisionHistoryLimit": 1]],
                             contentType: "application/strategic-merge-patch+json")
            for index in 2...5 {
                shas.append(try h.commitFetch("export default async () => ({ version: \(index) });\n"))
                let result = try h.deploy(perCommit + ["--keep", "2"])
                #expect(result.status == 0, "\(result.stderrText)")
            }
            #expect(try await h.perCommitConfigMaps() == ([h.codeName(shas[4]), h.codeName(shas[3]), h.codeName(shas[2]),
                                                             "billing-code-000000000000", "hello-code-ffffffffffff"]).sorted())
        }
    }

    @Test func switchingFromSharedToPerCommitDeletesTheSharedConfigMapAfterTheRollout() async throws {
        try await DeployHarness.with { h in
            #expect(try h.deploy().status == 0)
            #expect(h.configMap != nil)
            let second = try h.commitFetch("export default async () => ({ greeting: \"v2\" });\n")
            let result = try h.deploy(perCommit)
            #expect(result.status == 0, "\(result.stderrText)")
            #expect(result.stdoutText.contains("configmap/hello-code pruned\n"))
            #expect(h.configMap == nil)
            #expect(h.mountedCode == h.codeName(second))
        }
    }

    @Test func switchingFromPerCommitToSharedDeletesThePerCommitConfigMapsAfterTheRollout() async throws {
        try await DeployHarness.with { h in
            #expect(try h.deploy(perCommit).status == 0)
            try h.commitFetch("export default async () => ({ greeting: \"v2\" });\n")
            #expect(try h.deploy(perCommit).status == 0)
            try h.repo.git(["config", "pipedreamer.codeConfigMap", "shared"])
            let result = try h.deploy()
            #expect(result.status == 0, "\(result.stderrText)")
            #expect(try await h.perCommitConfigMaps() == [])
            #expect(h.mountedCode == "hello-code")
            #expect(h.liveFiles()["nodes/fetch.ts"] == "export default async () => ({ greeting: \"v2\" });\n")
        }
    }

    @Test func gitConfigChoosesTheModeAndABadValueIsRefusedSayingWhatToUse() async throws {
        try await DeployHarness.with { h in
            try h.repo.git(["config", "pipedreamer.codeConfigMap", "per-commit"])
            #expect(try h.deploy().status == 0)
            #expect(h.mountedCode == h.codeName(h.firstCommit))
            let bad = try PipedreamerBinary.run(["render", "--code-configmap", "each"], in: h.repo.path)
            #expect(bad.status != 0)
            #expect(bad.stderrText.contains("--code-configmap is 'each': use shared or per-commit (the default is shared)"))
        }
    }

    @Test func rollbackWithoutARepositoryRestoresTheVersionFromItsConfigMapAndReplicaSet() async throws {
        try await DeployHarness.with { h in
            #expect(try h.deploy(perCommit).status == 0)
            let second = try h.commitFetch("export default async () => ({ greeting: \"v2\" });\n")
            #expect(try h.deploy(perCommit).status == 0)
            let result = try PipedreamerBinary.run(["rollback", "hello", "--timeout", "20s", "--kubeconfig", h.kubeconfigPath], in: h.scratch.path)
            #expect(result.status == 0, "\(result.stderrText)")
            #expect(result.stdoutText.contains("rolling back hello to revision 1 (commit \(h.firstCommit), image pipedreamer-engine:latest) from the cluster's record\n"))
            #expect(result.stdoutText.contains("deployment \"hello\" successfully rolled out\n"))
            #expect(h.mountedCode == h.codeName(h.firstCommit))
            #expect(h.restartedAt == h.firstCommit)
            #expect(h.deployment?.value(at: ["metadata", "annotations", "pipedreamer.dev/commit"])?.string == h.firstCommit)
            #expect(h.object(.configMaps, h.codeName(second)) != nil)
            let history = try PipedreamerBinary.run(["history", "hello", "-o", "json", "--kubeconfig", h.kubeconfigPath], in: h.scratch.path)
            #expect(history.stdoutText.contains("\"commit\": \"\(h.firstCommit)\""))
            #expect(history.stdoutText.components(separatedBy: "\"live\": true").count == 2)
        }
    }

    @Test func rollbackWithoutARepositoryFailsClearlyOnceTheConfigMapIsCollected() async throws {
        try await DeployHarness.with { h in
            #expect(try h.deploy(perCommit).status == 0)
            try h.commitFetch("export default async () => ({ greeting: \"v2\" });\n")
            #expect(try h.deploy(perCommit).status == 0)
            try await h.send("DELETE", "/api/v1/namespaces/default/configmaps/\(h.codeName(h.firstCommit))")
            let result = try PipedreamerBinary.run(["rollback", "hello", "--kubeconfig", h.kubeconfigPath], in: h.scratch.path)
            #expect(result.status != 0)
            #expect(result.stderrText.contains("rolling back hello to revision 1 re-renders commit \(h.firstCommit), which is not in a repository here: run `pipedreamer rollback hello --to-revision 1 -n default` inside a clone of the workflow's repository that has it (`git fetch` it first)"))
            #expect(h.mountedCode == h.codeName(try h.repo.gitText(["rev-parse", "HEAD"])))
        }
    }
}
