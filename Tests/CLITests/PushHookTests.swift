import Foundation
import KubeTestServer
import Testing
import TestSupport

/// Real `git push` to a local bare repository with the pre-push hook installed in the clone and
/// the post-receive hook in the bare repository.
@Suite struct PrePushHookTests {
    let repository: HookedRepository
    let remote: GitFixture

    init() throws {
        repository = try HookedRepository()
        remote = try GitFixture(bare: true)
        try repository.fixture.git(["remote", "add", "origin", remote.path])
        try repository.commitWorkflow()
        try repository.fixture.git(["push", "-q", "--no-verify", "origin", "main"])
    }

    func push(_ arguments: [String]) throws -> Command.Result {
        try repository.git(["push", "-q", "origin"] + arguments)
    }

    func remoteHead(_ ref: String) throws -> String? {
        let result = try Command.run("/usr/bin/env", ["git", "rev-parse", "--verify", "-q", ref], in: remote.path,
                                     environment: GitFixture.environment)
        return result.status == 0 ? result.stdoutText.trimmingCharacters(in: .newlines) : nil
    }

    /// Commits without the hook, as `--no-verify` would, so the push is what stops it.
    @discardableResult
    func commitUnchecked(_ message: String, _ change: () throws -> Void) throws -> String {
        try change()
        return try repository.fixture.commitAll(message)
    }

    @Test func aPushOfThreeCommitsWithAnOversizeMiddleOneIsRefusedNamingIt() throws {
        let before = try remoteHead("refs/heads/main")
        try commitUnchecked("first") { try repository.fixture.write("wf/nodes/a.ts", "a\n") }
        let middle = try commitUnchecked("oversize") {
            try repository.fixture.write("wf/nodes/huge.ts", HookedRepository.text(bytes: 921_600))
        }
        try commitUnchecked("shrink again") { try repository.fixture.remove("wf/nodes/huge.ts") }
        let result = try push(["main"])
        #expect(result.status != 0)
        let lines = result.stderrText.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[0] == "pipedreamer: push refused: 1 commit cannot ship")
        #expect(lines[1] == "commit \(middle.prefix(12)) \"oversize\", pushed to refs/heads/main:")
        #expect(lines[2] == "workflow wf at commit \(middle.prefix(12)): 1 problem")
        #expect(lines[3].hasPrefix("  ✗ workflow code exceeds ConfigMap size limit (900KB): total size is "))
        #expect(result.stderrText.contains("      this commit adds 921600 bytes ("))
        #expect(try remoteHead("refs/heads/main") == before)
    }

    @Test func aPushOfGoodCommitsIsAccepted() throws {
        let tip = try commitUnchecked("fine") { try repository.fixture.write("wf/nodes/a.ts", "a\n") }
        let result = try push(["main"])
        #expect(result.status == 0, "\(result.stderrText)")
        #expect(result.stderrText == "")
        #expect(try remoteHead("refs/heads/main") == tip)
    }

    @Test func aTagOnABadUnpushedCommitIsRefused() throws {
        let bad = try commitUnchecked("secret") { try repository.fixture.write("wf/.env", "A=1\n") }
        try repository.fixture.git(["tag", "-a", "-m", "release", "v1.0.0"])
        let result = try push(["refs/tags/v1.0.0"])
        #expect(result.status != 0)
        #expect(result.stderrText.contains("commit \(bad.prefix(12)) \"secret\", pushed to refs/tags/v1.0.0:\n"))
        #expect(result.stderrText.contains("  ✗ wf/.env: secrets must never be committed"))
        #expect(try remoteHead("refs/tags/v1.0.0") == nil)
    }

    @Test func aTagOnACommitTheRemoteHasIsAccepted() throws {
        try repository.fixture.git(["tag", "-a", "-m", "release", "v1.0.0"])
        let result = try push(["refs/tags/v1.0.0"])
        #expect(result.status == 0, "\(result.stderrText)")
        #expect(try remoteHead("refs/tags/v1.0.0^{commit}") == (try repository.fixture.gitText(["rev-parse", "HEAD"])))
    }

    @Test func aBranchDeletionIsAccepted() throws {
        try repository.fixture.git(["push", "-q", "--no-verify", "origin", "main:doomed"])
        #expect(try remoteHead("refs/heads/doomed") != nil)
        let result = try push([":doomed"])
        #expect(result.status == 0, "\(result.stderrText)")
        #expect(try remoteHead("refs/heads/doomed") == nil)
    }

    @Test func aNewBranchIsComparedWithWhatTheRemoteHas() throws {
        // The remote has a broken commit already (pushed without the hook); a new branch that does
        // not touch the workflow again is not blamed for it.
        try commitUnchecked("secret") { try repository.fixture.write("wf/.env", "A=1\n") }
        try repository.fixture.git(["push", "-q", "--no-verify", "origin", "main"])
        try repository.fixture.git(["checkout", "-q", "-b", "topic"])
        try commitUnchecked("docs") { try repository.fixture.write("README.md", "docs\n") }
        let clean = try push(["topic"])
        #expect(clean.status == 0, "\(clean.stderrText)")
        try commitUnchecked("touch workflow") { try repository.fixture.write("wf/nodes/b.ts", "b\n") }
        let touched = try push(["topic"])
        #expect(touched.status != 0)
        #expect(touched.stderrText.contains("\"touch workflow\", pushed to refs/heads/topic:"))
    }

    @Test func eachBadCommitIsReportedOnce() throws {
        let bad = try commitUnchecked("binary") { try repository.fixture.write("wf/nodes/bad.ts", [0x00]) }
        try commitUnchecked("unrelated") { try repository.fixture.write("README.md", "docs\n") }
        try repository.fixture.git(["branch", "copy"])
        let result = try push(["main", "copy"])
        #expect(result.status != 0)
        #expect(result.stderrText.components(separatedBy: "commit \(bad.prefix(12)) ").count == 2)
        #expect(result.stderrText.hasPrefix("pipedreamer: push refused: 1 commit cannot ship\n"))
    }
}

@Suite struct PostReceiveHookTests {
    let remote: HookedRepository
    let clone: GitFixture

    init() throws {
        remote = try HookedRepository(fixture: try GitFixture(bare: true), server: true)
        clone = try GitFixture()
        try clone.git(["remote", "add", "origin", remote.path])
        try clone.writeWorkflow(at: "wf", name: "hello")
        try clone.commitAll("workflow")
    }

    /// `git push` output lines the remote sent, without the "remote: " prefix.
    func remoteLines(_ arguments: [String], environment: [String: String] = [:]) throws -> [String] {
        let result = try Command.run("/usr/bin/env", ["git", "push", "-q", "--no-verify", "origin"] + arguments,
                                     in: clone.path, environment: GitFixture.environment.merging(environment) { $1 })
        #expect(result.status == 0, "\(result.stderrText)")
        return result.stderrText.split(separator: "\n").compactMap { line in
            line.hasPrefix("remote: ") ? String(line.dropFirst(8)).trimmingCharacters(in: .whitespaces) : nil
        }
    }

    @Test func withoutDeployRefsNothingIsDeployedAndItSaysSoOnce() throws {
        try clone.git(["tag", "v1.0.0"])
        let lines = try remoteLines(["main", "v1.0.0"])
        #expect(lines == ["pipedreamer: nothing deployed: no refs are configured for deploy (set them with `git config pipedreamer.deployRefs 'refs/tags/v* refs/heads/main'` in this repository)"])
    }

    @Test func aMatchingTagIsDeployedToTheServersCluster() async throws {
        let server = try await KubeTestServer.start(.init(runtimeClasses: ["gvisor": "runsc"]))
        defer { Task { try? await server.shutdown() } }
        let kubeconfig = clone.path + "-kubeconfig"
        try server.kubeconfig().write(toFile: kubeconfig, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: kubeconfig) }
        try remote.fixture.git(["config", "pipedreamer.deployRefs", "refs/tags/v* refs/heads/release"])
        try clone.git(["tag", "-a", "-m", "release", "v1.0.0"])
        let sha = try clone.gitText(["rev-parse", "HEAD"])
        let lines = try remoteLines(["main", "v1.0.0"], environment: ["KUBECONFIG": kubeconfig])
        #expect(lines == ["pipedreamer: refs/tags/v1.0.0 at \(sha.prefix(12)): deployed hello to namespace default: configmap/hello-code created, deployment.apps/hello created, service/hello created; rollout started (follow it with `pipedreamer status hello -n default`)"])
        let deployment = try #require(server.object(.deployments, namespace: "default", name: "hello"))
        #expect(deployment["spec"]?["template"]?["metadata"]?["annotations"]?["kubectl.kubernetes.io/restartedAt"] == .string(sha))
    }

    @Test(.enabled(if: Command.which("kubectl") != nil))
    func aPushDeployQueuesOnTheDeployLeaseAndReleasesIt() async throws {
        let server = try await KubeTestServer.start(.init(runtimeClasses: ["gvisor": "runsc"]))
        defer { Task { try? await server.shutdown() } }
        let kubeconfig = clone.path + "-kubeconfig"
        try server.kubeconfig().write(toFile: kubeconfig, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: kubeconfig) }
        // Another deploy holds the lease and then dies: the hook's deploy waits for it to go stale.
        let lease = foreignLease(holder: "\"alice@laptop (pid 1)\"", commit: String(repeating: "0", count: 40),
                                 durationSeconds: 2, secondsAgo: 0)
        let created = try Command.run("/usr/bin/env", ["kubectl", "--kubeconfig", kubeconfig, "apply", "--server-side",
                                                       "-f", "-"], input: Data(lease.utf8))
        #expect(created.status == 0, "\(created.stderrText)\(created.stdoutText)")
        try remote.fixture.git(["config", "pipedreamer.deployRefs", "refs/heads/main"])
        let sha = try clone.gitText(["rev-parse", "HEAD"])
        let lines = try remoteLines(["main"], environment: ["KUBECONFIG": kubeconfig])
        #expect(lines.first?.hasPrefix("pipedreamer: refs/heads/main at \(sha.prefix(12)): deployed hello to namespace default:") == true, "\(lines)")
        let leaseRequests = server.requests.filter { $0.path.contains("/leases/hello-deploy") && $0.method != "GET" }
        #expect(leaseRequests.map(\.method) == ["PATCH", "PUT", "DELETE"])
        #expect(server.object(.leases, namespace: "default", name: "hello-deploy") == nil)
    }

    @Test func anUnreachableClusterIsReportedWithoutFailingThePush() throws {
        let kubeconfig = clone.path + "-kubeconfig"
        try """
        apiVersion: v1
        kind: Config
        clusters: [{name: c, cluster: {server: "http://127.0.0.1:9"}}]
        users: [{name: u, user: {}}]
        contexts: [{name: x, context: {cluster: c, user: u}}]
        current-context: x
        """.write(toFile: kubeconfig, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: kubeconfig) }
        try remote.fixture.git(["config", "pipedreamer.deployRefs", "refs/heads/main"])
        let sha = try clone.gitText(["rev-parse", "HEAD"])
        let lines = try remoteLines(["main"], environment: ["KUBECONFIG": kubeconfig])
        #expect(lines.count == 1)
        #expect(lines.first?.hasPrefix("pipedreamer: refs/heads/main at \(sha.prefix(12)): deploy of hello failed: the Kubernetes API is not usable: cannot reach the Kubernetes API at http://127.0.0.1:9") == true)
        #expect(lines.first?.hasSuffix("the push itself succeeded, run `pipedreamer deploy \(sha.prefix(12))` to retry") == true)
    }

    @Test func nonMatchingRefsAreNotDeployed() throws {
        try remote.fixture.git(["config", "pipedreamer.deployRefs", "refs/tags/v*"])
        let lines = try remoteLines(["main"])
        #expect(lines == ["pipedreamer: nothing deployed: no pushed ref matches pipedreamer.deployRefs (refs/tags/v*)"])
    }

    @Test func aCommitThatCannotShipIsReportedWithoutFailingThePush() throws {
        try remote.fixture.git(["config", "pipedreamer.deployRefs", "refs/heads/main"])
        try clone.write("wf/.env", "A=1\n")
        let sha = try clone.commitAll("secret")
        let lines = try remoteLines(["main"])
        #expect(lines == ["pipedreamer: refs/heads/main at \(sha.prefix(12)): workflow wf cannot ship: wf/.env: secrets must never be committed (.secrets.yaml, .secrets/ and .env* stay out of git); run `pipedreamer check \(sha.prefix(12))` for details"])
        #expect(try remote.fixture.gitText(["rev-parse", "refs/heads/main"]) == sha)
    }
}
