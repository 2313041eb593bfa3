import Foundation
import KubeTestServer
import Testing
import TestSupport

/// One deploy at a time per workflow: the Lease `hello-deploy`, and a rollout wait that ends when
/// another deploy takes the Deployment over.
@Suite struct DeployLeaseTests {
    static let otherCommit = "0123456789abcdef0123456789abcdef01234567"
    static let holder = "alice@laptop (pid 1)"

    /// The lease's acquire time as messages show it (whole seconds).
    func acquiredAt(_ h: DeployHarness) -> String {
        let text = h.lease?.value(at: ["spec", "acquireTime"])?.string ?? ""
        return text.replacingOccurrences(of: ".000000Z", with: "Z")
    }

    @Test func aDeployTakesItsLeaseAndReleasesItAtTheEnd() async throws {
        try await DeployHarness.with { h in
            let result = try h.deploy()
            #expect(result.status == 0, "\(result.stderrText)")
            let leaseRequests = h.server.requests.filter { $0.path.contains("/leases") }
            #expect(leaseRequests.map { "\($0.method) \($0.status)" } == ["GET 404", "POST 201", "DELETE 200"])
            let body = leaseRequests[1].bodyText
            #expect(body.contains("\"holderIdentity\":\""))
            #expect(body.contains("(pid "))
            #expect(body.contains("\"pipedreamer.dev/commit\":\"\(h.firstCommit)\""))
            #expect(body.contains("\"app.kubernetes.io/managed-by\":\"pipedreamer\""))
            #expect(h.lease == nil)
        }
    }

    @Test(.enabled(if: Command.which("kubectl") != nil))
    func aHeldLeaseFailsAtOnceWithLockTimeoutZeroNamingTheHolder() async throws {
        try await DeployHarness.with { h in
            let lease = foreignLease(holder: "\"\(Self.holder)\"", commit: Self.otherCommit, durationSeconds: 60, secondsAgo: 1)
            #expect(try h.kubectl(["apply", "--server-side", "-f", "-"], input: lease).status == 0)
            let since = acquiredAt(h)

            let result = try h.deploy(["--lock-timeout", "0"])
            #expect(result.status == 1)
            #expect(result.stderrText == "Error: another deploy of hello is in progress: lease hello-deploy is held by \(Self.holder), deploying 0123456789ab, since \(since); wait for it with --lock-timeout DURATION\n")
            #expect(h.objectWrites.isEmpty)
            #expect(h.lease?.value(at: ["spec", "holderIdentity"])?.string == Self.holder)
        }
    }

    @Test(.enabled(if: Command.which("kubectl") != nil))
    func aSecondDeployWaitsForTheLeaseUpToLockTimeout() async throws {
        try await DeployHarness.with { h in
            let lease = foreignLease(holder: "\"\(Self.holder)\"", commit: Self.otherCommit, durationSeconds: 60, secondsAgo: 1)
            #expect(try h.kubectl(["apply", "--server-side", "-f", "-"], input: lease).status == 0)
            let since = acquiredAt(h)

            let result = try h.deploy(["--lock-timeout", "1s"])
            #expect(result.status == 1)
            #expect(result.stdoutText.contains("waiting for the deploy lease hello-deploy: held by \(Self.holder), deploying 0123456789ab, since \(since)\n"))
            #expect(result.stderrText == "Error: timed out after 1.0 seconds waiting for the deploy lease hello-deploy, held by \(Self.holder), deploying 0123456789ab, since \(since)\n")
            #expect(h.objectWrites.isEmpty)
        }
    }

    @Test(.enabled(if: Command.which("kubectl") != nil))
    func aLeaseNotRenewedWithinItsDurationIsTakenOverWithAWarning() async throws {
        try await DeployHarness.with { h in
            let lease = foreignLease(holder: "\"\(Self.holder)\"", commit: Self.otherCommit, durationSeconds: 2, secondsAgo: 5)
            #expect(try h.kubectl(["apply", "--server-side", "-f", "-"], input: lease).status == 0)
            let since = acquiredAt(h)

            let result = try h.deploy()
            #expect(result.status == 0, "\(result.stderrText)")
            #expect(result.stderrText.contains("Warning: took over the deploy lease hello-deploy from \(Self.holder), deploying 0123456789ab, since \(since): not renewed within its 2s\n"))
            #expect(h.lease == nil)
        }
    }

    @Test(.enabled(if: Command.which("kubectl") != nil))
    func aWaitOvertakenByAnotherCommitFails() async throws {
        try await DeployHarness.with { h in
            h.server.setRolloutMode(namespace: "default", name: "hello", .hold)
            let run = try h.startDeploy(timeout: "300s")
            while h.deployment == nil, run.process.isRunning { try await Task.sleep(for: .milliseconds(20)) }
            let annotated = try h.kubectl(["annotate", "--overwrite", "deployment/hello", "pipedreamer.dev/commit=\(Self.otherCommit)"])
            #expect(annotated.status == 0, "\(annotated.stderrText)")
            #expect(h.deployment?.value(at: ["metadata", "annotations", "pipedreamer.dev/commit"])?.string == Self.otherCommit)

            #expect(await run.finish() == 1)
            #expect(run.stderrText.hasSuffix("Error: deployment \"hello\" was taken over by a deploy of \(Self.otherCommit)\n"),
                    "\(h.server.requests.map { "\($0.time.timeIntervalSince1970) \($0.method) \($0.path) \($0.query) \($0.status)" }.joined(separator: "\n"))")
            #expect(!run.stdoutText.contains("successfully rolled out"))
            #expect(h.lease == nil)
        }
    }

    @Test func sigtermReleasesTheLease() async throws {
        try await DeployHarness.with { h in
            h.server.setRolloutMode(namespace: "default", name: "hello", .hold)
            let run = try h.startDeploy(leaseSeconds: 60, timeout: "300s")
            while h.deployment == nil, run.process.isRunning { try await Task.sleep(for: .milliseconds(20)) }
            #expect(h.lease != nil)
            run.kill(SIGTERM)
            #expect(await run.finish() == 128 + SIGTERM)
            #expect(h.lease == nil)
        }
    }

    @Test func preflightNamesMissingLeasePermissionsBeforeAnyWrite() async throws {
        let withoutLeases = AccessPolicy.only([
            AccessRule(resources: ["namespaces", "secrets", "services", "deployments", "cronjobs", "runtimeclasses", "configmaps"]),
            AccessRule(verbs: ["get"], resources: ["leases"]),
        ])
        try await DeployHarness.with(policy: withoutLeases) { h in
            let result = try h.deploy()
            #expect(result.status == 1)
            #expect(result.stderrText.contains("""
                missing permissions in namespace "default"; deploy needs:
                  - create leases.coordination.k8s.io
                  - update leases.coordination.k8s.io
                  - delete leases.coordination.k8s.io
                """))
            #expect(h.writes.isEmpty)
        }
    }

    @Test func aHeldLeaseIsRenewedAndSigintReleasesIt() async throws {
        try await DeployHarness.with { h in
            h.server.setRolloutMode(namespace: "default", name: "hello", .hold)
            let run = try h.startDeploy(leaseSeconds: 1, timeout: "300s")
            func renewed() -> Bool {
                guard let spec = h.lease?["spec"] else { return false }
                return spec["renewTime"] != spec["acquireTime"]
            }
            while !renewed(), run.process.isRunning { try await Task.sleep(for: .milliseconds(20)) }
            #expect(renewed())
            // The server records a request just after answering it: wait for the record too.
            func renewalRecorded() -> Bool {
                h.server.requests.contains { $0.method == "PUT" && $0.path.hasSuffix("/leases/hello-deploy") && $0.status == 200 }
            }
            let deadline = Date().addingTimeInterval(30)
            while !renewalRecorded(), Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
            #expect(renewalRecorded())
            run.kill(SIGINT)
            #expect(await run.finish() == 128 + SIGINT)
            #expect(h.lease == nil)
        }
    }
}
