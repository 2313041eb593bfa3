import Foundation
import Testing
import TestSupport

/// What the request for the deployment carried, as the recording servers saw it: which server
/// (and whether through the proxy), which namespace, and as whom.
struct ObservedRequest: Equatable, CustomStringConvertible {
    /// `https`, `http`, or `https via proxy`.
    var server: String
    var path: String
    var authorization: String?
    /// `impersonate-user: alice` lines, grouped by header name in the order each name's values came.
    var impersonation: [String]
    var clientCertificate: String?

    var description: String {
        "\(server) \(path) authorization=\(authorization ?? "-") cert=\(clientCertificate ?? "-") \(impersonation)"
    }
}

/// One program's run against the recording servers.
struct ParityOutcome {
    /// nil when no request for the deployment arrived (the program failed first).
    var request: ObservedRequest?
    var exitCode: Int32
    var stderr: String
    /// The scenario's `collect` files after the run, with the run's ports and paths put back as placeholders.
    var collected: [String: String] = [:]
}

/// A kubeconfig set-up tried with kubectl and pipedreamer: `{TLS}`, `{PLAIN}`, `{TLS_HOSTPORT}`, `{OTHER_CA}`,
/// `{PLAIN_HOSTPORT}`, `{PROXY}`, `{CA}`, `{CERT}`, `{KEY}` and `{DIR}` in the kubeconfig, the
/// files and the arguments are replaced before each run.
struct ParityScenario {
    var kubeconfig: String
    var files: [String: String] = [:]
    var scripts: [String: String] = [:]
    var arguments: [String] = []
    var environment: [String: String] = [:]
    var proxy = false
    /// The TLS server presents a certificate for kube.internal.test only (no IP address in it).
    var namedServerCertificate = false
    /// Files (relative to `{DIR}`) to read back after each run, e.g. what an exec plugin was given.
    var collect: [String] = []

    /// A one-context kubeconfig whose user entry is `user` (YAML flow or block, indented 4).
    static func user(_ user: String, server: String = "{TLS}", cluster: String = "", namespace: String = "team-a") -> ParityScenario {
        ParityScenario(kubeconfig: """
            apiVersion: v1
            kind: Config
            clusters:
            - name: c
              cluster:
                server: \(server)
                certificate-authority: {CA}
            \(cluster)
            users:
            - name: u
              user:
            \(user.isEmpty ? "    {}" : user)
            contexts:
            - name: x
              context: {cluster: c, user: u, namespace: \(namespace)}
            current-context: x
            """)
    }
}

enum KubeconfigParity {
    static let kubectl = ["/usr/bin/kubectl", "/usr/local/bin/kubectl"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// Runs the scenario with `kubectl get deployment hello` and `pipedreamer status hello`, each on
    /// fresh servers, and expects the same request (or that neither sent one). Returns both outcomes.
    @discardableResult
    static func expectSame(_ scenario: ParityScenario, sourceLocation: SourceLocation = #_sourceLocation) async throws
        -> (kubectl: ParityOutcome, pipedreamer: ParityOutcome) {
        let kubectl = try await run(scenario, command: [Self.kubectl ?? "kubectl", "get", "deployment", "hello"])
        let pipedreamer = try await run(scenario, command: [PipedreamerBinary.path, "status", "hello"])
        #expect(pipedreamer.request == kubectl.request, "kubectl: \(kubectl.stderr)\npipedreamer: \(pipedreamer.stderr)",
                sourceLocation: sourceLocation)
        if kubectl.request == nil {
            #expect(kubectl.exitCode != 0 && pipedreamer.exitCode != 0, sourceLocation: sourceLocation)
        }
        return (kubectl, pipedreamer)
    }

    static func run(_ scenario: ParityScenario, command: [String]) async throws -> ParityOutcome {
        let certificates = KubeTestCertificates.shared
        let tls = try await FakeAPIServer.start(tls: try certificates.serverTLSAcceptingClientCertificates(namedOnly: scenario.namedServerCertificate), answer: discovery)
        let plain = try await FakeAPIServer.start(answer: discovery)
        let proxy = scenario.proxy ? try KubeTestProxy() : nil
        defer { proxy?.stop() }
        let scratch = KubeScratch()
        let substitutions = [
            "{TLS}": tls.url, "{PLAIN}": plain.url, "{TLS_HOSTPORT}": "127.0.0.1:\(tls.port)",
            "{PLAIN_HOSTPORT}": "127.0.0.1:\(plain.port)", "{PROXY}": proxy?.url ?? "", "{CA}": certificates.caCertificate,
            "{OTHER_CA}": certificates.otherCACertificate,
            "{CERT}": certificates.clientCertificate, "{KEY}": certificates.clientKey, "{DIR}": scratch.path,
        ]
        func fill(_ text: String) -> String {
            substitutions.reduce(text) { $0.replacingOccurrences(of: $1.key, with: $1.value) }
        }
        let config = scratch.write("config", fill(scenario.kubeconfig))
        for (name, text) in scenario.files { scratch.write(name, fill(text)) }
        for (name, body) in scenario.scripts { scratch.script(name, fill(body)) }
        let environment = ["PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": scratch.path]
            .merging(scenario.environment.mapValues(fill)) { $1 }
        // A KUBECONFIG list in the scenario's environment replaces --kubeconfig, so merging is tried.
        let explicit = scenario.environment["KUBECONFIG"] == nil ? ["--kubeconfig", config] : []
        let arguments = Array(command.dropFirst()) + explicit + ["--request-timeout", "10s"] + scenario.arguments.map(fill)
        let result = try Command.run(command[0], arguments, in: scratch.path, environment: environment)
        await tls.stop()
        await plain.stop()
        let viaProxy = !(proxy?.log.isEmpty ?? true)
        let found = tls.requests.map { ($0, "https") } + plain.requests.map { ($0, "http") }
        let request = found.first { $0.0.path.contains("/deployments/") }.map { request, scheme in
            ObservedRequest(server: scheme + (viaProxy ? " via proxy" : ""), path: request.path,
                            authorization: request.header("Authorization"), impersonation: impersonation(request),
                            clientCertificate: request.clientCertificateCommonName)
        }
        var collected: [String: String] = [:]
        for name in scenario.collect {
            collected[name] = substitutions.sorted { $0.value.count > $1.value.count }.filter { !$0.value.isEmpty }
                .reduce(scratch.read(name)) { $0.replacingOccurrences(of: $1.value, with: $1.key) }
        }
        return ParityOutcome(request: request, exitCode: result.status, stderr: result.stderrText, collected: collected)
    }

    private static func impersonation(_ request: RecordedRequest) -> [String] {
        let headers = request.headers.filter { $0.name.lowercased().hasPrefix("impersonate-") }
        let names = headers.map { $0.name.lowercased() }.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }.sorted()
        return names.flatMap { name in headers.filter { $0.name.lowercased() == name }.map { "\(name): \($0.value)" } }
    }

    /// Just enough discovery for `kubectl get deployment` (the legacy form, which kubectl accepts),
    /// and NotFound for everything else, the deployment included.
    @Sendable static func discovery(_ request: RecordedRequest, _ index: Int) -> FakeReply {
        // A server URL's path prefix (`/prefix`) is served like the root.
        let path = request.path.hasPrefix("/prefix/") ? String(request.path.dropFirst("/prefix".count)) : request.path
        switch path {
        case "/api":
            return .json(#"{"kind":"APIVersions","versions":["v1"],"serverAddressByClientCIDRs":[{"clientCIDR":"0.0.0.0/0","serverAddress":"127.0.0.1"}]}"#)
        case "/apis":
            return .json(#"{"kind":"APIGroupList","apiVersion":"v1","groups":[{"name":"apps","versions":[{"groupVersion":"apps/v1","version":"v1"}],"preferredVersion":{"groupVersion":"apps/v1","version":"v1"}}]}"#)
        case "/api/v1":
            return .json(#"{"kind":"APIResourceList","groupVersion":"v1","resources":[]}"#)
        case "/apis/apps/v1":
            return .json(#"{"kind":"APIResourceList","apiVersion":"v1","groupVersion":"apps/v1","resources":[{"name":"deployments","singularName":"deployment","namespaced":true,"kind":"Deployment","verbs":["get","list"],"shortNames":["deploy"]}]}"#)
        default:
            return .status(404, reason: "NotFound", message: "deployments.apps \"hello\" not found")
        }
    }
}
