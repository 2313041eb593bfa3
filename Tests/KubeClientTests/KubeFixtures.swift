import Foundation

@testable import KubeClient

/// A temporary directory for kubeconfigs, token files and plugin scripts.
struct KubeScratch {
    let path: String

    init() {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("kube-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// Writes `text` at `name` (directories created) and returns the absolute path.
    @discardableResult
    func write(_ name: String, _ text: String) -> String {
        let file = "\(path)/\(name)"
        try? FileManager.default.createDirectory(atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: file, contents: Data(text.utf8))
        return file
    }

    /// An executable `/bin/sh` script.
    @discardableResult
    func script(_ name: String, _ body: String) -> String {
        let file = write(name, "#!/bin/sh\n" + body + "\n")
        try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: file)
        return file
    }

    func read(_ name: String) -> String {
        (try? String(contentsOfFile: "\(path)/\(name)", encoding: .utf8)) ?? ""
    }

    /// Options that see only this directory: no KUBECONFIG, HOME here, no service account.
    func options(kubeconfig: String? = nil, context: String? = nil, environment: [String: String] = [:]) -> KubeConfigOptions {
        KubeConfigOptions(kubeconfig: kubeconfig, context: context, environment: environment, homeDirectory: path,
                          serviceAccountDirectory: "\(path)/serviceaccount")
    }
}

/// A one-context kubeconfig for `server` with the given `user:` fields (YAML, indented 4).
func kubeconfig(server: String, cluster: String = "", user: String = "", namespace: String? = nil) -> String {
    """
    apiVersion: v1
    kind: Config
    clusters:
    - name: test
      cluster:
        server: \(server)
    \(cluster)
    users:
    - name: ci
      user:
    \(user.isEmpty ? "    {}" : user)
    contexts:
    - name: test
      context:
        cluster: test
        user: ci
    \(namespace.map { "    namespace: \($0)" } ?? "")
    current-context: test
    """
}
