import Foundation
import KubeTestServer
import TestSupport
import Yams

/// The files under `integrations/`, read as their users' tools read them.
enum Integrations {
    static let projectRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func text(_ relativePath: String) throws -> String {
        try String(contentsOf: projectRoot.appendingPathComponent(relativePath), encoding: .utf8)
    }

    /// A YAML file of the project as a mapping; throws naming the file when it is not one.
    static func mapping(_ relativePath: String) throws -> [String: Any] {
        guard let mapping = try Yams.load(yaml: text(relativePath)) as? [String: Any] else {
            throw FixtureError("\(relativePath) is not a YAML mapping")
        }
        return mapping
    }

    /// The value at `path` (mapping keys) in `root`.
    static func value(_ root: Any?, _ path: [String]) -> Any? {
        var current = root
        for key in path { current = (current as? [String: Any])?[key] }
        return current
    }

    /// The directory of the `pipedreamer` under test, to put first on a PATH.
    static var binaryDirectory: String { URL(fileURLWithPath: PipedreamerBinary.path).deletingLastPathComponent().path }

    /// A minimal environment, as a fresh container or CI runner has it, with pipedreamer first on PATH.
    static func cleanEnvironment(home: URL, extraPath: [String] = []) -> [String: String] {
        [
            "PATH": ([binaryDirectory] + extraPath + ["/usr/local/bin", "/usr/bin", "/bin"]).joined(separator: ":"),
            "HOME": home.path,
            "LANG": "C.UTF-8",
            // Commits the scripts make (a CI merge) get a fixed identity and date; no user config is read.
            "GIT_CONFIG_GLOBAL": "/dev/null",
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_AUTHOR_DATE": "2026-01-02T00:00:00Z",
            "GIT_COMMITTER_DATE": "2026-01-02T00:00:00Z",
        ]
    }

    /// A scratch directory removed by `remove()`.
    static func scratch() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("pipedreamer-integration-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Writes the test server's kubeconfig to a file in `directory`; returns its path.
    static func writeKubeconfig(_ server: KubeTestServer, namespace: String = "default", in directory: URL) throws -> String {
        let url = directory.appendingPathComponent("kubeconfig")
        try server.kubeconfig(namespace: namespace).write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }
}
