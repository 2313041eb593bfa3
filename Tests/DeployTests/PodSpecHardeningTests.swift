import Foundation
import GitShim
import KubeTestServer
import Testing
import TestSupport

@testable import Deploy
import KubeClient
import WorkflowBundle

/// Every pod pipedreamer makes runs without the namespace's service-account token and in the
/// chosen runtime class: the engine's and the CronJobs' trigger pods alike.
@Suite struct PodSpecHardeningTests {
    static let sha = "0123456789abcdef0123456789abcdef01234567"

    static func input(runtimeClassName: String?) -> ManifestInput {
        ManifestInput(name: "hello", namespace: "team-a", image: "engine:1", runtimeClassName: runtimeClassName, commit: sha,
                      files: [BundledFile(path: "workflow.yaml", key: "workflow.yaml", content: "name: hello\n")],
                      cronJobs: [CronJobInput(name: "hello-cron", triggerName: "nightly", schedule: "0 3 * * *")])
    }

    static func podSpecs(_ objects: [KubeObject]) -> [String: PodSpec] {
        var specs = [String: PodSpec]()
        for object in objects {
            switch object {
            case .deployment(let deployment): specs["Deployment"] = deployment.spec.template.spec
            case .cronJob(let cronJob): specs["CronJob"] = cronJob.spec.jobTemplate.spec.template.spec
            default: break
            }
        }
        return specs
    }

    @Test func everyPodSpecMountsNoServiceAccountToken() {
        let specs = Self.podSpecs(Manifests.build(Self.input(runtimeClassName: "gvisor")))
        #expect(specs.mapValues(\.automountServiceAccountToken) == ["Deployment": false, "CronJob": false])
    }

    @Test func cronJobPodsRunInTheRuntimeClassAsTheEngineDoes() throws {
        let specs = Self.podSpecs(Manifests.build(Self.input(runtimeClassName: "gvisor")))
        #expect(specs.mapValues(\.runtimeClassName) == ["Deployment": "gvisor", "CronJob": "gvisor"])
        let disabled = Manifests.build(Self.input(runtimeClassName: nil))
        #expect(Self.podSpecs(disabled).values.allSatisfy { $0.runtimeClassName == nil })
        #expect(!(try ManifestWriter.yaml(disabled)).contains("runtimeClassName"))
    }

    @Test func theCronJobPodSpecRendersBothFields() throws {
        let yaml = try ManifestWriter.yaml([.cronJob(Manifests.cronJob(Self.input(runtimeClassName: "gvisor").cronJobs[0],
                                                                       of: Self.input(runtimeClassName: "gvisor")))])
        #expect(yaml.contains("\n          automountServiceAccountToken: false\n"))
        #expect(yaml.contains("\n          runtimeClassName: gvisor\n"))
    }

    /// A Deployment an earlier version applied (no `automountServiceAccountToken`) gets the field
    /// in the apply itself: the pods roll once, with no restart patch after it, and never again.
    @Test func theFirstDeployAfterTheUpgradeRollsOnceAndTheNextNothing() async throws {
        let helper = DeployerRestartStampTests()
        try await helper.withDeployer { server, client, repo in
            let rendered = try helper.render(repo)
            let before = try await helper.applyAsEarlierVersion(server, client, rendered) { object, body in
                guard case .deployment = object else { return body }
                return body.removing(["spec", "template", "spec", "automountServiceAccountToken"])
            }
            var settings = DeploySettings()
            settings.pollInterval = .milliseconds(10)

            let upgraded = try await Deployer(api: client, say: { _ in }).deploy(rendered, secret: nil, settings: settings)
            #expect(upgraded.templateChanged)
            // The pods roll, so the deploy says it restarted them, though the stamp is the same.
            #expect(upgraded.restarted)
            #expect(server.rolloutCount(namespace: "default", name: "hello") == before + 1)
            #expect(server.object(.deployments, namespace: "default", name: "hello")?
                .value(at: ["spec", "template", "spec", "automountServiceAccountToken"]) == .bool(false))

            let again = try await Deployer(api: client, say: { _ in }).deploy(rendered, secret: nil, settings: settings)
            #expect(!again.changed)
            #expect(server.rolloutCount(namespace: "default", name: "hello") == before + 1)
            #expect(server.requests.filter { $0.contentType == "application/strategic-merge-patch+json" }.isEmpty)
        }
    }
}
