import Deploy
@testable import KubeClient
import Foundation
import Testing

@Suite struct KubeNamespaceTests {
    @Test(arguments: [
        (nil as String?, nil as String?, nil as String?, "default"),
        ("cli", "workflow", "context", "cli"),
        (nil, "workflow", "context", "workflow"),
        (nil, nil, "context", "context"),
        ("", "", "context", "context"),
    ])
    func namespaceFollowsFlagThenWorkflowThenContext(flag: String?, workflow: String?, context: String?, expected: String) {
        let connection = ClusterConnection(server: URL(string: "https://k")!, namespace: context, origin: "test")
        #expect(KubeNamespace.resolve(flag: flag, workflow: workflow, connection: connection) == expected)
    }
}
