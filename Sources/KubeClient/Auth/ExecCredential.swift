import Foundation

/// What an exec credential plugin returned: a bearer token and/or a client certificate.
public struct ExecCredential: Sendable, Equatable {
    public var token: SecretText?
    /// PEM certificate chain.
    public var clientCertificate: Data?
    /// PEM private key.
    public var clientKey: SecretData?
    /// When the plugin must be run again; nil means valid for the whole run.
    public var expiration: Date?

    public init(token: SecretText? = nil, clientCertificate: Data? = nil, clientKey: SecretData? = nil, expiration: Date? = nil) {
        self.token = token
        self.clientCertificate = clientCertificate
        self.clientKey = clientKey
        self.expiration = expiration
    }

    /// Parses the plugin's stdout. Messages never quote the output: it holds the credential.
    static func parse(_ output: Data, config: ExecConfig) throws -> ExecCredential {
        let plugin = "exec plugin for user \"\(config.userName)\" (\(config.command))"
        guard let document = try? JSONDecoder().decode(JSONValue.self, from: output), case .object(let members) = document else {
            throw KubeConfigError("\(plugin) printed invalid JSON; expected an ExecCredential object on stdout")
        }
        guard case .string(let kind)? = members["kind"], kind == "ExecCredential" else {
            throw KubeConfigError("\(plugin) returned kind \(quoted(members["kind"])); expected \"ExecCredential\"")
        }
        guard case .string(let apiVersion)? = members["apiVersion"], apiVersion == config.apiVersion else {
            throw KubeConfigError("\(plugin) returned apiVersion \(quoted(members["apiVersion"])); expected \"\(config.apiVersion)\" as exec.apiVersion in the kubeconfig says")
        }
        guard case .object(let status)? = members["status"] else {
            throw KubeConfigError("\(plugin) returned no status; expected status.token or status.clientCertificateData and clientKeyData")
        }
        func field(_ name: String) throws -> String? {
            switch status[name] {
            case nil, .null?: return nil
            case .string(let value)?: return value.isEmpty ? nil : value
            default: throw KubeConfigError("\(plugin) returned a status.\(name) that is not a string")
            }
        }
        let token = try field("token")
        let certificate = try field("clientCertificateData")
        let key = try field("clientKeyData")
        if certificate != nil, key == nil {
            throw KubeConfigError("\(plugin) returned status.clientCertificateData without clientKeyData")
        }
        if key != nil, certificate == nil {
            throw KubeConfigError("\(plugin) returned status.clientKeyData without clientCertificateData")
        }
        if token == nil, certificate == nil {
            throw KubeConfigError("\(plugin) returned no credential; expected status.token or status.clientCertificateData and clientKeyData")
        }
        var expiration: Date?
        if let timestamp = try field("expirationTimestamp") {
            guard let date = parseTimestamp(timestamp) else {
                throw KubeConfigError("\(plugin) returned status.expirationTimestamp \"\(timestamp)\", which is not an RFC 3339 time")
            }
            expiration = date
        }
        return ExecCredential(token: token.map(SecretText.init), clientCertificate: certificate.map { Data($0.utf8) },
                              clientKey: key.map { SecretData(Data($0.utf8)) }, expiration: expiration)
    }

    private static func quoted(_ value: JSONValue?) -> String {
        if case .string(let text)? = value { return "\"\(text)\"" }
        return value == nil ? "(none)" : "(not a string)"
    }

    static func parseTimestamp(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)
    }
}
