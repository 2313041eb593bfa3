import Foundation
import Testing
import TestSupport

/// kubectl as the oracle for loading (`tools/clientcmd/loader.go`, `merged_client_builder.go`,
/// `client_config.go`): merged KUBECONFIG lists, context choice, TLS verification settings,
/// path prefixes and exec plugins' env and args.
@Suite(.enabled(if: KubeconfigParity.kubectl != nil, "kubectl is not installed"))
struct KubeconfigParityConfigTests {
    /// Two files of one KUBECONFIG list that both define user `u` and context `x`.
    private func merged(order: String) -> ParityScenario {
        let first = ParityScenario.user("    token: from-first", namespace: "first").kubeconfig
        let second = ParityScenario.user("    token: from-second", namespace: "second").kubeconfig
        var scenario = ParityScenario(kubeconfig: first)
        scenario.files = ["second": second]
        scenario.environment = ["KUBECONFIG": order]
        return scenario
    }

    @Test func theFirstFileOfAKubeconfigListWins() async throws {
        let (_, ours) = try await KubeconfigParity.expectSame(merged(order: "{DIR}/config:{DIR}/second"))
        #expect(ours.request?.authorization == "Bearer from-first")
        #expect(ours.request?.path == "/apis/apps/v1/namespaces/first/deployments/hello")
    }

    @Test func reversingTheListReversesTheWinner() async throws {
        let (_, ours) = try await KubeconfigParity.expectSame(merged(order: "{DIR}/missing:{DIR}/second:{DIR}/config"))
        #expect(ours.request?.authorization == "Bearer from-second")
    }

    @Test func theContextFlagPicksAnotherContext() async throws {
        var scenario = ParityScenario.user("    token: t")
        scenario.kubeconfig += "\n- name: other\n  context: {cluster: c, user: u, namespace: elsewhere}\n"
        scenario.kubeconfig = scenario.kubeconfig.replacingOccurrences(of: "current-context: x\n- name: other",
                                                                       with: "- name: other")
        scenario.kubeconfig += "current-context: x\n"
        scenario.arguments = ["--context", "other"]
        let (_, ours) = try await KubeconfigParity.expectSame(scenario)
        #expect(ours.request?.path == "/apis/apps/v1/namespaces/elsewhere/deployments/hello")
    }

    @Test func aContextThatDoesNotExistFails() async throws {
        var scenario = ParityScenario.user("    token: t")
        scenario.arguments = ["--context", "nope"]
        let (_, ours) = try await KubeconfigParity.expectSame(scenario)
        #expect(ours.stderr.contains("context \"nope\" (--context) is not defined in "))
    }

    @Test func aServerCertificateFromAnotherCAFails() async throws {
        var scenario = ParityScenario.user("    token: t")
        scenario.kubeconfig = scenario.kubeconfig.replacingOccurrences(of: "{CA}", with: "{OTHER_CA}")
        let (_, ours) = try await KubeconfigParity.expectSame(scenario)
        #expect(ours.stderr.contains("the server's certificate was not trusted by certificate-authority "))
    }

    @Test func insecureSkipTLSVerifyConnectsWithoutACA() async throws {
        var scenario = ParityScenario.user("    token: t")
        scenario.kubeconfig = scenario.kubeconfig.replacingOccurrences(of: "certificate-authority: {CA}", with: "insecure-skip-tls-verify: true")
        let (_, ours) = try await KubeconfigParity.expectSame(scenario)
        #expect(ours.request?.authorization == "Bearer t")
    }

    @Test func aTLSServerNameTheCertificateNamesConnects() async throws {
        let (_, ours) = try await KubeconfigParity.expectSame(.user("    token: t", cluster: "    tls-server-name: kube.internal.test"))
        #expect(ours.request?.server == "https")
    }

    @Test func aTLSServerNameTheCertificateDoesNotNameFails() async throws {
        var scenario = ParityScenario.user("    token: t", cluster: "    tls-server-name: wrong.test")
        scenario.namedServerCertificate = true
        let (_, ours) = try await KubeconfigParity.expectSame(scenario)
        #expect(ours.stderr.contains("the server's certificate is not valid for \"wrong.test\""))
    }

    /// A documented difference (docs/cluster.md, Credentials): NIOSSL also accepts a certificate that names
    /// the connected IP address, where Go checks only tls-server-name.
    @Test func aCertificateForTheServerIPIsAcceptedWhateverTLSServerNameSays() async throws {
        let scenario = ParityScenario.user("    token: t", cluster: "    tls-server-name: wrong.test")
        let theirs = try await KubeconfigParity.run(scenario, command: [KubeconfigParity.kubectl ?? "kubectl", "get", "deployment", "hello"])
        let ours = try await KubeconfigParity.run(scenario, command: [PipedreamerBinary.path, "status", "hello"])
        #expect(theirs.request == nil)
        #expect(ours.request?.server == "https")
    }

    @Test func aPathPrefixInTheServerURLIsKept() async throws {
        let (_, ours) = try await KubeconfigParity.expectSame(.user("    token: t", server: "{TLS}/prefix"))
        #expect(ours.request?.path == "/prefix/apis/apps/v1/namespaces/team-a/deployments/hello")
    }

    @Test func anExecPluginOfV1beta1GetsItsEnvAndArgs() async throws {
        var scenario = ParityScenario.user("""
                exec:
                  apiVersion: client.authentication.k8s.io/v1beta1
                  command: {DIR}/plugin.sh
                  args: [--region, eu]
                  env: [{name: TOKEN_SUFFIX, value: abc}]
            """)
        scenario.scripts = ["plugin.sh": """
            printf '{"apiVersion":"client.authentication.k8s.io/v1beta1","kind":"ExecCredential","status":{"token":"%s-%s"}}' "$2" "$TOKEN_SUFFIX"
            """]
        let (_, ours) = try await KubeconfigParity.expectSame(scenario)
        #expect(ours.request?.authorization == "Bearer eu-abc")
    }

    @Test func anExpiredExecCredentialFails() async throws {
        var scenario = ParityScenario.user(
            "    exec: {apiVersion: client.authentication.k8s.io/v1, command: {DIR}/plugin.sh, interactiveMode: Never}")
        scenario.scripts = ["plugin.sh": """
            printf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"t","expirationTimestamp":"2000-01-01T00:00:00Z"}}'
            """]
        let (theirs, ours) = try await KubeconfigParity.expectSame(scenario)
        #expect(theirs.request?.authorization == ours.request?.authorization)
    }
}
