import Foundation
import KubeTestServer
import Testing

/// The defaults the real registry fills in on create, as `kubectl get -o yaml` shows them on a cluster.
@Suite struct DefaultsTests {
    @Test func aCronJobGetsSetDefaultsCronJobsFields() async throws {
        try await withServer { server, http in
            var object = Fixture.cronJob("nightly")
            object.set(["spec", "concurrencyPolicy"], nil)
            let reply = try await http.post(Fixture.cronJobs, object)
            #expect(reply.status == 201)
            // SetDefaults_CronJob (pkg/apis/batch/v1/defaults.go).
            let spec = reply.json["spec"]
            #expect(spec?["concurrencyPolicy"] == "Allow")
            #expect(spec?["suspend"] == false)
            #expect(spec?["successfulJobsHistoryLimit"] == 3)
            #expect(spec?["failedJobsHistoryLimit"] == 1)
            #expect(server.object(.cronJobs, namespace: "default", name: "nightly")?.value(at: ["spec", "suspend"]) == false)
        }
    }

    @Test func aCronJobKeepsTheValuesItSets() async throws {
        try await withServer { _, http in
            var object = Fixture.cronJob("nightly")
            object.set(["spec", "suspend"], true)
            object.set(["spec", "successfulJobsHistoryLimit"], 0)
            let reply = try await http.post(Fixture.cronJobs, object)
            #expect(reply.json.value(at: ["spec", "concurrencyPolicy"]) == "Forbid")
            #expect(reply.json.value(at: ["spec", "suspend"]) == true)
            #expect(reply.json.value(at: ["spec", "successfulJobsHistoryLimit"]) == 0)
        }
    }

    @Test func anAppliedCronJobGetsTheDefaultsToo() async throws {
        try await withServer { _, http in
            let reply = try await http.apply(Fixture.cronJobs + "/nightly", Fixture.cronJob("nightly"))
            #expect(reply.status == 201)
            #expect(reply.json.value(at: ["spec", "failedJobsHistoryLimit"]) == 1)
        }
    }
}
