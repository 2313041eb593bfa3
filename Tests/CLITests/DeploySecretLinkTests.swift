import Foundation
import KubeTestServer
import Testing
import TestSupport

/// A commit that holds `.secrets.yaml` or a file of `.secrets/` as a symbolic link, once checked
/// out, must not make a deploy of an earlier, clean tag upload the link's target (the kubeconfig,
/// the process environment) into the workflow's Secret: deploy refuses before any request.
// The limit catches a read that blocks (a FIFO opened without O_NONBLOCK would wait forever); it
// is generous because a test's clock runs while a crowded run keeps it from the processor.
@Suite(.timeLimit(.minutes(10))) struct DeploySecretLinkTests {
    /// Tags the clean first commit `v1`, then commits (and so checks out) `links` as symbolic links.
    func checkOutLinks(_ h: DeployHarness, _ links: [String: String]) throws {
        try h.repo.git(["tag", "v1", h.firstCommit])
        for (path, target) in links {
            let url = h.repo.root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(atPath: url.path, withDestinationPath: target)
            try h.repo.git(["add", "-f", path])
        }
        try h.repo.git(["commit", "-q", "--no-verify", "-m", "links"])
    }

    static func refusal(_ shown: String) -> String {
        "Error: \(shown) is a symbolic link; deploy reads secrets only from files inside the working tree, never through a link: replace the link with the file or directory itself\n"
    }

    @Test func aCommittedSecretsYAMLLinkToTheKubeconfigUploadsNothing() async throws {
        try await DeployHarness.with(tls: true, token: "kube-admin-token") { h in
            try checkOutLinks(h, [".secrets.yaml": h.kubeconfigPath])
            let result = try h.deploy(["v1"])
            #expect(result.status == 1)
            #expect(result.stderrText == Self.refusal(".secrets.yaml"))
            #expect(!result.allOutput.contains("kube-admin-token"))
            #expect(h.server.requests.isEmpty)
            #expect(h.object(.secrets, "hello-secrets") == nil)
        }
    }

    @Test func aCommittedLinkToTheProcessEnvironmentUploadsNothing() async throws {
        try await DeployHarness.with { h in
            try checkOutLinks(h, [".secrets/env": "/proc/self/environ"])
            let result = try h.deploy(["v1"])
            #expect(result.status == 1)
            #expect(result.stderrText == Self.refusal(".secrets/env"))
            #expect(h.server.requests.isEmpty)
            #expect(h.object(.secrets, "hello-secrets") == nil)
        }
    }

    @Test func aFIFOInTheSecretsDirectoryIsRefusedWithoutBlocking() async throws {
        try await DeployHarness.with { h in
            try h.repo.write(".secrets/API_KEY", "value")
            #expect(mkfifo(h.repo.path + "/.secrets/env", 0o600) == 0)
            let result = try h.deploy()
            #expect(result.status == 1)
            #expect(result.stderrText == "Error: .secrets/env is not a regular file (a FIFO, socket or device); deploy reads secrets only from regular files: replace it with a file holding the value\n")
            #expect(h.server.requests.isEmpty)
        }
    }

    @Test func aSecretsFileAnotherUserPlantedUploadsNothing() async throws {
        try await DeployHarness.with { h in
            try h.repo.write(".secrets.yaml", "API_KEY: planted\n")
            try #require(chown(h.repo.path + "/.secrets.yaml", 65534, 65534) == 0, "needs root to give the file away")
            let result = try h.deploy()
            #expect(result.status == 1)
            #expect(result.stderrText == "Error: .secrets.yaml is owned by uid 65534, not by uid \(geteuid()) running deploy; deploy reads only secrets files you own: copy the value into a file of your own\n")
            #expect(h.server.requests.isEmpty)
            #expect(h.object(.secrets, "hello-secrets") == nil)
        }
    }
}
