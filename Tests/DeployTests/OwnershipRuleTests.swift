import Deploy
import KubeClient
import Testing

/// One rule decides which objects are a workflow's: both labels its selector selects by.
@Suite struct OwnershipRuleTests {
    static func object(_ name: String, labels: [String: String]) -> JSONValue {
        .object(["metadata": .object(["name": .string(name), "labels": .object(labels.mapValues(JSONValue.string))])])
    }

    @Test func anObjectIsAWorkflowsOnlyWithBothOfItsLabels() {
        let both = Self.object("hello-code", labels: ["app.kubernetes.io/name": "hello", "app.kubernetes.io/managed-by": "pipedreamer"])
        #expect(Manifests.isOwned(both, by: "hello"))
        #expect(!Manifests.isOwned(both, by: "billing"))
        #expect(!Manifests.isOwned(Self.object("hello-code", labels: ["app.kubernetes.io/managed-by": "pipedreamer"]), by: "hello"))
        #expect(!Manifests.isOwned(Self.object("hello-code", labels: ["app.kubernetes.io/name": "hello"]), by: "hello"))
        #expect(!Manifests.isOwned(Self.object("hello-code", labels: ["app.kubernetes.io/name": "hello", "app.kubernetes.io/managed-by": "helm"]), by: "hello"))
        #expect(!Manifests.isOwned(.object(["metadata": .object(["name": .string("hello-code")])]), by: "hello"))
        // The rule and the selector the lists use name the same labels.
        #expect(Manifests.selector("hello") == "app.kubernetes.io/name=hello,app.kubernetes.io/managed-by=pipedreamer")
    }

    /// delete found the Secret by name and checked only `managed-by`: another workflow's Secret
    /// of that name (or one labelled for it by hand) was deleted with this workflow.
    @Test func deleteLeavesASecretOfThatNameThatAnotherWorkflowOwns() async throws {
        let api = InMemoryKubernetesAPI()
        api.put(.secrets, namespace: "default", Self.object("hello-secrets", labels: ["app.kubernetes.io/name": "billing", "app.kubernetes.io/managed-by": "pipedreamer"]))
        #expect(try await WorkflowDeletion(api: api).plan(namespace: "default", name: "hello").isEmpty)

        api.put(.secrets, namespace: "default", Self.object("hello-secrets", labels: ["app.kubernetes.io/name": "hello", "app.kubernetes.io/managed-by": "pipedreamer"]))
        let planned = try await WorkflowDeletion(api: api).plan(namespace: "default", name: "hello")
        #expect(planned.map { "\($0.0.plural)/\($0.1)" } == ["secrets/hello-secrets"])
    }
}
