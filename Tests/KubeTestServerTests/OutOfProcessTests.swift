import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import KubeTestServer
import Testing

/// The `kube-test-server` executable scripted over HTTP, as a test in another process drives it.
@Suite struct OutOfProcessTests {
    /// The executable built beside the tests, if any.
    static var binary: String? {
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("kube-test-server").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return nil
    }

    /// Starts the executable and returns it with the URL it prints.
    func launch(_ path: String) throws -> (Process, URL) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = ["--rollout-delay", "5"]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        var text = ""
        while !text.contains("\n") {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
        }
        let line = text.split(separator: "\n").first.map(String.init) ?? ""
        guard let range = line.range(of: "http://") else { process.terminate(); throw CocoaError(.fileReadCorruptFile) }
        return (process, URL(string: String(line[range.lowerBound...]))!)
    }

    func send(_ method: String, _ url: URL, _ body: JSON? = nil) async throws -> (Int, JSON) {
        var request = URLRequest(url: url)
        request.httpMethod = method
        if let body {
            request.httpBody = body.serialized()
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let session = URLSession(configuration: .ephemeral)
        defer { session.finishTasksAndInvalidate() }
        let (data, response) = try await session.data(for: request)
        return ((response as! HTTPURLResponse).statusCode, (try? JSON.parse(data)) ?? .null)
    }

    @Test(.enabled(if: OutOfProcessTests.binary != nil))
    func faultsAndRolloutModesAreScriptedOverHTTP() async throws {
        let (process, url) = try launch(try #require(OutOfProcessTests.binary))
        defer { process.terminate() }
        let rule: JSON = ["method": "GET", "path": "/api/v1/namespaces/*/configmaps", "count": 1, "status": 503]
        #expect(try await send("POST", url.appendingPathComponent("debug/faults"), rule).0 == 201)
        #expect(try await send("GET", url.appendingPathComponent("api/v1/namespaces/default/configmaps")).0 == 503)
        #expect(try await send("GET", url.appendingPathComponent("api/v1/namespaces/default/configmaps")).0 == 200)
        let hold: JSON = ["namespace": "default", "name": "hello", "mode": "hold"]
        #expect(try await send("POST", url.appendingPathComponent("debug/rollouts"), hold).1 == hold)
        let recorded = try await send("GET", url.appendingPathComponent("debug/requests")).1
        #expect(recorded["requests"]?.array?.compactMap { $0["status"]?.int } == [503, 200])
    }
}
