import ArgumentParser
import Foundation
import KubeTestServer

/// `kube-test-server`: runs the test API server until interrupted, for manual trials.
@main
struct KubeTestServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kube-test-server",
        abstract: "A local Kubernetes API server that enforces the real API rules for the objects pipedreamer deploys.",
        discussion: """
            Listens on 127.0.0.1 only and prints its URL, then serves until interrupted.

            Plain HTTP: kubectl --server http://127.0.0.1:PORT get configmaps

            GET /debug/requests (no credentials needed) lists the requests received so far as JSON: {"count": N, "requests": [{"method", "path", "query", "contentType", "status"}]}, oldest first, without bodies; it is not itself counted.

            POST /debug/faults with {"method", "path" (a pattern, * within a segment) or "pathPrefix", "count", and one of "delayMilliseconds", "status", "retryAfterSeconds", "dropConnection": true} scripts a fault; GET lists them, DELETE clears them. POST /debug/rollouts with {"namespace", "name", "mode": "hold" | "stuck" | "complete"} decides how that Deployment's rollouts go.

            With --tls it writes ca.crt, server.crt and server.key, a certificate and key per user (admin, in group system:masters) and a ready kubeconfig into the state directory, and prints their paths: kubectl --kubeconfig STATE_DIR/kubeconfig get namespaces
            """)

    @Option(help: "Port to listen on; 0 picks a free one and prints it.")
    var port: Int = 0

    @Flag(help: "Serve HTTPS with a generated CA and client certificates. (default: plain HTTP)")
    var tls = false

    @Option(help: "Where --tls writes its PEM files and kubeconfig. (default: a new temporary directory)")
    var stateDir: String?

    @Option(name: .customLong("token"), help: ArgumentHelp(
        "Accept bearer token NAME for user USER, as NAME=USER; repeatable. With any token set, requests without credentials get 401. (default: none, plain HTTP open to all as admin)",
        valueName: "NAME=USER"))
    var tokens: [String] = []

    @Option(name: .customLong("namespace"), help: ArgumentHelp(
        "Create namespace NS besides default, kube-system, kube-public and kube-node-lease; repeatable. (default: none)",
        valueName: "NS"))
    var namespaces: [String] = []

    @Option(name: .customLong("runtime-class"), help: ArgumentHelp(
        "Create RuntimeClass NAME with handler HANDLER, as NAME=HANDLER; repeatable. (default: gvisor=runsc)",
        valueName: "NAME=HANDLER"))
    var runtimeClasses: [String] = []

    @Option(help: "Milliseconds the simulated deployment controller takes to finish a rollout.")
    var rolloutDelay: Int = 50

    /// Writes a line unbuffered, so a parent reading the pipe sees the URL at once.
    private func say(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    func run() async throws {
        var configuration = KubeTestServer.Configuration(port: port, tls: tls, namespaces: namespaces,
                                                         rolloutDelayMilliseconds: rolloutDelay)
        for token in tokens {
            let parts = token.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { throw ValidationError("--token takes NAME=USER, got \(token)") }
            configuration.tokens[parts[0]] = UserInfo(name: parts[1])
        }
        let classes = runtimeClasses.isEmpty ? ["gvisor=runsc"] : runtimeClasses
        for entry in classes {
            let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { throw ValidationError("--runtime-class takes NAME=HANDLER, got \(entry)") }
            configuration.runtimeClasses[parts[0]] = parts[1]
        }
        let server = try await KubeTestServer.start(configuration)
        say("kube-test-server listening on \(server.url.absoluteString)")
        if let pki = server.pki {
            let directory = URL(fileURLWithPath: stateDir ?? FileManager.default.temporaryDirectory
                .appendingPathComponent("kube-test-server-\(UUID().uuidString)").path)
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            var files: [(String, String)] = [("ca.crt", pki.caCertificatePEM), ("server.crt", pki.serverCertificatePEM),
                                             ("server.key", pki.serverKeyPEM), ("kubeconfig", server.kubeconfig())]
            for client in pki.clients {
                files.append(("\(client.user.name).crt", client.certificatePEM))
                files.append(("\(client.user.name).key", client.keyPEM))
            }
            for (name, content) in files {
                let path = directory.appendingPathComponent(name)
                try content.write(to: path, atomically: true, encoding: .utf8)
                say("\(name): \(path.path)")
            }
        }
        while true { try await Task.sleep(nanoseconds: 3_600_000_000_000) }
    }
}
