import Foundation
import KubeTestServer
import TestSupport
import Testing

/// Watches: replay from a resourceVersion, current objects as ADDED, selectors, and kubectl rollout status.
@Suite struct WatchTests {
    func events(_ reply: Reply) -> [String] {
        reply.text.split(separator: "\n").compactMap { line in
            guard let event = try? JSON.parse(Data(line.utf8)) else { return nil }
            return "\(event["type"]?.string ?? "") \(event.value(at: ["object", "metadata", "name"])?.string ?? "")"
        }
    }

    @Test func aWatchFromAResourceVersionReplaysLaterChanges() async throws {
        try await withServer { _, http in
            let start = try await http.get(Fixture.configMaps).json.value(at: ["metadata", "resourceVersion"])?.string ?? ""
            _ = try await http.post(Fixture.configMaps, Fixture.configMap("a"))
            _ = try await http.apply(Fixture.configMaps + "/a", Fixture.configMap("a", data: ["x": "1"]), force: true)
            _ = try await http.delete(Fixture.configMaps + "/a")
            let reply = try await http.get(Fixture.configMaps + "?watch=true&timeoutSeconds=1&resourceVersion=" + start)
            #expect(reply.status == 200)
            #expect(events(reply) == ["ADDED a", "MODIFIED a", "DELETED a"])
        }
    }

    @Test func aWatchWithoutResourceVersionStartsWithTheCurrentObjects() async throws {
        try await withServer { _, http in
            _ = try await http.post(Fixture.configMaps, Fixture.configMap("a"))
            _ = try await http.post(Fixture.configMaps, Fixture.configMap("b"))
            let reply = try await http.get(Fixture.configMaps + "?watch=1&timeoutSeconds=1&fieldSelector=metadata.name%3Db")
            #expect(events(reply) == ["ADDED b"])
        }
    }

    @Test func listHonoursTheFieldSelector() async throws {
        try await withServer { _, http in
            _ = try await http.post(Fixture.configMaps, Fixture.configMap("a"))
            _ = try await http.post(Fixture.configMaps, Fixture.configMap("b"))
            let reply = try await http.get(Fixture.configMaps + "?fieldSelector=metadata.name%3Da")
            #expect(reply.json["items"]?.array?.compactMap { $0.value(at: ["metadata", "name"])?.string } == ["a"])
        }
    }

    @Test(.enabled(if: Command.which("kubectl") != nil))
    func kubectlRolloutStatusFollowsTheSimulatedController() async throws {
        try await withServer { server, http in
            _ = try await http.apply(Fixture.deployments + "/hello", Fixture.deployment("hello"))
            let kubeconfig = FileManager.default.temporaryDirectory.appendingPathComponent("kubeconfig-\(UUID().uuidString)").path
            try server.kubeconfig().write(toFile: kubeconfig, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(atPath: kubeconfig) }
            let status = try Command.run("/usr/bin/env", ["kubectl", "--kubeconfig", kubeconfig, "rollout", "status",
                                                          "deployment/hello", "--timeout=20s"])
            #expect(status.status == 0)
            #expect(status.stdoutText.hasSuffix("deployment \"hello\" successfully rolled out\n"))
        }
    }
}
