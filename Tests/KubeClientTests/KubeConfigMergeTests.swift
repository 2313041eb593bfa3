import Foundation
import Testing

@testable import KubeClient

/// `KUBECONFIG` lists, `--context` and the in-cluster fallback.
@Suite struct KubeConfigMergeTests {
    let scratch = KubeScratch()

    /// Two files: `a` defines cluster/user/context "shared" and current-context "shared";
    /// `b` redefines them and adds "extra", with its own current-context.
    private func twoFiles() -> (a: String, b: String) {
        let a = scratch.write("a/config", """
            clusters:
            - name: shared
              cluster: {server: "https://from-a"}
            users:
            - name: shared
              user: {token: token-a}
            contexts:
            - name: shared
              context: {cluster: shared, user: shared, namespace: ns-a}
            current-context: shared
            """)
        let b = scratch.write("b/config", """
            clusters:
            - name: shared
              cluster: {server: "https://from-b"}
            - name: extra
              cluster: {server: "https://extra", certificate-authority: extra-ca.crt}
            users:
            - name: shared
              user: {token: token-b}
            contexts:
            - name: shared
              context: {cluster: shared, user: shared, namespace: ns-b}
            - name: extra
              context: {cluster: extra, user: shared}
            current-context: extra
            """)
        scratch.write("b/extra-ca.crt", "ca")
        return (a, b)
    }

    @Test func firstFileToDefineANameWins() throws {
        let (a, b) = twoFiles()
        let connection = try KubeConfigLoader.load(scratch.options(environment: ["KUBECONFIG": "\(a):\(b)"]))
        #expect(connection.server.absoluteString == "https://from-a")
        #expect(connection.credentials.token == SecretText("token-a"))
        #expect(connection.namespace == "ns-a")
    }

    @Test func firstCurrentContextWins() throws {
        let (a, b) = twoFiles()
        let connection = try KubeConfigLoader.load(scratch.options(environment: ["KUBECONFIG": "\(b):\(a)"]))
        #expect(connection.contextName == "extra")
    }

    @Test func pathsResolveAgainstTheFileThatDefinedTheEntry() throws {
        let (a, b) = twoFiles()
        let connection = try KubeConfigLoader.load(scratch.options(context: "extra", environment: ["KUBECONFIG": "\(a):\(b)"]))
        #expect(connection.tls.certificateAuthority == .file("\(scratch.path)/b/extra-ca.crt"))
        #expect(connection.credentials.token == SecretText("token-a"))
    }

    @Test func missingAndEmptyListEntriesAreSkipped() throws {
        let (a, _) = twoFiles()
        let connection = try KubeConfigLoader.load(scratch.options(environment: ["KUBECONFIG": "::/nonexistent/config:\(a)"]))
        #expect(connection.server.absoluteString == "https://from-a")
    }

    @Test func contextFlagOverridesCurrentContext() throws {
        let (a, b) = twoFiles()
        let connection = try KubeConfigLoader.load(scratch.options(context: "extra", environment: ["KUBECONFIG": "\(a):\(b)"]))
        #expect(connection.server.absoluteString == "https://extra")
        #expect(connection.namespace == nil)
    }

    @Test func unknownContextListsTheAvailableOnes() throws {
        let (a, b) = twoFiles()
        #expect(throws: KubeConfigError("context \"prod\" (--context) is not defined in \(a), \(b); available contexts: extra, shared")) {
            try KubeConfigLoader.load(scratch.options(context: "prod", environment: ["KUBECONFIG": "\(a):\(b)"]))
        }
    }

    @Test func missingCurrentContextSaysHowToChooseOne() throws {
        let file = scratch.write("config", """
            clusters: [{name: c, cluster: {server: "https://c"}}]
            contexts: [{name: dev, context: {cluster: c}}, {name: prod, context: {cluster: c}}]
            """)
        #expect(throws: KubeConfigError("no current context is set in \(file); pass --context NAME or run `kubectl config use-context NAME` (available contexts: dev, prod)")) {
            try KubeConfigLoader.load(scratch.options(kubeconfig: file))
        }
    }

    @Test func currentContextNamingNothingIsAnError() throws {
        let file = scratch.write("config", """
            clusters: [{name: c, cluster: {server: "https://c"}}]
            contexts: [{name: dev, context: {cluster: c}}]
            current-context: gone
            """)
        #expect(throws: KubeConfigError("current-context \"gone\" in \(file) is not defined; pass --context NAME or run `kubectl config use-context NAME` (available contexts: dev)")) {
            try KubeConfigLoader.load(scratch.options(kubeconfig: file))
        }
    }

    @Test func contextNamingAMissingUserIsAnError() throws {
        let file = scratch.write("config", """
            clusters: [{name: c, cluster: {server: "https://c"}}]
            contexts: [{name: dev, context: {cluster: c, user: nobody}}]
            current-context: dev
            """)
        #expect(throws: KubeConfigError("user \"nobody\" (used by context \"dev\" in \(file)) is not defined in \(file)")) {
            try KubeConfigLoader.load(scratch.options(kubeconfig: file))
        }
    }

    @Test func contextWithoutUserConnectsAnonymously() throws {
        let file = scratch.write("config", """
            clusters: [{name: c, cluster: {server: "https://c"}}]
            contexts: [{name: dev, context: {cluster: c}}]
            current-context: dev
            """)
        #expect(try KubeConfigLoader.load(scratch.options(kubeconfig: file)).credentials == KubeCredentials())
    }

    private func serviceAccount(namespace: String? = "jobs") {
        scratch.write("serviceaccount/token", "sa-token\n")
        scratch.write("serviceaccount/ca.crt", "ca")
        if let namespace { scratch.write("serviceaccount/namespace", namespace) }
    }

    private let inCluster = ["KUBERNETES_SERVICE_HOST": "10.96.0.1", "KUBERNETES_SERVICE_PORT": "443"]

    @Test func inClusterServiceAccountIsTheLastResort() throws {
        serviceAccount()
        let connection = try KubeConfigLoader.load(scratch.options(environment: inCluster))
        #expect(connection == ClusterConnection(
            server: URL(string: "https://10.96.0.1:443")!,
            tls: KubeTLSSettings(certificateAuthority: .file("\(scratch.path)/serviceaccount/ca.crt")),
            credentials: KubeCredentials(token: SecretText("sa-token"), tokenFile: "\(scratch.path)/serviceaccount/token"),
            namespace: "jobs", origin: "in-cluster service account (\(scratch.path)/serviceaccount)"))
    }

    @Test func inClusterIPv6HostIsBracketed() throws {
        serviceAccount(namespace: nil)
        let connection = try KubeConfigLoader.load(scratch.options(environment: ["KUBERNETES_SERVICE_HOST": "fd00::1", "KUBERNETES_SERVICE_PORT": "443"]))
        #expect(connection.server.absoluteString == "https://[fd00::1]:443")
        #expect(connection.namespace == nil)
    }

    @Test func kubeconfigWinsOverInCluster() throws {
        serviceAccount()
        scratch.write(".kube/config", kubeconfig(server: "https://home"))
        #expect(try KubeConfigLoader.load(scratch.options(environment: inCluster)).server.absoluteString == "https://home")
    }

    @Test func inClusterWithoutATokenSaysSo() throws {
        #expect(throws: KubeConfigError("in-cluster: cannot read the service account token \(scratch.path)/serviceaccount/token; is a service account token mounted?")) {
            try KubeConfigLoader.load(scratch.options(environment: inCluster))
        }
    }
}
