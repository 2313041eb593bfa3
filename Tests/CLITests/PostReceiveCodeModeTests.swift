import Foundation
import KubeTestServer
import Testing
import TestSupport

/// The server's post-receive deploy keeps the live code ConfigMap mode once its git config no
/// longer names one, as `deploy` does.
extension PostReceiveHookTests {
    @Test func aPushAfterTheModeSettingIsUnsetKeepsTheLivePerCommitMode() async throws {
        let server = try await KubeTestServer.start(.init(runtimeClasses: ["gvisor": "runsc"]))
        defer { Task { try? await server.shutdown() } }
        let kubeconfig = clone.path + "-kubeconfig"
        try server.kubeconfig().write(toFile: kubeconfig, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: kubeconfig) }
        try remote.fixture.git(["config", "pipedreamer.deployRefs", "refs/heads/main"])
        try remote.fixture.git(["config", "pipedreamer.codeConfigMap", "per-commit"])
        let environment = ["KUBECONFIG": kubeconfig]
        let first = try clone.gitText(["rev-parse", "HEAD"]).trimmingCharacters(in: .whitespacesAndNewlines)
        _ = try remoteLines(["main"], environment: environment)
        try remote.fixture.git(["config", "--unset", "pipedreamer.codeConfigMap"])
        try clone.write("wf/nodes/fetch.ts", "export default async () => ({ ok: 2 });\n")
        let second = try clone.commitAll("change fetch")
        let lines = try remoteLines(["main"], environment: environment)
        #expect(lines.last?.hasPrefix("pipedreamer: refs/heads/main at \(second.prefix(12)): deployed hello to namespace default:") == true, "\(lines)")
        let live = try #require(server.object(.deployments, namespace: "default", name: "hello"))
        let code = live.value(at: ["spec", "template", "spec", "volumes"])?.array?
            .first { $0["name"]?.string == "code" }?.value(at: ["configMap", "name"])?.string
        #expect(code == "hello-code-\(second.prefix(12))")
        #expect(server.object(.configMaps, namespace: "default", name: "hello-code-\(first.prefix(12))") != nil)
        #expect(server.object(.configMaps, namespace: "default", name: "hello-code") == nil)
    }
}
