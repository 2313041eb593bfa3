import Foundation
import KubeTestServer
import Testing
import TestSupport

/// Deploys that race or die: the cluster always ends at one commit, and the next deploy converges.
@Suite(.serialized) struct DeployRaceTests {
    /// A second commit that changes the code and the CronJob's schedule; returns its SHA.
    func commitB(_ h: DeployHarness) throws -> String {
        let yaml = try String(contentsOfFile: h.repo.path + "/workflow.yaml", encoding: .utf8)
        try h.repo.write("workflow.yaml", yaml.replacingOccurrences(of: "0 * * * *", with: "30 * * * *"))
        return try h.commitFetch("export default async () => ({ greeting: \"b\" });\n", message: "commit b")
    }

    /// The state a complete deploy of `commit` leaves.
    func expected(_ h: DeployHarness, _ commit: String) throws -> [String?] {
        let yaml = try h.show("\(commit):workflow.yaml")
        return [commit, commit, try h.show("\(commit):nodes/fetch.ts"), yaml.contains("30 * * * *") ? "30 * * * *" : "0 * * * *"]
    }

    /// Where a request of the two deploys is slowed, one point per run.
    static let slowPoints: [(String?, String)] = [
        ("GET", "/apis/coordination.k8s.io/v1/namespaces/default/leases/hello-deploy"),
        ("POST", "/apis/coordination.k8s.io/v1/namespaces/default/leases"),
        ("PUT", "/apis/coordination.k8s.io/v1/namespaces/default/leases/hello-deploy"),
        ("PATCH", "/api/v1/namespaces/default/configmaps/hello-code"),
        ("PATCH", "/apis/apps/v1/namespaces/default/deployments/hello"),
        ("PATCH", "/api/v1/namespaces/default/services/hello"),
        ("PATCH", "/apis/batch/v1/namespaces/default/cronjobs/hello-cron-1"),
        ("GET", "/apis/apps/v1/namespaces/default/deployments"),
        ("GET", "/api/v1/namespaces/default/configmaps"),
        ("DELETE", "/apis/coordination.k8s.io/v1/namespaces/default/leases/hello-deploy"),
    ]

    @Test(arguments: 0..<20)
    func twoDeploysOfTwoCommitsStartedTogetherEndAtOneCommit(run: Int) async throws {
        try await DeployHarness.with { h in
            let a = h.firstCommit
            let b = try commitB(h)
            let (method, path) = Self.slowPoints[run % Self.slowPoints.count]
            // The first runs slow the first matching request, the later ones the second.
            h.server.injectFault(Fault(method: method, pathPrefix: path, count: 1 + run / Self.slowPoints.count,
                                       action: .delay(milliseconds: 400)))
            let first = try h.startDeploy([a], leaseSeconds: 5)
            let second = try h.startDeploy([b], leaseSeconds: 5)
            let firstStatus = await first.finish()
            let secondStatus = await second.finish()
            for (status, process) in [(firstStatus, first), (secondStatus, second)] where status != 0 {
                // Failing cleanly means a message that says why, never a half-applied state.
                #expect(process.stderrText.hasPrefix("Error: "), "\(process.stderrText)")
            }
            #expect(firstStatus == 0 || secondStatus == 0, "\(first.stderrText)\n\(second.stderrText)")
            let state = h.deployedState()
            #expect(try state == expected(h, a) || state == expected(h, b), "\(state)")
            // The writes never interleave: every write naming one commit comes before every write naming the other.
            let order = h.objectWrites.compactMap { write -> String? in
                let body = try? JSON.parse(write.body)
                return body?.value(at: ["metadata", "annotations", "pipedreamer.dev/commit"])?.string
                    ?? body?.value(at: ["metadata", "annotations", "pipedreamer.dev/code-commit"])?.string
                    ?? body?.value(at: ["spec", "template", "metadata", "annotations", "kubectl.kubernetes.io/restartedAt"])?.string
            }
            let runs = order.reduce(into: [String]()) { if $0.last != $1 { $0.append($1) } }
            #expect(runs.count <= 2, "\(order)")
            let winners = [firstStatus, secondStatus].filter { $0 == 0 }.count
            #expect(h.rollouts == winners, "\(first.stdoutText)\(first.stderrText)\n\(second.stdoutText)\(second.stderrText)")
            #expect(h.lease == nil)
        }
    }

    /// Kills a deploy of a new commit (SIGKILL) once it has made `writes` writes; every request is
    /// slowed, so the kill lands before the next one is sent.
    func killedAfter(_ writes: Int) async throws {
        try await DeployHarness.with { h in
            #expect(try h.deploy().status == 0)
            let b = try commitB(h)
            h.server.clearRequests()
            h.server.injectFault(Fault(pathPrefix: "/", count: 10_000, action: .delay(milliseconds: 150)))
            let run = try h.startDeploy([b], leaseSeconds: 2)
            for _ in 0..<1_000 where h.objectWrites.filter({ $0.status > 0 }).count < writes && run.process.isRunning {
                try await Task.sleep(for: .milliseconds(5))
            }
            run.kill(SIGKILL)
            _ = await run.finish()
            h.server.clearFaults()

            // The dead deploy's lease blocks the next one no longer than its duration (2s): a
            // lock timeout just above it is enough.
            let next = try h.deploy([b, "--lock-timeout", "4s"], leaseSeconds: 2)
            #expect(next.status == 0, "\(next.stderrText)")
            #expect(try h.deployedState() == expected(h, b))
            // The first deploy's rollout, at most one for the killed deploy, one for the next.
            #expect(h.rollouts <= 3)
            #expect(h.lease == nil)
        }
    }

    @Test(arguments: 1...4)
    func aDeployKilledAfterAWriteIsConvergedByTheNext(writes: Int) async throws {
        try await killedAfter(writes)
    }
}
