import Foundation
import Testing

@testable import KubeClient

/// What goes over the wire for each `KubernetesAPI` call, and how answers are read.
@Suite struct KubeClientRequestTests {
    private let configMap = JSONValue.object([
        "apiVersion": .string("v1"), "kind": .string("ConfigMap"),
        "metadata": .object(["name": .string("hello-code"), "namespace": .string("team-a")]),
        "data": .object(["workflow.yaml": .string("name: hello\n")]),
    ])

    @Test func everyRequestCarriesUserAgentAcceptAndBearerToken() async throws {
        let request = try await withFakeAPI([.json(#"{"gitVersion":"v1.31.2"}"#)]) { client, server in
            let version = try await client.serverVersion()
            #expect(version == "v1.31.2")
            return try #require(server.requests.first)
        }
        #expect(request.method == "GET")
        #expect(request.uri == "/version")
        #expect(request.header("User-Agent") == "pipedreamer/1.2.3")
        #expect(request.header("Accept") == "application/json")
        #expect(request.header("Authorization") == "Bearer s3cr3t-token")
    }

    @Test func applyIsAServerSideApplyPatch() async throws {
        let request = try await withFakeAPI([.json(#"{"kind":"ConfigMap"}"#)]) { client, server in
            let result = try await client.apply(.configMaps, namespace: "team-a", name: "hello-code", object: configMap, dryRun: false)
            #expect(result == .object(["kind": .string("ConfigMap")]))
            return try #require(server.requests.first)
        }
        #expect(request.method == "PATCH")
        #expect(request.path == "/api/v1/namespaces/team-a/configmaps/hello-code")
        #expect(request.query == ["fieldManager=pipedreamer", "force=true"])
        #expect(request.header("Content-Type") == "application/apply-patch+yaml")
        #expect(request.bodyText == #"{"apiVersion":"v1","data":{"workflow.yaml":"name: hello\n"},"kind":"ConfigMap","metadata":{"name":"hello-code","namespace":"team-a"}}"#)
    }

    @Test func dryRunApplyAddsDryRunAll() async throws {
        let request = try await withFakeAPI([.json("{}")]) { client, server in
            _ = try await client.apply(.deployments, namespace: "team-a", name: "hello", object: .object([:]), dryRun: true)
            return try #require(server.requests.first)
        }
        #expect(request.path == "/apis/apps/v1/namespaces/team-a/deployments/hello")
        #expect(request.query == ["fieldManager=pipedreamer", "force=true", "dryRun=All"])
    }

    @Test func strategicMergePatchUsesItsContentType() async throws {
        let patch = JSONValue.object(["spec": .object(["template": .object(["metadata": .object(["annotations": .object(
            ["kubectl.kubernetes.io/restartedAt": .string("abc123")])])])])])
        let request = try await withFakeAPI([.json("{}")]) { client, server in
            _ = try await client.patch(.deployments, namespace: "team-a", name: "hello", strategicMerge: patch, dryRun: false)
            return try #require(server.requests.first)
        }
        #expect(request.method == "PATCH")
        #expect(request.path == "/apis/apps/v1/namespaces/team-a/deployments/hello")
        #expect(request.query == ["fieldManager=pipedreamer"])
        #expect(request.header("Content-Type") == "application/strategic-merge-patch+json")
        #expect(request.bodyText == #"{"spec":{"template":{"metadata":{"annotations":{"kubectl.kubernetes.io/restartedAt":"abc123"}}}}}"#)
    }

    @Test func getReturnsTheObject() async throws {
        let object = try await withFakeAPI([.json(#"{"metadata":{"name":"hello"}}"#)]) { client, server in
            let object = try await client.get(.services, namespace: "team-a", name: "hello")
            #expect(server.requests.map(\.uri) == ["/api/v1/namespaces/team-a/services/hello"])
            return object
        }
        #expect(object == .object(["metadata": .object(["name": .string("hello")])]))
    }

    @Test func getOfAMissingObjectIsNil() async throws {
        let object = try await withFakeAPI([.status(404, reason: "NotFound", message: #"services "hello" not found"#)]) { client, _ in
            try await client.get(.services, namespace: "team-a", name: "hello")
        }
        #expect(object == nil)
    }

    @Test func clusterScopedGetHasNoNamespace() async throws {
        let uri = try await withFakeAPI([.json("{}")]) { client, server in
            _ = try await client.get(.runtimeClasses, namespace: "team-a", name: "gvisor")
            return server.requests.first?.uri
        }
        #expect(uri == "/apis/node.k8s.io/v1/runtimeclasses/gvisor")
    }

    @Test func listSendsTheLabelSelectorAndReturnsItems() async throws {
        let (items, request) = try await withFakeAPI([.json(#"{"kind":"CronJobList","items":[{"metadata":{"name":"a"}},{"metadata":{"name":"b"}}]}"#)]) { client, server in
            (try await client.list(.cronJobs, namespace: "team-a", labelSelector: "app.kubernetes.io/name=hello,app.kubernetes.io/managed-by=pipedreamer"),
             try #require(server.requests.first))
        }
        #expect(request.uri == "/apis/batch/v1/namespaces/team-a/cronjobs?labelSelector=app.kubernetes.io%2Fname%3Dhello%2Capp.kubernetes.io%2Fmanaged-by%3Dpipedreamer")
        #expect(request.query == ["labelSelector=app.kubernetes.io/name=hello,app.kubernetes.io/managed-by=pipedreamer"])
        #expect(items == [.object(["metadata": .object(["name": .string("a")])]), .object(["metadata": .object(["name": .string("b")])])])
    }

    @Test func listItemsGetTheListsKindAndAPIVersionAsClientGoGivesThem() async throws {
        // A real API server writes a typed list's items without apiVersion and kind.
        let items = try await withFakeAPI([.json(#"{"kind":"CronJobList","apiVersion":"batch/v1","items":[{"metadata":{"name":"a"}}]}"#)]) { client, _ in
            try await client.list(.cronJobs, namespace: "team-a", labelSelector: "app.kubernetes.io/name=hello")
        }
        #expect(items == [.object(["apiVersion": .string("batch/v1"), "kind": .string("CronJob"),
                                   "metadata": .object(["name": .string("a")])])])
    }

    @Test func deleteUsesBackgroundPropagation() async throws {
        let (deleted, request) = try await withFakeAPI([.json(#"{"kind":"Status","status":"Success"}"#)]) { client, server in
            (try await client.delete(.cronJobs, namespace: "team-a", name: "hello-cron", dryRun: true), try #require(server.requests.first))
        }
        #expect(deleted)
        #expect(request.method == "DELETE")
        #expect(request.path == "/apis/batch/v1/namespaces/team-a/cronjobs/hello-cron")
        #expect(request.query == ["propagationPolicy=Background", "dryRun=All"])
    }

    @Test func deleteOfAMissingObjectIsFalse() async throws {
        let deleted = try await withFakeAPI([.status(404, reason: "NotFound", message: #"cronjobs.batch "x" not found"#)]) { client, _ in
            try await client.delete(.cronJobs, namespace: "team-a", name: "x", dryRun: false)
        }
        #expect(!deleted)
    }

    @Test func accessReviewPostsASelfSubjectAccessReview() async throws {
        let (review, request) = try await withFakeAPI([.json(#"{"status":{"allowed":false,"reason":"RBAC: no rule"}}"#)]) { client, server in
            (try await client.accessReview(verb: "patch", type: .deployments, namespace: "team-a", name: "hello"),
             try #require(server.requests.first))
        }
        #expect(review == AccessReview(allowed: false, reason: "RBAC: no rule"))
        #expect(request.method == "POST")
        #expect(request.path == "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews")
        #expect(request.header("Content-Type") == "application/json")
        #expect(request.bodyText == #"{"apiVersion":"authorization.k8s.io/v1","kind":"SelfSubjectAccessReview","spec":{"resourceAttributes":{"group":"apps","name":"hello","namespace":"team-a","resource":"deployments","verb":"patch"}}}"#)
    }

    @Test func statusErrorsCarryCodeReasonAndMessage() async throws {
        let message = #"configmaps "hello-code" is forbidden: User "ci" cannot patch resource "configmaps" in API group "" in the namespace "team-a""#
        await #expect(throws: KubeAPIError(code: 403, reason: "Forbidden", message: message, operation: "applying configmap/hello-code")) {
            try await withFakeAPI([.status(403, reason: "Forbidden", message: message)]) { client, _ in
                try await client.apply(.configMaps, namespace: "team-a", name: "hello-code", object: configMap, dryRun: false)
            }
        }
    }

    @Test func statusErrorDescriptionReadsLikeKubectl() {
        let error = KubeAPIError(code: 422, reason: "Invalid", message: #"ConfigMap "x" is invalid"#)
        #expect(error.description == #"Error from server (Invalid): ConfigMap "x" is invalid (HTTP 422)"#)
    }

    @Test func nonStatusErrorBodyGivesAShortMessage() async throws {
        await #expect(throws: KubeAPIError(code: 403, reason: nil, message: "GET /api/v1/namespaces/team-a returned HTTP 403 Forbidden: blocked by proxy policy",
                                           operation: "getting namespace/team-a")) {
            try await withFakeAPI([FakeReply(status: 403, headers: [("Content-Type", "text/plain")], body: "blocked by proxy policy\nrequest id 42")]) { client, _ in
                try await client.get(.namespaces, namespace: nil, name: "team-a")
            }
        }
    }

    @Test func htmlErrorBodyIsLeftOut() async throws {
        await #expect(throws: KubeAPIError(code: 403, reason: nil, message: "GET /api/v1/namespaces/team-a returned HTTP 403 Forbidden",
                                           operation: "getting namespace/team-a")) {
            try await withFakeAPI([FakeReply(status: 403, body: "<html><body>Denied</body></html>")]) { client, _ in
                try await client.get(.namespaces, namespace: nil, name: "team-a")
            }
        }
    }

    @Test func warningHeadersReachTheWarningHandler() async throws {
        let recorder = KubeTestRecorder()
        try await withFakeAPI([FakeReply(status: 200, headers: [("Warning", #"299 - "unknown field \"spec.foo\"""#)], body: "{}")],
                              options: recorder.options()) { client, _ in
            _ = try await client.get(.services, namespace: "a", name: "b")
        }
        #expect(recorder.warnings == [#"unknown field "spec.foo""#])
    }
}
