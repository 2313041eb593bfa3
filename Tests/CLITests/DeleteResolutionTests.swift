import Foundation
import KubeTestServer
import Testing
import TestSupport

/// `delete` finds the workflow, its namespace and its context as `deploy` and `status` do.
@Suite struct DeleteResolutionTests {
    /// The harness workflow with `deployment.namespace: staging`, committed and deployed there.
    func deployedToStaging(_ h: DeployHarness) throws {
        h.server.addNamespace("staging")
        let yaml = try String(contentsOfFile: h.repo.path + "/workflow.yaml", encoding: .utf8)
        try h.repo.write("workflow.yaml", yaml + "deployment:\n  namespace: staging\n")
        _ = try h.repo.commitAll("deploy to staging")
        let deployed = try h.deploy()
        #expect(deployed.status == 0, "\(deployed.stderrText)")
        #expect(h.object(.deployments, "hello", namespace: "staging") != nil)
    }

    @Test func deleteUsesTheNamespaceOfWorkflowYamlAndNamesTheContext() async throws {
        try await DeployHarness.with { h in
            try deployedToStaging(h)
            let result = try h.run(["delete", "--yes"])
            #expect(result.status == 0, "\(result.stderrText)")
            #expect(result.stdoutText.hasPrefix("objects of workflow hello in namespace staging (context kube-test-server):\n"))
            #expect(result.stdoutText.hasSuffix("deployment.apps/hello deleted\nconfigmap/hello-code deleted\nconfigmap/hello-history deleted\n"))
            #expect(h.object(.deployments, "hello", namespace: "staging") == nil)
            #expect(h.object(.configMaps, "hello-code", namespace: "staging") == nil)
            #expect(h.object(.leases, "hello-deploy", namespace: "staging") == nil)
        }
    }

    @Test func deleteFromASubdirectoryWithWorkflowFlag() async throws {
        try await DeployHarness.with { h in
            try deployedToStaging(h)
            let result = try PipedreamerBinary.run(["delete", "-w", "..", "--yes", "--kubeconfig", h.kubeconfigPath],
                                                   in: h.repo.path + "/nodes")
            #expect(result.status == 0, "\(result.stderrText)")
            #expect(result.stdoutText.contains("in namespace staging"))
            #expect(h.object(.deployments, "hello", namespace: "staging") == nil)
        }
    }

    @Test func deleteDryRunClientListsAndDeletesNothing() async throws {
        try await DeployHarness.with { h in
            try deployedToStaging(h)
            h.server.clearRequests()
            let result = try h.run(["delete", "--dry-run=client"])
            #expect(result.status == 0, "\(result.stderrText)")
            #expect(result.stdoutText.hasSuffix("deployment.apps/hello deleted (dry run)\nconfigmap/hello-code deleted (dry run)\nconfigmap/hello-history deleted (dry run)\n"))
            #expect(h.writes.isEmpty)
            #expect(h.object(.deployments, "hello", namespace: "staging") != nil)
        }
    }

    @Test func deleteDryRunServerSendsDryRunDeletes() async throws {
        try await DeployHarness.with { h in
            try deployedToStaging(h)
            h.server.clearRequests()
            let result = try h.run(["delete", "--dry-run=server", "--yes"])
            #expect(result.status == 0, "\(result.stderrText)")
            #expect(result.stdoutText.hasSuffix("configmap/hello-code deleted (server dry run)\nconfigmap/hello-history deleted (server dry run)\n"))
            #expect(h.writes.allSatisfy { $0.hasQuery("dryRun", "All") })
            #expect(h.object(.deployments, "hello", namespace: "staging") != nil)
        }
    }
}
