import Foundation
import NIOSSL

/// The NIOSSL client configuration for a cluster: its CA as the only trust root (as kubectl
/// does), an optional client identity, and verification off only when the kubeconfig says so.
enum KubeTLS {
    struct Identity {
        var certificate: Data
        var key: SecretData
        /// `client-certificate of user "ci"`, `the exec plugin's certificate`: for messages.
        var label: String
    }

    static func configuration(_ settings: KubeTLSSettings, identity: Identity?) throws -> TLSConfiguration {
        var tls = TLSConfiguration.makeClientConfiguration()
        if settings.insecureSkipVerify {
            tls.certificateVerification = .none
        }
        if let ca = settings.certificateAuthority {
            let pem = try ca.load()
            guard let roots = try? NIOSSLCertificate.fromPEMBytes(Array(pem)), !roots.isEmpty else {
                throw KubeConfigError("\(settings.certificateAuthorityLabel) does not contain a PEM certificate")
            }
            tls.trustRoots = .certificates(roots)
        }
        if let identity {
            guard let chain = try? NIOSSLCertificate.fromPEMBytes(Array(identity.certificate)), !chain.isEmpty else {
                throw KubeConfigError("\(identity.label) does not contain a PEM certificate")
            }
            guard let key = try? NIOSSLPrivateKey(bytes: Array(identity.key.revealed), format: .pem) else {
                throw KubeConfigError("the key for \(identity.label) is not a PEM private key (RSA or EC)")
            }
            tls.certificateChain = chain.map { .certificate($0) }
            tls.privateKey = .privateKey(key)
        }
        return tls
    }

    /// The kubeconfig's static client certificate, if any.
    static func staticIdentity(_ credentials: KubeCredentials) throws -> Identity? {
        guard let certificate = credentials.clientCertificate, let key = credentials.clientKey else { return nil }
        let user = credentials.userName.map { " of user \"\($0)\"" } ?? ""
        let label: String
        if case .file(let path) = certificate { label = "client-certificate \(path)\(user)" } else { label = "client-certificate-data\(user)" }
        return Identity(certificate: try certificate.load(), key: SecretData(try key.load()), label: label)
    }
}
