import Foundation
import KubeTestServer
import Testing
import TestSupport

/// The code ConfigMap mode is the live Deployment's until a flag or git config asks for another,
/// for deploy and diff alike; a switch is announced before anything is pruned.
@Suite struct CodeModeStaysTests {
    let perCommit = ["--code-configmap", "per-commit"]

    /// Two deploys with `--code-configmap per-commit`; returns the second commit.
    func twoPerCommitDeploys(_ h: DeployHarness) throws -> String {
        #expect(try h.deploy(perCommit).status == 0)
        let second = try h.commitFetch("export default async () => ({ greeting: \"v2\" });\n")
        #expect(try h.deploy(perCommit).status == 0)
        return second
    }

    func lines(_ text: String) -> [String] { text.split(separator: "\n").map(String.init) }

    /// The mode is read under the lease: a deploy that waited while the one before it switched to
    /// per-commit keeps per-commit, instead of planning on the shared mode it saw while waiting.
    @Test func aDeployThatWaitedForTheLeaseKeepsTheModeTheDeployBeforeItLeft() async throws {
        try await DeployHarness.with { h in
            #expect(try h.deploy().status == 0)
            let second = try h.commitFetch("export default async () => ({ greeting: \"v2\" });\n")
            // The switching deploy's first Deployment request is held, so the second one reads the
            // cluster while the first holds the lease and the Deployment still mounts the shared code.
            h.server.injectFault(Fault(method: "PATCH", pathPrefix: "/apis/apps/v1/namespaces/default/deployments/hello", count: 1,
                                       action: .delay(milliseconds: 3000)))
            let switching = try h.startDeploy(perCommit, leaseSeconds: 5)
            while h.lease == nil, switching.process.isRunning { try await Task.sleep(for: .milliseconds(20)) }
            let waiting = try h.startDeploy([], leaseSeconds: 5)
            #expect(await switching.finish() == 0, "\(switching.stderrText)")
            #expect(await waiting.finish() == 0, "\(waiting.stderrText)")
            #expect(h.mountedCode == h.codeName(second), "\(waiting.stdoutText)\(waiting.stderrText)")
            #expect(!(waiting.stdoutText + waiting.stderrText).contains("code ConfigMap mode"))
            #expect(h.lease == nil)
        }
    }

    @Test func aDeployWithoutTheFlagKeepsTheLivePerCommitMode() async throws {
        try await DeployHarness.with { h in
            let second = try twoPerCommitDeploys(h)
            let third = try h.commitFetch("export default async () => ({ greeting: \"v3\" });\n")
            let result = try h.deploy()
            #expect(result.status == 0, "\(result.stderrText)")
            #expect(!result.allOutput.contains("code ConfigMap mode"))
            #expect(h.mountedCode == h.codeName(third))
            #expect(h.configMap == nil)
            #expect(try await h.perCommitConfigMaps() == [h.codeName(h.firstCommit), h.codeName(second), h.codeName(third)].sorted())
        }
    }

    @Test func aRedeployWithoutTheFlagChangesNothingAndRestartsNothing() async throws {
        try await DeployHarness.with { h in
            let second = try twoPerCommitDeploys(h)
            let result = try h.deploy()
            #expect(result.status == 0, "\(result.stderrText)")
            #expect(lines(result.stdoutText).last == "deployed hello at \(second) to namespace default; it was already deployed, nothing changed")
            #expect(h.rollouts == 2)
            #expect(try await h.perCommitConfigMaps() == [h.codeName(h.firstCommit), h.codeName(second)].sorted())
        }
    }

    @Test func diffWithoutTheFlagPredictsTheLiveMode() async throws {
        try await DeployHarness.with { h in
            _ = try twoPerCommitDeploys(h)
            let result = try h.run(["diff"])
            #expect(result.status == 0, "\(result.stdoutText)\(result.stderrText)")
            #expect(result.stdoutText == "")
        }
    }

    @Test func aFlagThatSwitchesTheModeIsAnnouncedBeforeThePrune() async throws {
        try await DeployHarness.with { h in
            let second = try twoPerCommitDeploys(h)
            let result = try h.deploy(["--code-configmap", "shared"])
            #expect(result.status == 0, "\(result.stderrText)")
            let output = lines(result.stdoutText)
            let announcement = "code ConfigMap mode: switching from per-commit to shared (--code-configmap); once the rollout completes, configmap/\(h.codeName(second)), configmap/\(h.codeName(h.firstCommit)) are pruned"
            let announced = try #require(output.firstIndex(of: announcement), "\(result.stdoutText)")
            let pruned = try #require(output.firstIndex { $0.hasPrefix("configmap/\(h.codeName(second))") && $0.hasSuffix("pruned") })
            #expect(announced < pruned)
            #expect(h.mountedCode == "hello-code")
            #expect(try await h.perCommitConfigMaps() == [])
        }
    }

    @Test func gitConfigThatSwitchesTheModeIsAnnouncedNamingIt() async throws {
        try await DeployHarness.with { h in
            #expect(try h.deploy().status == 0)
            try h.repo.git(["config", "pipedreamer.codeConfigMap", "per-commit"])
            let result = try h.deploy()
            #expect(result.status == 0, "\(result.stderrText)")
            #expect(lines(result.stdoutText).contains("code ConfigMap mode: switching from shared to per-commit (git config pipedreamer.codeConfigMap); once the rollout completes, configmap/hello-code is pruned"))
            #expect(h.mountedCode == h.codeName(h.firstCommit))
            #expect(h.configMap == nil)
        }
    }

    @Test func diffWithAFlagThatSwitchesTheModeAnnouncesItAndExitsOne() async throws {
        try await DeployHarness.with { h in
            let second = try twoPerCommitDeploys(h)
            let result = try h.run(["diff", "--code-configmap", "shared"])
            #expect(result.status == 1)
            #expect(lines(result.stderrText).contains("code ConfigMap mode: switching from per-commit to shared (--code-configmap); once the rollout completes, configmap/\(h.codeName(second)), configmap/\(h.codeName(h.firstCommit)) are pruned"))
            #expect(result.stdoutText.contains("+  name: hello-code\n"))
            #expect(try await h.perCommitConfigMaps() == [h.codeName(h.firstCommit), h.codeName(second)].sorted())
        }
    }
}
