import Foundation
import Testing

@testable import KubeClient

/// How failed requests are described: operation and object first, kubectl's part unchanged, then the attempts.
@Suite struct KubeOperationTests {
    @Test(arguments: [
        (KubeOperation.apply(.deployments, "hello", dryRun: false), "applying deployment.apps/hello"),
        (KubeOperation.apply(.configMaps, "hello-code", dryRun: true), "validating (server dry run) configmap/hello-code"),
        (KubeOperation.patch(.deployments, "hello", dryRun: false), "patching deployment.apps/hello"),
        (KubeOperation.delete(.cronJobs, "hello-cron", dryRun: true), "deleting (server dry run) cronjob.batch/hello-cron"),
        (KubeOperation.create(.configMaps, "hello-code", dryRun: false), "creating configmap/hello-code"),
        (KubeOperation.update(.configMaps, "hello-code", dryRun: false), "updating configmap/hello-code"),
        (KubeOperation.get(.namespaces, "default"), "getting namespace/default"),
        (KubeOperation.list(.cronJobs, labelSelector: "app.kubernetes.io/name=hello"), "listing cronjobs.batch with label app.kubernetes.io/name=hello"),
        (KubeOperation.accessReview(verb: "patch", .configMaps, namespace: "team-a", name: nil),
         "checking whether the user may patch configmaps in namespace \"team-a\""),
        (KubeOperation.accessReview(verb: "get", .runtimeClasses, namespace: "team-a", name: "gvisor"),
         "checking whether the user may get runtimeclasses.node.k8s.io gvisor"),
    ])
    func operationsReadLikeKubectlReferences(_ operation: String, _ expected: String) {
        #expect(operation == expected)
    }

    @Test func aRequestWithoutAnOperationIsNamedByMethodAndPath() {
        #expect(KubeRequest(method: "PUT", path: "/apis/coordination.k8s.io/v1/namespaces/default/leases/hello-deploy").operation
            == "PUT /apis/coordination.k8s.io/v1/namespaces/default/leases/hello-deploy")
    }

    @Test func descriptionsPutTheOperationFirstAndTheAttemptsInsideTheStatus() {
        let status = KubeAPIError(code: 500, reason: "InternalError", message: "boom", operation: "applying deployment.apps/hello", attempts: 4)
        #expect(status.description == "applying deployment.apps/hello: Error from server (InternalError): boom (HTTP 500, after 4 attempts)")
        #expect(status.detail == "Error from server (InternalError): boom (HTTP 500, after 4 attempts)")
        let transport = KubeAPIError(code: 0, reason: nil, message: "cannot reach the Kubernetes API at https://k: connection refused",
                                     operation: "getting the server version", attempts: 2)
        #expect(transport.description == "getting the server version: cannot reach the Kubernetes API at https://k: connection refused (after 2 attempts)")
        #expect(status.during("restarting deployment.apps/hello").description
            == "restarting deployment.apps/hello: Error from server (InternalError): boom (HTTP 500, after 4 attempts)")
    }
}
