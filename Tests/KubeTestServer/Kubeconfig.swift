import Foundation

extension KubeTestServer {
    /// A kubeconfig for this server: in TLS mode with the CA and the user's client certificate
    /// (or a token), over plain HTTP with the token if any.
    public func kubeconfig(user: String = "admin", token: String? = nil, namespace: String = "default") -> String {
        var cluster = "    server: \(url.absoluteString)\n"
        var credentials = ""
        if let pki {
            cluster += "    certificate-authority-data: \(Data(pki.caCertificatePEM.utf8).base64EncodedString())\n"
            if token == nil, let client = pki.client(user) {
                credentials += "    client-certificate-data: \(Data(client.certificatePEM.utf8).base64EncodedString())\n"
                credentials += "    client-key-data: \(Data(client.keyPEM.utf8).base64EncodedString())\n"
            }
        }
        if let token { credentials += "    token: \(token)\n" }
        if credentials.isEmpty { credentials = "    {}\n" }
        return """
            apiVersion: v1
            kind: Config
            clusters:
            - name: kube-test-server
              cluster:
            \(cluster.dropLast())
            users:
            - name: \(user)
              user:
            \(credentials.dropLast())
            contexts:
            - name: kube-test-server
              context:
                cluster: kube-test-server
                user: \(user)
                namespace: \(namespace)
            current-context: kube-test-server

            """
    }
}
