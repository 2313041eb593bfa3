import Foundation
import KubeTestServer
import Testing

/// `metadata.generation` as each registry strategy sets it: 1 on create and one more for each spec change in
/// the workloads' `PrepareForCreate`/`PrepareForUpdate` (pkg/registry/apps/deployment/strategy.go,
/// pkg/registry/batch/cronjob/strategy.go); never in the core kinds' strategies (pkg/registry/core/*/strategy.go)
/// nor the Lease's (pkg/registry/coordination/lease/strategy.go).
@Suite struct GenerationTests {
    @Test func aCronJobStartsAtOneAndMovesOnlyWithItsSpec() async throws {
        try await withServer { _, http in
            let path = Fixture.cronJobs + "/nightly"
            let created = try await http.post(Fixture.cronJobs, Fixture.cronJob("nightly"))
            #expect(created.json.value(at: ["metadata", "generation"]) == 1)
            // A label is metadata: `Semantic.DeepEqual(newCronJob.Spec, oldCronJob.Spec)` holds.
            let labelled = try await http.strategicPatch(path, ["metadata": ["labels": ["team": "data"]]])
            #expect(labelled.status == 200)
            #expect(labelled.json.value(at: ["metadata", "generation"]) == 1)
            // Unlike a Deployment's, a CronJob's annotations do not move it.
            let annotated = try await http.strategicPatch(path, ["metadata": ["annotations": ["note": "x"]]])
            #expect(annotated.json.value(at: ["metadata", "generation"]) == 1)
            let rescheduled = try await http.strategicPatch(path, ["spec": ["schedule": "0 * * * *"]])
            #expect(rescheduled.json.value(at: ["metadata", "generation"]) == 2)
            // Re-sending the same spec changes nothing.
            let same = try await http.strategicPatch(path, ["spec": ["schedule": "0 * * * *"]])
            #expect(same.json.value(at: ["metadata", "generation"]) == 2)
        }
    }

    @Test func aDeploymentStartsAtOne() async throws {
        try await withServer { _, http in
            let applied = try await http.apply(Fixture.deployments + "/web", Fixture.deployment("web"))
            #expect(applied.json.value(at: ["metadata", "generation"]) == 1)
            let scaled = try await http.apply(Fixture.deployments + "/web", Fixture.deployment("web", replicas: 2))
            #expect(scaled.json.value(at: ["metadata", "generation"]) == 2)
        }
    }

    @Test func servicesConfigMapsSecretsAndLeasesCarryNoGeneration() async throws {
        try await withServer { _, http in
            let secret: JSON = ["apiVersion": "v1", "kind": "Secret", "metadata": ["name": "token"], "stringData": ["a": "b"]]
            let created = [
                try await http.post(Fixture.services, Fixture.service("web")),
                try await http.post(Fixture.configMaps, Fixture.configMap("code")),
                try await http.post(Fixture.secrets, secret),
                try await http.post(Fixture.leases, Fixture.lease("lock")),
            ]
            for reply in created {
                #expect(reply.status == 201)
                #expect(reply.json.value(at: ["metadata", "generation"]) == nil, "\(reply.json["kind"]?.string ?? "")")
            }
            // A spec change of a Service leaves it absent too.
            let changed = try await http.strategicPatch(Fixture.services + "/web", ["spec": ["selector": ["tier": "web"]]])
            #expect(changed.status == 200)
            #expect(changed.json.value(at: ["spec", "selector", "tier"]) == "web")
            #expect(changed.json.value(at: ["metadata", "generation"]) == nil)
        }
    }

    /// `rest.BeforeUpdate` (staging/src/k8s.io/apiserver/pkg/registry/rest/update.go) copies the old generation over
    /// whatever the body names.
    @Test func aClientCannotSetTheGeneration() async throws {
        try await withServer { _, http in
            var object = Fixture.cronJob("nightly")
            object.set(["metadata", "generation"], 7)
            let created = try await http.post(Fixture.cronJobs, object)
            #expect(created.json.value(at: ["metadata", "generation"]) == 1)
            var replaced = created.json
            replaced.set(["metadata", "generation"], 9)
            let put = try await http.put(Fixture.cronJobs + "/nightly", replaced)
            #expect(put.status == 200)
            #expect(put.json.value(at: ["metadata", "generation"]) == 1)
        }
    }

    /// The Service strategy's `AllowCreateOnUpdate` (pkg/registry/core/service/strategy.go) is true: a PUT of a
    /// missing Service creates it (201); a ConfigMap's is false, so the same PUT is a 404.
    @Test func aPutCreatesAMissingServiceButNotAMissingConfigMap() async throws {
        try await withServer { _, http in
            let service = try await http.put(Fixture.services + "/web", Fixture.service("web"))
            #expect(service.status == 201)
            #expect(service.json.value(at: ["spec", "clusterIP"])?.string?.hasPrefix("10.") == true)
            #expect(service.json.value(at: ["metadata", "generation"]) == nil)
            let configMap = try await http.put(Fixture.configMaps + "/code", Fixture.configMap("code"))
            #expect(configMap.status == 404)
        }
    }
}
