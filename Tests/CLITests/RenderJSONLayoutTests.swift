import Foundation
import Testing
import TestSupport

/// `render -o json` prints as `kubectl -o json` does (cli-runtime's printers/json.go:
/// `json.MarshalIndent(obj, "", "    ")`): four-space indent, `"key": value`, `[]` and `{}` for
/// empty values, Go's string escapes. Keys are sorted (kubectl keeps struct order).
@Suite struct RenderJSONLayoutTests {
    static let kubectl = ["/usr/bin/kubectl", "/usr/local/bin/kubectl"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// Go's MarshalIndent layout, rebuilt with Python: `json.dumps(indent=4)` has the same separators
    /// and empty forms; Go escapes `<`, `>`, `&`, U+2028 and U+2029 too (encode.go `appendString`).
    /// Prints argv[1]'s document re-laid out, keys sorted or (with "keep") in their order.
    static let goLayout = #"""
    import json, sys, collections
    text = sys.stdin.read()
    value = json.loads(text, object_pairs_hook=collections.OrderedDict)
    out = json.dumps(value, indent=4, ensure_ascii=False, sort_keys=sys.argv[1] == "sort")
    for raw, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        out = out.replace(raw, escaped)
    sys.stdout.write(out + "\n")
    """#

    func relaid(_ json: Data, sort: Bool) throws -> String {
        let result = try Command.run("/usr/bin/env", ["python3", "-c", Self.goLayout, sort ? "sort" : "keep"], input: json)
        #expect(result.status == 0, "\(result.stderrText)")
        return result.stdoutText
    }

    static let awkward = "export default async () => (a < b && c > d ? \"x/y\" : 'é\u{2028}\t\u{8}');\n"

    @Test(.enabled(if: kubectl != nil))
    func theReferenceLayoutIsKubectlsOwn() throws {
        let result = try Command.run(Self.kubectl!, ["create", "configmap", "x", "--from-literal=fetch.ts=\(Self.awkward)",
                                                    "--dry-run=client", "-o", "json"])
        #expect(result.status == 0, "\(result.stderrText)")
        #expect(result.stdoutText.contains(#""fetch.ts": "export default async () =\u003e (a \u003c b \u0026\u0026 c \u003e d"#))
        #expect(try relaid(result.stdout, sort: false) == result.stdoutText)
    }

    @Test func renderJSONHasKubectlsLayout() throws {
        let fixture = try GitFixture()
        try fixture.writeWorkflow(nodes: ["fetch": Self.awkward])
        try fixture.commitAll()
        let render = try PipedreamerBinary.run(["render", "-o", "json"], in: fixture.path)
        #expect(render.status == 0, "\(render.stderrText)")
        #expect(try relaid(render.stdout, sort: true) == render.stdoutText)
        // Foundation's pretty printer wrote `"emptyDir" : {\n\n}` here.
        #expect(render.stdoutText.contains("\"emptyDir\": {}"))
        #expect(render.stdoutText.contains("=\\u003e (a \\u003c b \\u0026\\u0026 c \\u003e d ? \\\"x/y\\\" : 'é\\u2028\\t\\b');\\n"))
    }

    @Test func deployClientDryRunJSONIsRendersDocument() async throws {
        try await DeployHarness.with { h in
            let render = try PipedreamerBinary.run(["render", "-o", "json", "-n", "default"], in: h.repo.path)
            #expect(render.status == 0, "\(render.stderrText)")
            let dryRun = try h.run(["deploy", "--dry-run=client", "-o", "json", "-n", "default"])
            #expect(dryRun.status == 0, "\(dryRun.stderrText)")
            #expect(dryRun.stdoutText == render.stdoutText)
            #expect(try relaid(dryRun.stdout, sort: true) == dryRun.stdoutText)
        }
    }
}
