import Deploy
import Foundation
import Testing
import TestSupport
import WorkflowBundle

@Suite struct ConfigMapKeyTests {
    @Test func slashesBecomeDoubleUnderscores() throws {
        #expect(try ConfigMapKey.encode("nodes/fetch.ts") == "nodes__fetch.ts")
        #expect(try ConfigMapKey.encode("workflow.yaml") == "workflow.yaml")
    }

    @Test func underscoresSpacesAndUnicodeAreHexEscaped() throws {
        #expect(try ConfigMapKey.encode("nodes/my_node.ts") == "nodes__my_5Fnode.ts")
        #expect(try ConfigMapKey.encode("nodes/a b.ts") == "nodes__a_20b.ts")
        #expect(try ConfigMapKey.encode("nodes/é.ts") == "nodes___C3_A9.ts")
        #expect(try ConfigMapKey.encode("nodes/__init__.ts") == "nodes___5F_5Finit_5F_5F.ts")
    }

    @Test func pathsThatWouldCollideUnderANaiveEncodingStayDistinct() throws {
        let paths = ["a_/b", "a/_b", "a__b", "a/b", "a_2Fb", "a%2Fb", "a/__/b", "a___b"]
        let keys = try paths.map(ConfigMapKey.encode)
        #expect(Set(keys).count == paths.count)
    }

    @Test func decodeInvertsEncode() throws {
        for path in ["nodes/fetch.ts", "nodes/my_node.ts", "nodes/ü/日本.ts", "nodes/a b/c..d.json", "x"] {
            #expect(ConfigMapKey.decode(try ConfigMapKey.encode(path)) == path)
        }
    }

    @Test func decodeRejectsStringsNoEncodingProduces() {
        #expect(ConfigMapKey.decode("a_2Fb") == nil)   // '/' only ever encodes as "__"
        #expect(ConfigMapKey.decode("a_41") == nil)    // 'A' only ever encodes as itself
        #expect(ConfigMapKey.decode("a_4") == nil)
        #expect(ConfigMapKey.decode("a_zz") == nil)
    }

    @Test func keysLongerThan253CharactersAreRefused() throws {
        let ok = "nodes/" + String(repeating: "a", count: 253 - "nodes__".count)
        #expect(try ConfigMapKey.encode(ok).count == 253)
        #expect(throws: ConfigMapKey.Failure.tooLong(key: "nodes__" + String(repeating: "a", count: 247), length: 254)) {
            try ConfigMapKey.encode(ok + "a")
        }
    }

    @Test func everyGeneratedPathEncodesToAValidDistinctKeyThatDecodesBack() throws {
        var generator = SplitMix64(seed: 20261126)
        let alphabet: [String] = ["a", "Z", "0", "-", ".", "_", " ", "é", "日", "🙂", "%", "+", "(", "'", "\\", "~", "__", ".."]
        var seen = [String: String]()
        for _ in 0..<5_000 {
            let depth = Int(generator.next() % 4) + 1
            let components = (0..<depth).map { _ in
                (0..<(Int(generator.next() % 6) + 1)).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] }.joined()
            }
            let path = components.joined(separator: "/")
            guard let key = try? ConfigMapKey.encode(path) else { continue }
            #expect(ConfigMapKey.isValidKey(key), "key \(key) of \(path)")
            #expect(ConfigMapKey.decode(key) == path)
            if let other = seen[key], other != path { Issue.record("\(path) and \(other) share key \(key)") }
            seen[key] = path
        }
        #expect(seen.count > 4_000)
    }

    @Test(.enabled(if: Command.which("kubectl") != nil, "kubectl is not installed"))
    func kubectlAcceptsEveryKey() throws {
        let paths = ["workflow.yaml", "nodes/fetch.ts", "nodes/with space.ts", "nodes/ünïcödé/日本語.ts",
                     "nodes/many.dots.in.name.d.ts", "nodes/__double__under.ts", "nodes/a/b/c/d/e/f/g/h/deep.json",
                     "nodes/-leading-dash.yaml", "nodes/.x", "nodes/emoji 🙂.yml", "nodes/tab\there.ts"]
        var arguments = ["create", "configmap", "keys", "--dry-run=client", "-o", "jsonpath={.data}"]
        for path in paths { arguments.append("--from-literal=\(try ConfigMapKey.encode(path))=v") }
        let result = try Command.run(Command.which("kubectl")!, arguments)
        #expect(result.status == 0, "kubectl said: \(result.stderrText)")
    }

    @Test(.enabled(if: Command.which("kubectl") != nil, "kubectl is not installed"))
    func kubectlRejectsARawPathAsAKey() throws {
        let result = try Command.run(Command.which("kubectl")!,
                                     ["create", "configmap", "keys", "--dry-run=client", "--from-literal=nodes/fetch.ts=v"])
        #expect(result.status != 0)
        #expect(result.stderrText.contains("is not a valid key name for a ConfigMap"))
    }
}

/// A small deterministic generator, so a failing case reproduces.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
