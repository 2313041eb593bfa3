import Foundation
import KubeTestServer
import TestSupport
import Testing

/// TLS with client certificates (through curl: URLSession on Linux cannot present client
/// certificates) and kubectl itself as a faithfulness check.
@Suite struct ExternalClientTests {
    static let users = [UserInfo(name: "admin", groups: ["system:masters"]), UserInfo(name: "ci", groups: ["deployers"])]

    final class Directory: @unchecked Sendable {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("kube-test-\(UUID().uuidString)")
        init() throws { try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true) }
        deinit { try? FileManager.default.removeItem(at: url) }

        func write(_ name: String, _ text: String) throws -> String {
            let path = url.appendingPathComponent(name).path
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }
    }

    func tlsConfiguration() -> KubeTestServer.Configuration {
        var configuration = KubeTestServer.Configuration(tls: true, tokens: ["t0ken": UserInfo(name: "robot")])
        configuration.clientUsers = ExternalClientTests.users
        return configuration
    }

    func curl(_ arguments: [String]) throws -> (status: String, body: String) {
        let result = try Command.run("/usr/bin/env", ["curl", "-s", "-w", "\n%{http_code}"] + arguments)
        let lines = result.stdoutText.split(separator: "\n", omittingEmptySubsequences: false)
        return (String(lines.last ?? ""), lines.dropLast().joined(separator: "\n"))
    }

    @Test(.enabled(if: Command.which("curl") != nil))
    func aClientCertificateAuthenticatesItsCommonName() async throws {
        try await withServer(tlsConfiguration()) { server, _ in
            let pki = try #require(server.pki)
            let directory = try Directory()
            let ca = try directory.write("ca.crt", pki.caCertificatePEM)
            let cert = try directory.write("ci.crt", try #require(pki.client("ci")).certificatePEM)
            let key = try directory.write("ci.key", try #require(pki.client("ci")).keyPEM)
            let reply = try curl(["--cacert", ca, "--cert", cert, "--key", key, server.url.absoluteString + Fixture.configMaps])
            #expect(reply.status == "200")
            #expect(server.requests.last?.user == "ci")
        }
    }

    @Test(.enabled(if: Command.which("curl") != nil))
    func tlsWithoutCredentialsIsUnauthorized() async throws {
        try await withServer(tlsConfiguration()) { server, _ in
            let directory = try Directory()
            let ca = try directory.write("ca.crt", try #require(server.pki).caCertificatePEM)
            let reply = try curl(["--cacert", ca, server.url.absoluteString + Fixture.configMaps])
            #expect(reply.status == "401")
            let withToken = try curl(["--cacert", ca, "-H", "Authorization: Bearer t0ken", server.url.absoluteString + Fixture.configMaps])
            #expect(withToken.status == "200")
            #expect(server.requests.last?.user == "robot")
        }
    }

    @Test(.enabled(if: Command.which("kubectl") != nil))
    func kubectlServerSideApplyAndGetWork() async throws {
        try await withServer { server, _ in
            let directory = try Directory()
            let kubeconfig = try directory.write("kubeconfig", server.kubeconfig())
            let manifest = try directory.write("cm.json", Fixture.configMap("hello-code", data: ["a.ts": "one"]).text())
            let kubectl = ["kubectl", "--kubeconfig", kubeconfig]
            let apply = try Command.run("/usr/bin/env", kubectl + ["apply", "--server-side", "-f", manifest])
            #expect(apply.stderrText == "")
            #expect(apply.stdoutText == "configmap/hello-code serverside-applied\n")
            let get = try Command.run("/usr/bin/env", kubectl + ["get", "configmap", "hello-code", "-o", "jsonpath={.data.a\\.ts}"])
            #expect(get.stdoutText == "one")
            #expect(server.requests.contains { $0.method == "PATCH" && $0.hasQuery("fieldManager", "kubectl") })
        }
    }

    @Test(.enabled(if: Command.which("kubectl") != nil))
    func kubectlReportsTheServersInvalidMessage() async throws {
        try await withServer { server, _ in
            let directory = try Directory()
            let kubeconfig = try directory.write("kubeconfig", server.kubeconfig())
            let manifest = try directory.write("cm.json", Fixture.configMap("hello-code", data: ["nodes/a.ts": "one"]).text())
            let apply = try Command.run("/usr/bin/env", ["kubectl", "--kubeconfig", kubeconfig, "apply", "--server-side",
                                                         "-f", manifest])
            #expect(apply.status != 0)
            #expect(apply.stderrText.contains(#"The ConfigMap "hello-code" is invalid: data[nodes/a.ts]: Invalid value: "nodes/a.ts""#))
        }
    }

    @Test(.enabled(if: Command.which("kubectl") != nil))
    func kubectlTalksTLSWithTheGeneratedKubeconfig() async throws {
        try await withServer(tlsConfiguration()) { server, _ in
            let directory = try Directory()
            let kubeconfig = try directory.write("kubeconfig", server.kubeconfig(user: "admin"))
            let get = try Command.run("/usr/bin/env", ["kubectl", "--kubeconfig", kubeconfig, "get", "namespace", "default", "-o", "name"])
            #expect(get.stderrText == "")
            #expect(get.stdoutText == "namespace/default\n")
            #expect(server.requests.last?.user == "admin")
        }
    }
}
