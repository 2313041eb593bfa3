import Foundation
import KubeTestServer
import Testing
import TestSupport

/// The claims docs/commands.md makes about `render`, each run against the real binary.
@Suite struct RenderClaimsTests {
    @Test func anUncommittedBaseImageChangesNothingAndIsNamedInANote() throws {
        let fixture = try GitFixture()
        try fixture.writeWorkflow(at: "wf")
        let sha = try fixture.commitAll()
        let clean = try PipedreamerBinary.run(["render", sha], in: fixture.path)
        try fixture.write("wf/.pipedreamer/base-image.txt", "registry.example.com/engine:dirty\n")
        try fixture.write("wf/nodes/uncommitted.ts", "export {};\n")
        let dirty = try PipedreamerBinary.run(["render", sha], in: fixture.path)
        #expect(dirty.status == 0)
        #expect(dirty.stdoutText == clean.stdoutText)
        #expect(dirty.stdoutText.contains("image: pipedreamer-engine:latest"))
        #expect(dirty.stderrText.hasPrefix("note: wf/.pipedreamer/base-image.txt is in the working copy but not in "
            + "commit \(sha.prefix(12)), so it is not used; commit it, or pass --image\n"))
        #expect(!clean.stderrText.contains("note:"))
    }

    @Test func withoutANamespaceTheObjectsCarryNoneAndTheCronJobCallsItsOwnNamespace() throws {
        let fixture = try GitFixture()
        try fixture.write("workflow.yaml", "name: hello\nversion: \"1.0\"\ntriggers:\n  - {type: cron, schedule: '@hourly'}\nnodes:\n  a: nodes/a.ts\n")
        try fixture.write("nodes/a.ts", "export {};\n")
        try fixture.commitAll()
        let result = try PipedreamerBinary.run(["render"], in: fixture.path)
        #expect(result.status == 0, "\(result.stderrText)")
        #expect(!result.stdoutText.contains("namespace"))
        #expect(result.stdoutText.contains("- http://hello:8080/run\n"))
        let named = try PipedreamerBinary.run(["render", "-n", "team-a"], in: fixture.path)
        #expect(named.stdoutText.components(separatedBy: "namespace: team-a\n").count - 1 == 4)
    }

    @Test(.enabled(if: Command.which("kubectl") != nil))
    func renderPipedToKubectlApplyLandsInTheContextNamespaceAsDeployDoes() async throws {
        let kubectl = Command.which("kubectl")!
        let server = try await KubeTestServer.start(KubeTestServer.Configuration(namespaces: ["team-a"],
                                                                                runtimeClasses: ["gvisor": "runsc"]))
        let fixture = try GitFixture()
        try fixture.writeWorkflow(at: "")
        try fixture.commitAll()
        let kubeconfig = fixture.root.deletingLastPathComponent().appendingPathComponent("kubeconfig-\(UUID().uuidString)")
        try server.kubeconfig(namespace: "team-a").write(to: kubeconfig, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: kubeconfig) }
        let rendered = try PipedreamerBinary.run(["render"], in: fixture.path)
        let applied = try Command.run(kubectl, ["apply", "--server-side", "--field-manager=pipedreamer", "-f", "-",
                                                "--kubeconfig", kubeconfig.path],
                                      in: fixture.path, environment: GitFixture.environment, input: rendered.stdout)
        #expect(applied.status == 0, "\(applied.stderrText)")
        #expect(server.object(.configMaps, namespace: "team-a", name: "hello-code") != nil)
        #expect(server.object(.deployments, namespace: "team-a", name: "hello") != nil)
        #expect(server.object(.configMaps, namespace: "default", name: "hello-code") == nil)
        // Deploy then finds the state it would have reached: nothing changes, nothing restarts.
        let deployed = try PipedreamerBinary.run(["deploy", "--kubeconfig", kubeconfig.path, "--timeout", "20s"], in: fixture.path)
        #expect(deployed.status == 0, "\(deployed.stderrText)")
        #expect(deployed.stdoutText.contains("to namespace team-a"))
        for object in ["configmap/hello-code", "deployment.apps/hello", "service/hello"] {
            #expect(deployed.stdoutText.contains("\(object) unchanged\n"), "\(deployed.stdoutText)")
        }
        #expect(!deployed.stdoutText.contains("restarted"))
        try await server.shutdown()
    }
}
