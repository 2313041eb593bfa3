import Foundation
import KubeTestServer
import Testing
import TestSupport

/// `git push --tags` of several releases to a server with the post-receive hook: the newest ends
/// up live, with one rollout, and the older ones are named as skipped.
extension PostReceiveHookTests {
    func release(_ tag: String, _ change: () throws -> Void) throws -> String {
        try change()
        let sha = try clone.commitAll(tag)
        try clone.git(["tag", "-a", "-m", tag, tag])
        return sha
    }

    @Test func aPushOfThreeTagsLeavesTheNewestLiveInItsNamespaceWithOneRollout() async throws {
        let server = try await KubeTestServer.start(.init(runtimeClasses: ["gvisor": "runsc"]))
        defer { Task { try? await server.shutdown() } }
        let kubeconfig = clone.path + "-kubeconfig"
        try server.kubeconfig().write(toFile: kubeconfig, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: kubeconfig) }
        server.addNamespace("team")
        try remote.fixture.git(["config", "pipedreamer.deployRefs", "refs/tags/v*"])
        // v1.0.0 predates deployment.namespace: deploying it would create a stray workflow in default.
        let v100 = try release("v1.0.0") { try clone.write("wf/nodes/fetch.ts", "export default async () => ({ ok: 100 });\n") }
        let v190 = try release("v1.9.0") {
            try clone.write("wf/workflow.yaml", try String(contentsOfFile: clone.path + "/wf/workflow.yaml", encoding: .utf8)
                            + "deployment:\n  namespace: team\n")
        }
        let v1100 = try release("v1.10.0") { try clone.write("wf/nodes/fetch.ts", "export default async () => ({ ok: 110 });\n") }
        let result = try Command.run("/usr/bin/env", ["git", "push", "-q", "--no-verify", "origin", "main", "--tags"], in: clone.path,
                                     environment: GitFixture.environment.merging(["KUBECONFIG": kubeconfig]) { $1 })
        #expect(result.status == 0, "\(result.stderrText)")
        let lines = result.stderrText.split(separator: "\n").filter { $0.hasPrefix("remote: ") }.map { String($0.dropFirst(8)).trimmingCharacters(in: .whitespaces) }
        #expect(lines.count == 3, "\(lines)")
        #expect(lines[0] == "pipedreamer: refs/tags/v1.0.0 at \(v100.prefix(12)): workflow wf skipped: refs/tags/v1.10.0 at \(v1100.prefix(12)) is newer in this push and deploys it")
        #expect(lines[1] == "pipedreamer: refs/tags/v1.9.0 at \(v190.prefix(12)): workflow wf skipped: refs/tags/v1.10.0 at \(v1100.prefix(12)) is newer in this push and deploys it")
        #expect(lines[2].hasPrefix("pipedreamer: refs/tags/v1.10.0 at \(v1100.prefix(12)): deployed hello to namespace team:"), "\(lines)")
        let live = try #require(server.object(.deployments, namespace: "team", name: "hello"))
        #expect(live.value(at: ["metadata", "annotations", "pipedreamer.dev/commit"])?.string == v1100)
        #expect(server.object(.deployments, namespace: "default", name: "hello") == nil)
        #expect(server.object(.configMaps, namespace: "default", name: "hello-code") == nil)
        // One rollout: the Deployment was created once, at the newest tag.
        #expect(server.rolloutCount(namespace: "team", name: "hello") == 1)
    }
}
