import Foundation
import KubeTestServer
import Testing
import TestSupport

/// All or nothing, only what is ours: refusals come before the first write and name the object;
/// objects and fields of other actors are not taken over silently.
@Suite struct DeployTransactionTests {
    @Test func anOversizedSecretIsRefusedBeforeAnyRequest() async throws {
        try await DeployHarness.with { h in
            try h.repo.write(".secrets/BIG", String(repeating: "x", count: 1_048_577))
            let result = try h.deploy()
            #expect(result.status == 1)
            // Reading stops at the limit: the file is never loaded whole.
            #expect(result.stderrText == "Error: .secrets/BIG takes the secrets past 1048576 bytes, the most a Secret holds (1 MiB); make them smaller\n")
            #expect(h.server.requests.isEmpty)
        }
    }

    @Test func aCronJobTheServerRefusesWritesNothing() async throws {
        try await DeployHarness.with { h in
            #expect(try h.deploy().status == 0)
            let versions = h.resourceVersions()
            try h.commitFetch("export default async () => ({ greeting: \"hi\" });\n")
            h.server.clearRequests()
            h.server.injectFault(Fault(method: "PATCH", pathPrefix: "/apis/batch/v1/namespaces/default/cronjobs/hello-cron-1",
                                       count: 1, action: .status(422)))

            let result = try h.deploy()
            #expect(result.status == 1)
            #expect(result.stderrText.hasSuffix("""
                Error: validating (server dry run) cronjob.batch/hello-cron-1: Error from server (InternalError): Internal error occurred: injected fault (HTTP 422)
                nothing was written

                """))
            #expect(h.objectWrites.isEmpty)
            #expect(h.resourceVersions() == versions)
            #expect(h.lease == nil)
        }
    }

    @Test(.enabled(if: Command.which("kubectl") != nil))
    func aForeignDeploymentIsRefusedNamingItAndItsLabels() async throws {
        try await DeployHarness.with { h in
            let created = try h.kubectlCreate(["deployment", "hello", "--image=nginx"])
            #expect(created.status == 0, "\(created.stderrText)")
            h.server.clearRequests()

            let result = try h.deploy()
            #expect(result.status == 1)
            #expect(result.stderrText.hasSuffix("""
                Error: deployment.apps/hello exists and is not managed by this workflow (labels: app=hello); pass --adopt to take it over
                nothing was written

                """))
            #expect(h.objectWrites.isEmpty)
            #expect(h.configMap == nil)
            #expect(h.deployment?.value(at: ["spec", "template", "spec", "containers"])?.array?.first?["image"]?.string == "nginx")
        }
    }

    @Test(.enabled(if: Command.which("kubectl") != nil))
    func aForeignConfigMapIsTakenOverOnlyWithAdopt() async throws {
        try await DeployHarness.with { h in
            #expect(try h.kubectlCreate(["configmap", "hello-code", "--from-literal=owner=someone"]).status == 0)
            let refused = try h.deploy()
            #expect(refused.status == 1)
            #expect(refused.stderrText.contains("Error: configmap/hello-code exists and is not managed by this workflow (labels: none); pass --adopt to take it over\n"))
            #expect(h.deployment == nil)

            let adopted = try h.deploy(["--adopt"])
            #expect(adopted.status == 0, "\(adopted.stderrText)")
            #expect(adopted.stdoutText.contains("configmap/hello-code adopted\ndeployment.apps/hello created\n"))
            #expect(h.configMap?.value(at: ["metadata", "labels", "app.kubernetes.io/managed-by"])?.string == "pipedreamer")
            #expect(h.liveFiles()["nodes/fetch.ts"] == (try h.show("HEAD:nodes/fetch.ts")))
        }
    }

    @Test(.enabled(if: Command.which("kubectl") != nil))
    func kubectlScaleSurvivesADeployOfANewCommit() async throws {
        try await DeployHarness.with { h in
            #expect(try h.deploy().status == 0)
            #expect(h.deployment?.value(at: ["spec", "replicas"])?.int == 1)
            #expect(try h.kubectl(["scale", "deployment", "hello", "--replicas=3"]).status == 0)
            try h.commitFetch("export default async () => ({ greeting: \"hi\" });\n")

            let result = try h.deploy()
            #expect(result.status == 0, "\(result.stderrText)")
            #expect(h.deployment?.value(at: ["spec", "replicas"])?.int == 3)
            #expect(h.liveFiles()["nodes/fetch.ts"] == (try h.show("HEAD:nodes/fetch.ts")))
            #expect(h.rollouts == 2)
        }
    }

    @Test(.enabled(if: Command.which("kubectl") != nil))
    func anImageSetByAnotherManagerIsAConflictNamedWithTheObject() async throws {
        try await DeployHarness.with { h in
            #expect(try h.deploy().status == 0)
            #expect(try h.kubectl(["set", "image", "deployment/hello", "engine=engine:patched"]).status == 0)
            #expect(await h.server.waitForRollout(namespace: "default", name: "hello"))
            h.server.clearRequests()

            let result = try h.deploy(["--image", "engine:2"])
            #expect(result.status == 1)
            #expect(result.stderrText.contains("Error: deployment.apps/hello: Apply failed with 1 conflict: conflict with \"kubectl-set\" using apps/v1: .spec.template.spec.containers[name=\"engine\"].image; pass --force-conflicts to take these fields over\nnothing was written\n"))
            #expect(h.objectWrites.isEmpty)

            let forced = try h.deploy(["--image", "engine:2", "--force-conflicts"])
            #expect(forced.status == 0, "\(forced.stderrText)")
            #expect(h.deployment?.value(at: ["spec", "template", "spec", "containers"])?.array?.first?["image"]?.string == "engine:2")
        }
    }
}
