import Foundation
import GitShim
import KubeTestServer
import Testing
import TestSupport

@testable import Deploy
import KubeClient

/// Every API failure names the operation and the object, kubectl's `Error from server` part
/// unchanged, and how many attempts the retries made: one fault per call site of deploy,
/// preflight, status and delete, injected in the local API server.
@Suite struct DeployErrorContextTests {
    static let injected = "Error from server (InternalError): Internal error occurred: injected fault (HTTP 500, after 2 attempts)"

    enum CallSite: String, Sendable, CaseIterable {
        case list, apply, dryRunApply, restartPatch, prune, get, delete, preflightVersion, preflightNamespace, preflightRuntimeClass
    }

    struct Case: Sendable, CustomStringConvertible {
        var site: CallSite
        var method: String
        var path: String
        var expected: String
        var description: String { site.rawValue }
    }

    static let cases: [Case] = [
        Case(site: .list, method: "GET", path: "/api/v1/namespaces/default/configmaps",
             expected: "listing configmaps with labels app.kubernetes.io/name=hello,app.kubernetes.io/managed-by=pipedreamer: \(injected)"),
        // A deploy's first request to an object is its server-side dry run, so a persistent fault on the
        // Deployment is met there, before anything is written.
        Case(site: .apply, method: "PATCH", path: "/apis/apps/v1/namespaces/default/deployments/hello",
             expected: "validating (server dry run) deployment.apps/hello: \(injected)\nnothing was written"),
        Case(site: .dryRunApply, method: "PATCH", path: "/api/v1/namespaces/default/configmaps/hello-code",
             expected: "validating (server dry run) configmap/hello-code: \(injected)\nnothing was written"),
        Case(site: .restartPatch, method: "PATCH", path: "/apis/apps/v1/namespaces/default/deployments/hello",
             expected: "restarting deployment.apps/hello: \(injected)"),
        Case(site: .prune, method: "DELETE", path: "/apis/batch/v1/namespaces/default/cronjobs/hello-cron-1",
             expected: "pruning cronjob.batch/hello-cron-1: \(injected)"),
        Case(site: .get, method: "GET", path: "/apis/apps/v1/namespaces/default/deployments/hello",
             expected: "getting deployment.apps/hello: \(injected)"),
        Case(site: .delete, method: "DELETE", path: "/apis/batch/v1/namespaces/default/cronjobs/hello-cron-1",
             expected: "deleting cronjob.batch/hello-cron-1: \(injected)"),
        Case(site: .preflightVersion, method: "GET", path: "/version",
             expected: "the Kubernetes API is not usable: \(injected)"),
        Case(site: .preflightNamespace, method: "GET", path: "/api/v1/namespaces/default",
             expected: "getting namespace/default: \(injected)"),
        Case(site: .preflightRuntimeClass, method: "GET", path: "/apis/node.k8s.io/v1/runtimeclasses/gvisor",
             expected: "getting runtimeclass.node.k8s.io/gvisor: \(injected)"),
    ]

    static let cronWorkflow = """
        name: hello
        version: "1.0"
        description: test workflow
        triggers:
          - type: manual
          - type: cron
            schedule: "0 * * * *"
        nodes:
          fetch: nodes/fetch.ts

        """

    @Test(arguments: cases)
    func failuresNameTheOperationAndTheObject(_ c: Case) async throws {
        let server = try await KubeTestServer.start(.init(runtimeClasses: ["gvisor": "runsc"], rolloutDelayMilliseconds: 5))
        let retry = KubeRetryPolicy(maxAttempts: 2, initialBackoff: .milliseconds(1), jitter: 0)
        let client = try KubernetesClient(connection: ClusterConnection(server: server.url, contextName: "test", origin: "test"),
                                          options: KubeClientOptions(retry: retry, version: "test", warningHandler: { _ in }))
        let repo = try GitFixture()
        do {
            try repo.writeWorkflow()
            if [.prune, .delete].contains(c.site) { try repo.write("workflow.yaml", Self.cronWorkflow) }
            try repo.commitAll("first")
            let message = try await failure(at: c, server: server, client: client, repo: repo)
            #expect(message == c.expected)
        } catch {
            try? await client.shutdown()
            try? await server.shutdown()
            throw error
        }
        try await client.shutdown()
        try await server.shutdown()
    }

    /// Runs the call site with the fault in place; returns the message of what it threw.
    func failure(at c: Case, server: KubeTestServer, client: KubernetesClient, repo: GitFixture) async throws -> String? {
        let deployer = Deployer(api: client, say: { _ in })
        var settings = DeploySettings()
        settings.pollInterval = .milliseconds(10)
        if [.restartPatch, .prune, .get, .delete].contains(c.site) {
            _ = try await deployer.deploy(try render(repo), secret: nil, settings: settings)
        }
        if c.site == .prune {
            try repo.writeWorkflow()
            try repo.commitAll("no cron")
        }
        server.injectFault(Fault(method: c.method, pathPrefix: c.path, count: 2, action: .status(500)))
        do {
            switch c.site {
            case .list, .apply, .prune:
                _ = try await deployer.deploy(try render(repo), secret: nil, settings: settings)
            case .dryRunApply:
                settings.serverDryRun = true
                _ = try await deployer.deploy(try render(repo), secret: nil, settings: settings)
            case .restartPatch:
                _ = try await deployer.rolloutRestart(namespace: "default", deployment: "hello", sha: String(repeating: "a", count: 40), dryRun: false)
            case .get:
                _ = try await WorkflowStatus.fetch(api: client, namespace: "default", name: "hello")
            case .delete:
                _ = try await WorkflowDeletion(api: client).run([(.cronJobs, "hello-cron-1")], namespace: "default", dryRun: false)
            case .preflightVersion, .preflightNamespace, .preflightRuntimeClass:
                try await Preflight(api: client, warn: { _ in }).run(namespace: "default", runtimeClass: "gvisor", withSecret: false)
            }
        } catch let error as KubeAPIError {
            return error.description
        } catch let error as DeployRefused {
            return error.description
        } catch let error as DeployError {
            return error.message
        }
        return nil
    }

    @Test func aFailedAccessReviewNamesThePermissionItChecked() async throws {
        let server = try await KubeTestServer.start(.init(runtimeClasses: ["gvisor": "runsc"]))
        let client = try KubernetesClient(connection: ClusterConnection(server: server.url, contextName: "test", origin: "test"),
                                          options: KubeClientOptions(retry: .never, version: "test", warningHandler: { _ in }))
        server.injectFault(Fault(method: "POST", pathPrefix: "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", count: 100,
                                 action: .status(500)))
        // The reviews run in parallel, so the one reported is whichever failed first.
        let possible = Set(Preflight.permissions(withSecret: false).map { permission in
            "checking whether the user may \(permission) in namespace \"default\": Error from server (InternalError): Internal error occurred: injected fault (HTTP 500)"
        })
        var message: String?
        do {
            try await Preflight(api: client, warn: { _ in }).run(namespace: "default", runtimeClass: nil, withSecret: false)
        } catch let error as KubeAPIError {
            message = error.description
        }
        try await client.shutdown()
        try await server.shutdown()
        #expect(possible.contains(message ?? ""), "\(message ?? "no error")")
    }

    func render(_ repo: GitFixture) throws -> Rendered {
        var options = RenderOptions()
        options.runtimeClass = ""
        return try Renderer.render(repository: try Repository.open(containing: repo.path), options: options)
    }
}
