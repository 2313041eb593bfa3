import Foundation
import KubeTestServer
import Testing

/// `GET /debug/requests`, which lets a benchmark count what any client (kubectl too) sent.
@Suite struct DebugEndpointTests {
    @Test func listsTheRecordedRequestsWithoutCountingItself() async throws {
        try await withServer { server, http in
            _ = try await http.post(Fixture.configMaps, Fixture.configMap("a"))
            _ = try await http.get(Fixture.configMaps + "/missing")
            let first = try await http.get("/debug/requests")
            let second = try await http.get("/debug/requests")
            #expect(first.status == 200)
            #expect(first.json["count"] == 2)
            #expect(first.json["requests"]?.array?.map { [$0["method"], $0["path"], $0["status"]] } == [
                ["POST", .string(Fixture.configMaps), 201],
                ["GET", .string(Fixture.configMaps + "/missing"), 404],
            ])
            #expect(second.json["count"] == 2)
            #expect(server.requests.count == 2)
        }
    }

    @Test func needsNoCredentialsEvenWhenTokensAreRequired() async throws {
        try await withServer(KubeTestServer.Configuration(tokens: ["t": UserInfo(name: "admin")])) { _, http in
            let reply = try await http.get("/debug/requests")
            #expect(reply.status == 200)
            #expect(reply.json["count"] == 0)
        }
    }
}
