import Foundation
import Testing

@testable import KubeClient

@Suite struct KubeConfigLoaderTests {
    let scratch = KubeScratch()

    @Test func clientCertificateFilesResolveAgainstTheKubeconfigDirectory() throws {
        scratch.write("conf/ca.crt", "ca")
        scratch.write("conf/certs/ci.crt", "cert")
        scratch.write("conf/certs/ci.key", "key")
        let file = scratch.write("conf/kubeconfig", kubeconfig(
            server: "https://10.0.0.1:6443", cluster: "    certificate-authority: ca.crt",
            user: "    client-certificate: certs/ci.crt\n    client-key: ./certs/ci.key"))
        let connection = try KubeConfigLoader.load(scratch.options(kubeconfig: file))
        #expect(connection.server.absoluteString == "https://10.0.0.1:6443")
        #expect(connection.tls.certificateAuthority == .file("\(scratch.path)/conf/ca.crt"))
        #expect(connection.credentials.clientCertificate == .file("\(scratch.path)/conf/certs/ci.crt"))
        #expect(connection.credentials.clientKey == .file("\(scratch.path)/conf/certs/ci.key"))
        #expect(connection.origin == "context \"test\" in \(file)")
    }

    @Test func inlineCertificateDataIsDecoded() throws {
        let file = scratch.write("config", kubeconfig(
            server: "https://k", cluster: "    certificate-authority-data: \(Data("CA PEM".utf8).base64EncodedString())",
            user: "    client-certificate-data: \(Data("CERT".utf8).base64EncodedString())\n    client-key-data: \(Data("KEY".utf8).base64EncodedString())"))
        let connection = try KubeConfigLoader.load(scratch.options(kubeconfig: file))
        #expect(connection.tls.certificateAuthority == .data(SecretData(Data("CA PEM".utf8))))
        #expect(connection.credentials.clientCertificate == .data(SecretData(Data("CERT".utf8))))
        #expect(connection.credentials.clientKey == .data(SecretData(Data("KEY".utf8))))
    }

    @Test func invalidBase64NamesTheUserFileAndField() throws {
        let file = scratch.write("config", kubeconfig(server: "https://k", user: "    client-certificate-data: '%%%not base64'\n    client-key-data: S0VZ"))
        #expect(throws: KubeConfigError("user \"ci\" in \(file): client-certificate-data is not valid base64")) {
            try KubeConfigLoader.load(scratch.options(kubeconfig: file))
        }
    }

    @Test func tokenAndNamespaceComeFromTheContext() throws {
        let file = scratch.write("config", kubeconfig(server: "https://k", user: "    token: abc.def", namespace: "team-a"))
        let connection = try KubeConfigLoader.load(scratch.options(kubeconfig: file))
        #expect(connection.credentials.token == SecretText("abc.def"))
        #expect(connection.namespace == "team-a")
        #expect(connection.contextName == "test")
    }

    @Test func tokenFileIsResolvedRelativeToTheKubeconfig() throws {
        scratch.write("conf/token", "t0ken\n")
        let file = scratch.write("conf/config", kubeconfig(server: "https://k", user: "    tokenFile: token"))
        let connection = try KubeConfigLoader.load(scratch.options(kubeconfig: file))
        #expect(connection.credentials.tokenFile == "\(scratch.path)/conf/token")
    }

    @Test func missingTokenFileWithoutATokenIsAnError() throws {
        let file = scratch.write("config", kubeconfig(server: "https://k", user: "    tokenFile: /nonexistent/token"))
        #expect(throws: KubeConfigError("user \"ci\" in \(file): tokenFile /nonexistent/token does not exist or is not readable")) {
            try KubeConfigLoader.load(scratch.options(kubeconfig: file))
        }
    }

    @Test func execPluginWithAPathCommandResolvesAgainstTheKubeconfig() throws {
        let file = scratch.write("conf/config", kubeconfig(server: "https://k", user: """
                exec:
                  apiVersion: client.authentication.k8s.io/v1
                  command: ./bin/get-token
                  args: [--cluster, prod]
                  env:
                  - name: REGION
                    value: eu-west-1
                  installHint: install get-token
                  interactiveMode: Never
            """))
        let exec = try #require(try KubeConfigLoader.load(scratch.options(kubeconfig: file)).credentials.exec)
        #expect(exec.command == "\(scratch.path)/conf/bin/get-token")
        #expect(exec.args == ["--cluster", "prod"])
        #expect(exec.env.map(\.name) == ["REGION"])
        #expect(exec.env.map(\.value.revealed) == ["eu-west-1"])
        #expect(exec.apiVersion == "client.authentication.k8s.io/v1")
        #expect(exec.installHint == "install get-token")
    }

    @Test func execPluginWithABareCommandKeepsTheName() throws {
        let file = scratch.write("config", kubeconfig(server: "https://k", user: """
                exec:
                  apiVersion: client.authentication.k8s.io/v1beta1
                  command: aws
            """))
        let exec = try #require(try KubeConfigLoader.load(scratch.options(kubeconfig: file)).credentials.exec)
        #expect(exec.command == "aws")
        #expect(exec.apiVersion == "client.authentication.k8s.io/v1beta1")
    }

    @Test func execPluginWithAnUnsupportedAPIVersionIsAnError() throws {
        let file = scratch.write("config", kubeconfig(server: "https://k", user: """
                exec:
                  apiVersion: client.authentication.k8s.io/v1alpha1
                  command: aws
            """))
        #expect(throws: KubeConfigError("user \"ci\" in \(file): exec.apiVersion \"client.authentication.k8s.io/v1alpha1\" is not supported; use client.authentication.k8s.io/v1 or client.authentication.k8s.io/v1beta1")) {
            try KubeConfigLoader.load(scratch.options(kubeconfig: file))
        }
    }

    @Test func theRemovedGCPAuthProviderIsRefusedWithAPointerToItsPlugin() throws {
        let file = scratch.write("config", kubeconfig(server: "https://k", user: "    auth-provider:\n      name: gcp\n      config: {}"))
        #expect(throws: KubeConfigError("user \"ci\" in \(file): the gcp auth-provider was removed from kubectl; use the gke-gcloud-auth-plugin exec credential plugin instead")) {
            try KubeConfigLoader.load(scratch.options(kubeconfig: file))
        }
    }

    @Test func tlsServerNameAndInsecureSkipVerifyAreRead() throws {
        let file = scratch.write("config", kubeconfig(server: "https://k", cluster: "    insecure-skip-tls-verify: true\n    tls-server-name: api.internal"))
        let tls = try KubeConfigLoader.load(scratch.options(kubeconfig: file)).tls
        #expect(tls == KubeTLSSettings(insecureSkipVerify: true, serverName: "api.internal", clusterName: "test"))
    }

    @Test func serverWithoutSchemeIsPlainHTTPAsForKubectl() throws {
        let file = scratch.write("config", kubeconfig(server: "10.0.0.1:6443", user: "    token: t"))
        let connection = try KubeConfigLoader.load(scratch.options(kubeconfig: file))
        #expect(connection.server.absoluteString == "http://10.0.0.1:6443")
        #expect(connection.credentials == KubeCredentials(userName: "ci"))
    }

    @Test func malformedYAMLNamesTheFileAndLineWithoutQuotingIt() throws {
        let file = scratch.write("config", "users:\n- name: ci\n  user:\n    token: \"s3cr3t\n")
        let error = try #require(throws: KubeConfigError.self) { try KubeConfigLoader.load(scratch.options(kubeconfig: file)) }
        #expect(error.message.hasPrefix("cannot parse kubeconfig \(file): invalid YAML at line "))
        #expect(!error.message.contains("s3cr3t"))
    }

    @Test func explicitKubeconfigMustExist() throws {
        #expect(throws: KubeConfigError("kubeconfig /nonexistent/config (--kubeconfig) does not exist")) {
            try KubeConfigLoader.load(scratch.options(kubeconfig: "/nonexistent/config"))
        }
    }

    @Test func homeKubeConfigIsTheDefault() throws {
        scratch.write(".kube/config", kubeconfig(server: "https://home", user: "    token: t"))
        #expect(try KubeConfigLoader.load(scratch.options()).server.absoluteString == "https://home")
    }

    @Test func nothingFoundSaysWhereItLooked() throws {
        #expect(throws: KubeConfigError("no kubeconfig found (looked at \(scratch.path)/.kube/config) and not running in a cluster (KUBERNETES_SERVICE_HOST is not set); pass --kubeconfig FILE or set KUBECONFIG")) {
            try KubeConfigLoader.load(scratch.options())
        }
    }

    @Test func certificateWithoutKeyIsAnError() throws {
        scratch.write("ci.crt", "cert")
        let file = scratch.write("config", kubeconfig(server: "https://k", user: "    client-certificate: ci.crt"))
        #expect(throws: KubeConfigError("user \"ci\" in \(file): client-certificate is set but client-key is not; a client certificate needs both")) {
            try KubeConfigLoader.load(scratch.options(kubeconfig: file))
        }
    }

    @Test func fileAndDataForTheSameFieldIsAnError() throws {
        scratch.write("ca.crt", "ca")
        let file = scratch.write("config", kubeconfig(server: "https://k", cluster: "    certificate-authority: ca.crt\n    certificate-authority-data: Q0E="))
        #expect(throws: KubeConfigError("cluster \"test\" in \(file): certificate-authority and certificate-authority-data are both set; keep one")) {
            try KubeConfigLoader.load(scratch.options(kubeconfig: file))
        }
    }

    @Test func insecureSkipVerifyWithACertificateAuthorityIsAnError() throws {
        let file = scratch.write("config", kubeconfig(server: "https://k", cluster: "    certificate-authority-data: Q0E=\n    insecure-skip-tls-verify: true"))
        #expect(throws: KubeConfigError("cluster \"test\" in \(file): insecure-skip-tls-verify cannot be combined with certificate-authority; remove one")) {
            try KubeConfigLoader.load(scratch.options(kubeconfig: file))
        }
    }

    @Test func missingCertificateAuthorityFileNamesIt() throws {
        let file = scratch.write("config", kubeconfig(server: "https://k", cluster: "    certificate-authority: missing/ca.crt"))
        #expect(throws: KubeConfigError("cluster \"test\" in \(file): certificate-authority \(scratch.path)/missing/ca.crt does not exist")) {
            try KubeConfigLoader.load(scratch.options(kubeconfig: file))
        }
    }
}
