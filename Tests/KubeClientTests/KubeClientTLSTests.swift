import Foundation
import Testing

@testable import KubeClient

/// TLS against a fake API server with a test CA: trust, refusal with the reason, server names and client certificates.
@Suite struct KubeClientTLSTests {
    private let pki = KubeTestCertificates.shared
    private let ok = FakeReply.json(#"{"gitVersion":"v1.31.0"}"#)

    @Test func serverSignedByTheConfiguredCAIsTrusted() async throws {
        let version = try await withFakeAPI([ok], serverTLS: try pki.serverTLS(),
                                            tls: KubeTLSSettings(certificateAuthority: .file(pki.caCertificate))) { client, _ in
            try await client.serverVersion()
        }
        #expect(version == "v1.31.0")
    }

    @Test func inlineCertificateAuthorityDataIsTrusted() async throws {
        let ca = PEMSource.data(SecretData(pki.data(pki.caCertificate)))
        let version = try await withFakeAPI([ok], serverTLS: try pki.serverTLS(), tls: KubeTLSSettings(certificateAuthority: ca)) { client, _ in
            try await client.serverVersion()
        }
        #expect(version == "v1.31.0")
    }

    @Test func serverSignedByAnotherCAIsRefusedWithTheReason() async throws {
        let recorder = KubeTestRecorder()
        let (error, port, requests) = try await withFakeAPI(
            [ok], serverTLS: try pki.serverTLS(), tls: KubeTLSSettings(certificateAuthority: .file(pki.otherCACertificate)),
            options: recorder.options()
        ) { client, server in
            (await #expect(throws: KubeAPIError.self) { try await client.serverVersion() }, server.port, server.requests.count)
        }
        #expect(error?.message == "TLS handshake with the Kubernetes API at https://127.0.0.1:\(port) failed: the server's certificate was not trusted by certificate-authority \(pki.otherCACertificate) (certificate verify failed); check certificate-authority for the cluster in the kubeconfig")
        #expect(requests == 0)
        #expect(recorder.sleeps == [])
    }

    @Test func inlineCAIsNamedByItsClusterWhenRefused() async throws {
        let ca = PEMSource.data(SecretData(pki.data(pki.otherCACertificate)))
        let (error, port) = try await withFakeAPI([ok], serverTLS: try pki.serverTLS(),
                                                  tls: KubeTLSSettings(certificateAuthority: ca, clusterName: "prod")) { client, server in
            (await #expect(throws: KubeAPIError.self) { try await client.serverVersion() }, server.port)
        }
        #expect(error?.message == "TLS handshake with the Kubernetes API at https://127.0.0.1:\(port) failed: the server's certificate was not trusted by certificate-authority-data of cluster \"prod\" (certificate verify failed); check certificate-authority for the cluster in the kubeconfig")
    }

    @Test func insecureSkipVerifyConnectsAndWarns() async throws {
        let recorder = KubeTestRecorder()
        let (version, url) = try await withFakeAPI([ok], serverTLS: try pki.serverTLS(), tls: KubeTLSSettings(insecureSkipVerify: true),
                                                   options: recorder.options()) { client, server in
            (try await client.serverVersion(), server.url)
        }
        #expect(version == "v1.31.0")
        #expect(recorder.warnings == ["TLS certificate verification is disabled for \(url) (insecure-skip-tls-verify in context \"test\" in fixture); the connection can be intercepted"])
    }

    @Test func certificateForAnotherNameIsRefused() async throws {
        let (error, port) = try await withFakeAPI([ok], serverTLS: try pki.serverTLS(namedOnly: true),
                                                  tls: KubeTLSSettings(certificateAuthority: .file(pki.caCertificate))) { client, server in
            (await #expect(throws: KubeAPIError.self) { try await client.serverVersion() }, server.port)
        }
        #expect(error?.message == "TLS handshake with the Kubernetes API at https://127.0.0.1:\(port) failed: the server's certificate is not valid for \"127.0.0.1\"; if it is issued for another name, set tls-server-name for the cluster")
    }

    @Test func tlsServerNameIsCheckedInsteadOfTheHost() async throws {
        let tls = KubeTLSSettings(certificateAuthority: .file(pki.caCertificate), serverName: "kube.internal.test")
        let (version, host, port) = try await withFakeAPI([ok], serverTLS: try pki.serverTLS(namedOnly: true), tls: tls) { client, server in
            (try await client.serverVersion(), server.requests.first?.header("Host"), server.port)
        }
        #expect(version == "v1.31.0")
        #expect(host == "127.0.0.1:\(port)")
    }

    @Test(arguments: [("EC", "ci"), ("RSA", "ci-rsa")])
    func clientCertificateIsPresented(keyType: String, commonName: String) async throws {
        let credentials = keyType == "EC"
            ? KubeCredentials(clientCertificate: .file(pki.clientCertificate), clientKey: .file(pki.clientKey), userName: "ci")
            : KubeCredentials(clientCertificate: .file(pki.rsaClientCertificate), clientKey: .file(pki.rsaClientKey), userName: "ci")
        let presented = try await withFakeAPI([ok], serverTLS: try pki.serverTLS(requireClientCertificate: true),
                                              tls: KubeTLSSettings(certificateAuthority: .file(pki.caCertificate)),
                                              credentials: credentials) { client, server in
            _ = try await client.serverVersion()
            return server.requests.first?.clientCertificateCommonName
        }
        #expect(presented == commonName)
    }

    @Test func inlineClientCertificateDataIsPresented() async throws {
        let credentials = KubeCredentials(clientCertificate: .data(SecretData(pki.data(pki.clientCertificate))),
                                          clientKey: .data(SecretData(pki.data(pki.clientKey))), userName: "ci")
        let presented = try await withFakeAPI([ok], serverTLS: try pki.serverTLS(requireClientCertificate: true),
                                              tls: KubeTLSSettings(certificateAuthority: .file(pki.caCertificate)),
                                              credentials: credentials) { client, server in
            _ = try await client.serverVersion()
            return server.requests.first?.clientCertificateCommonName
        }
        #expect(presented == "ci")
    }

    @Test func execPluginClientCertificateIsPresented() async throws {
        let scratch = KubeScratch()
        let json = try JSONEncoder().encode(["apiVersion": "client.authentication.k8s.io/v1beta1", "kind": "ExecCredential"])
        let status = try JSONEncoder().encode(["clientCertificateData": String(decoding: pki.data(pki.clientCertificate), as: UTF8.self),
                                               "clientKeyData": String(decoding: pki.data(pki.clientKey), as: UTF8.self)])
        scratch.write("credential.json", String(decoding: json.dropLast(), as: UTF8.self) + ",\"status\":" + String(decoding: status, as: UTF8.self) + "}")
        let plugin = scratch.script("plugin.sh", "cat \"\(scratch.path)/credential.json\"")
        let exec = ExecConfig(command: plugin, apiVersion: "client.authentication.k8s.io/v1beta1", userName: "ci")
        let presented = try await withFakeAPI([ok], serverTLS: try pki.serverTLS(requireClientCertificate: true),
                                              tls: KubeTLSSettings(certificateAuthority: .file(pki.caCertificate)),
                                              credentials: KubeCredentials(exec: exec, userName: "ci")) { client, server in
            _ = try await client.serverVersion()
            return server.requests.first?.clientCertificateCommonName
        }
        #expect(presented == "ci")
    }

    @Test func missingClientCertificateIsRefusedByTheServer() async throws {
        let (error, port) = try await withFakeAPI(
            [ok], serverTLS: try pki.serverTLS(requireClientCertificate: true),
            tls: KubeTLSSettings(certificateAuthority: .file(pki.caCertificate)), options: KubeTestRecorder().options(retry: .never)
        ) { client, server in
            (await #expect(throws: KubeAPIError.self) { try await client.serverVersion() }, server.port)
        }
        #expect(error?.message == "TLS handshake with the Kubernetes API at https://127.0.0.1:\(port) failed: the server requires a client certificate and user \"ci\" has none (tlsv1 alert certificate required)")
    }

    @Test func caFileWithoutACertificateIsAnError() throws {
        let scratch = KubeScratch()
        let file = scratch.write("ca.crt", "not a certificate")
        let connection = ClusterConnection(server: URL(string: "https://k")!, tls: KubeTLSSettings(certificateAuthority: .file(file)), origin: "t")
        #expect(throws: KubeConfigError("certificate-authority \(file) does not contain a PEM certificate")) {
            try KubernetesClient(connection: connection)
        }
    }

    @Test func kubeconfigWithInlineCertificatesConnectsEndToEnd() async throws {
        let scratch = KubeScratch()
        let server = try await FakeAPIServer.start([ok], tls: try pki.serverTLS(requireClientCertificate: true))
        let base64 = { (path: String) in pki.data(path).base64EncodedString() }
        let file = scratch.write("config", kubeconfig(
            server: server.url, cluster: "    certificate-authority-data: \(base64(pki.caCertificate))",
            user: "    client-certificate-data: \(base64(pki.clientCertificate))\n    client-key-data: \(base64(pki.clientKey))"))
        let client = try KubernetesClient(connection: try KubeConfigLoader.load(scratch.options(kubeconfig: file)),
                                          options: KubeTestRecorder().options())
        let version = try? await client.serverVersion()
        try await client.shutdown()
        await server.stop()
        #expect(version == "v1.31.0")
        #expect(server.requests.map(\.clientCertificateCommonName) == ["ci"])
    }
}
