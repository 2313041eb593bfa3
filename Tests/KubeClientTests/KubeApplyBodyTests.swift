@testable import KubeClient
import Foundation
import Testing
import TestSupport

/// Apply bodies are read by the API server's YAML parser, which refuses some characters that
/// JSON allows raw; the client escapes them.
@Suite struct KubeApplyBodyTests {
    static let awkward = "del=\u{7F} c1=\u{80}\u{9F} nel=\u{85} ls=\u{2028} ps=\u{2029} fffe=\u{FFFE} ffff=\u{FFFF} é 日本 🙂"

    func body() throws -> Data {
        KubernetesClient.yamlSafe(try KubernetesClient.encode(.object(["data": .object(["a": .string(Self.awkward)])])))
    }

    @Test func escapedBodiesHoldNoCharacterYAMLRefuses() throws {
        let text = String(decoding: try body(), as: UTF8.self)
        #expect(text == #"{"data":{"a":"del=\u007f c1=\u0080\u009f nel=\u0085 ls=\u2028 ps=\u2029 fffe=\ufffe ffff=\uffff é 日本 🙂"}}"#)
    }

    @Test func escapedBodiesDecodeToTheSameString() throws {
        let decoded = try JSONSerialization.jsonObject(with: try body()) as? [String: [String: String]]
        #expect(decoded?["data"]?["a"] == Self.awkward)
    }

    @Test(.enabled(if: (try? Command.run("/usr/bin/env", ["python3", "-c", "import yaml"]).status) == 0, "PyYAML is not available"))
    func aYAMLParserReadsTheEscapedBodyButNotTheRawOne() throws {
        let script = "import sys, yaml, json; sys.stdout.write(json.dumps(yaml.safe_load(sys.stdin.buffer.read().decode('utf-8'))['data']['a']))"
        let raw = try KubernetesClient.encode(.object(["data": .object(["a": .string(Self.awkward)])]))
        let refused = try Command.run("/usr/bin/env", ["python3", "-c", script], input: raw)
        #expect(refused.status != 0)
        let read = try Command.run("/usr/bin/env", ["python3", "-c", script], input: try body())
        #expect(read.status == 0, "\(read.stderrText)")
        #expect(try JSONSerialization.jsonObject(with: read.stdout, options: .fragmentsAllowed) as? String == Self.awkward)
    }
}
