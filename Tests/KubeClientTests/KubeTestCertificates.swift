import Foundation
import NIOSSL
import TestSupport

/// Test PKI made once per run with the openssl CLI: a cluster CA and its server certificate
/// (for 127.0.0.1, localhost and kube.internal.test), a client CA with EC and RSA client
/// certificates for user "ci", and an unrelated CA the server does not use.
struct KubeTestCertificates: Sendable {
    let directory: String

    static let shared: KubeTestCertificates = {
        do { return try KubeTestCertificates() } catch { fatalError("cannot create test certificates: \(error)") }
    }()

    var caCertificate: String { "\(directory)/ca.crt" }
    var serverCertificate: String { "\(directory)/server.crt" }
    var serverKey: String { "\(directory)/server.key" }
    /// Valid for kube.internal.test only, so connecting by IP needs tls-server-name.
    var namedServerCertificate: String { "\(directory)/named-server.crt" }
    var clientCACertificate: String { "\(directory)/client-ca.crt" }
    var clientCertificate: String { "\(directory)/client.crt" }
    /// SEC1 (`BEGIN EC PRIVATE KEY`).
    var clientKey: String { "\(directory)/client-sec1.key" }
    var rsaClientCertificate: String { "\(directory)/rsa-client.crt" }
    /// PKCS#1 (`BEGIN RSA PRIVATE KEY`), as kind and kubeadm write it.
    var rsaClientKey: String { "\(directory)/rsa-client-pkcs1.key" }
    var otherCACertificate: String { "\(directory)/other-ca.crt" }

    func data(_ path: String) -> Data { FileManager.default.contents(atPath: path) ?? Data() }

    /// The server's TLS configuration, optionally requiring a client certificate signed by the client CA.
    func serverTLS(requireClientCertificate: Bool = false, namedOnly: Bool = false) throws -> TLSConfiguration {
        let name = namedOnly ? "named-server" : "server"
        var tls = TLSConfiguration.makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMFile("\(directory)/\(name).crt").map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(file: "\(directory)/\(name).key", format: .pem)))
        if requireClientCertificate {
            tls.certificateVerification = .noHostnameVerification
            tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(clientCACertificate))
        }
        return tls
    }

    /// The server's TLS configuration, checking a client certificate when one is presented (as kube-apiserver does).
    func serverTLSAcceptingClientCertificates(namedOnly: Bool = false) throws -> TLSConfiguration {
        var tls = try serverTLS(namedOnly: namedOnly)
        tls.certificateVerification = .optionalVerification
        tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(clientCACertificate))
        return tls
    }

    private init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("kube-pki-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try makeCA("ca", subject: "/CN=test-cluster-ca")
        try makeCA("client-ca", subject: "/CN=test-client-ca")
        try makeCA("other-ca", subject: "/CN=unrelated-ca")
        try makeLeaf("server", ca: "ca", key: ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"],
                     subject: "/CN=kube-apiserver",
                     extensions: "subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kube.internal.test\nextendedKeyUsage=serverAuth\n")
        try makeLeaf("named-server", ca: "ca", key: ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"],
                     subject: "/CN=kube-apiserver", extensions: "subjectAltName=DNS:kube.internal.test\nextendedKeyUsage=serverAuth\n")
        try makeLeaf("client", ca: "client-ca", key: ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"],
                     subject: "/O=system:masters/CN=ci", extensions: "extendedKeyUsage=clientAuth\n")
        try openssl(["ec", "-in", "client.key", "-out", "client-sec1.key"])
        try makeLeaf("rsa-client", ca: "client-ca", key: ["-newkey", "rsa:2048"],
                     subject: "/CN=ci-rsa", extensions: "extendedKeyUsage=clientAuth\n")
        try openssl(["rsa", "-in", "rsa-client.key", "-traditional", "-out", "rsa-client-pkcs1.key"])
    }

    private func makeCA(_ name: String, subject: String) throws {
        try openssl(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                     "-keyout", "\(name).key", "-out", "\(name).crt", "-subj", subject, "-days", "3",
                     "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"])
    }

    private func makeLeaf(_ name: String, ca: String, key: [String], subject: String, extensions: String) throws {
        try openssl(["req"] + key + ["-nodes", "-keyout", "\(name).key", "-out", "\(name).csr", "-subj", subject])
        try Data(extensions.utf8).write(to: URL(fileURLWithPath: "\(directory)/\(name).ext"))
        try openssl(["x509", "-req", "-in", "\(name).csr", "-CA", "\(ca).crt", "-CAkey", "\(ca).key", "-CAcreateserial",
                     "-out", "\(name).crt", "-days", "3", "-extfile", "\(name).ext"])
    }

    private func openssl(_ arguments: [String]) throws {
        let result = try Command.run("/usr/bin/env", ["openssl"] + arguments, in: directory)
        guard result.status == 0 else { throw FixtureError("openssl \(arguments.first ?? "") failed: \(result.stderrText)") }
    }
}
