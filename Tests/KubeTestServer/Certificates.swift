import Crypto
import Foundation
import SwiftASN1
import X509

/// A client's credentials: a certificate whose CN is the user and whose O entries are the groups.
public struct ClientCredentials: Sendable {
    public let user: UserInfo
    public let certificatePEM: String
    public let keyPEM: String
}

/// A throwaway PKI for TLS mode: a CA, a server certificate for `localhost` and `127.0.0.1`,
/// and one client certificate per user.
public struct TestPKI: Sendable {
    public let caCertificatePEM: String
    public let serverCertificatePEM: String
    public let serverKeyPEM: String
    public let clients: [ClientCredentials]

    public func client(_ user: String) -> ClientCredentials? { clients.first { $0.user.name == user } }

    public static func generate(clients users: [UserInfo]) throws -> TestPKI {
        let caKey = P256.Signing.PrivateKey()
        let caName = try DistinguishedName { CommonName("kube-test-server-ca") }
        let now = Date()
        let ca = try Certificate(
            version: .v3, serialNumber: .init(), publicKey: .init(caKey.publicKey),
            notValidBefore: now - 3600, notValidAfter: now + 86_400 * 365, issuer: caName, subject: caName,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil))
                Critical(KeyUsage(digitalSignature: true, keyCertSign: true, cRLSign: true))
            },
            issuerPrivateKey: .init(caKey))

        func issue(subject: DistinguishedName, usage: ExtendedKeyUsage.Usage, names: SubjectAlternativeNames?) throws -> (String, String) {
            let key = P256.Signing.PrivateKey()
            let certificate = try Certificate(
                version: .v3, serialNumber: .init(), publicKey: .init(key.publicKey),
                notValidBefore: now - 3600, notValidAfter: now + 86_400 * 365, issuer: caName, subject: subject,
                signatureAlgorithm: .ecdsaWithSHA256,
                extensions: try Certificate.Extensions {
                    Critical(BasicConstraints.notCertificateAuthority)
                    Critical(KeyUsage(digitalSignature: true, keyEncipherment: true))
                    try ExtendedKeyUsage([usage])
                    if let names { names }
                },
                issuerPrivateKey: .init(caKey))
            return (try certificate.serializeAsPEM().pemString, key.pemRepresentation)
        }

        let server = try issue(subject: try DistinguishedName { CommonName("kube-apiserver") }, usage: .serverAuth,
                               names: SubjectAlternativeNames([.dnsName("localhost"), .ipAddress(ASN1OctetString(contentBytes: [127, 0, 0, 1]))]))
        let clients = try users.map { user in
            var rdns = user.groups.map { RelativeDistinguishedName(.init(type: .RDNAttributeType.organizationName, utf8String: $0)) }
            rdns.append(RelativeDistinguishedName(.init(type: .RDNAttributeType.commonName, utf8String: user.name)))
            let (certificate, key) = try issue(subject: DistinguishedName(rdns), usage: .clientAuth, names: nil)
            return ClientCredentials(user: user, certificatePEM: certificate, keyPEM: key)
        }
        return TestPKI(caCertificatePEM: try ca.serializeAsPEM().pemString, serverCertificatePEM: server.0,
                       serverKeyPEM: server.1, clients: clients)
    }

    /// The user a verified client certificate names: CN, and O as groups.
    static func user(fromDER der: [UInt8]) -> UserInfo? {
        guard let certificate = try? Certificate(derEncoded: der) else { return nil }
        var name: String?
        var groups: [String] = []
        for rdn in certificate.subject {
            for attribute in rdn {
                if attribute.type == .RDNAttributeType.commonName { name = String(attribute.value) }
                if attribute.type == .RDNAttributeType.organizationName, let group = String(attribute.value) { groups.append(group) }
            }
        }
        return name.map { UserInfo(name: $0, groups: groups) }
    }
}
