import Foundation
import KubeTestServer
import Testing

/// Scripted faults and the request record.
@Suite struct FaultTests {
    @Test func everyRequestIsRecorded() async throws {
        try await withServer { server, http in
            _ = try await http.apply(Fixture.configMaps + "/a", Fixture.configMap("a"), force: true)
            _ = try await http.get(Fixture.configMaps + "/missing")
            let requests = server.requests
            #expect(requests.map(\.method) == ["PATCH", "GET"])
            #expect(requests.map(\.status) == [201, 404])
            #expect(requests[0].path == "/api/v1/namespaces/default/configmaps/a")
            #expect(requests[0].query == "fieldManager=pipedreamer&force=true")
            #expect(requests[0].hasQuery("force", "true"))
            #expect(requests[0].contentType == "application/apply-patch+yaml")
            #expect(requests[0].user == "admin")
            #expect(try JSON.parse(requests[0].body) == Fixture.configMap("a"))
            server.clearRequests()
            #expect(server.requests.isEmpty)
        }
    }

    @Test func aServerErrorIsAnsweredForTheScriptedCount() async throws {
        try await withServer { server, http in
            server.injectFault(Fault(method: "GET", pathPrefix: "/api/v1", count: 2, action: .status(503)))
            let first = try await http.get(Fixture.configMaps)
            #expect(first.status == 503)
            #expect(first.reason == "ServiceUnavailable")
            #expect(try await http.get(Fixture.configMaps).status == 503)
            #expect(try await http.get(Fixture.configMaps).status == 200)
        }
    }

    @Test func tooManyRequestsCarriesRetryAfter() async throws {
        try await withServer { server, http in
            server.injectFault(Fault(action: .tooManyRequests(retryAfterSeconds: 2)))
            let reply = try await http.get(Fixture.configMaps)
            #expect(reply.status == 429)
            #expect(reply.header("Retry-After") == "2")
            #expect(reply.json.value(at: ["details", "retryAfterSeconds"]) == 2)
        }
    }

    @Test func aDroppedConnectionGetsNoAnswer() async throws {
        try await withServer { server, http in
            server.injectFault(Fault(pathPrefix: Fixture.configMaps, action: .dropConnection))
            await #expect(throws: (any Error).self) { try await http.get(Fixture.configMaps) }
            #expect(server.requests.first?.status == 0)
            let next = try await http.get(Fixture.configMaps)
            #expect(next.status == 200)
        }
    }

    @Test func aDelayedAnswerStillArrives() async throws {
        try await withServer { server, http in
            server.injectFault(Fault(action: .delay(milliseconds: 200)))
            let reply = try await http.get(Fixture.configMaps)
            #expect(reply.status == 200)
            #expect(server.requests.map(\.status) == [200])
        }
    }
}
