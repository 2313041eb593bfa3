import Foundation
import Testing
import TestSupport
import Yams

/// Contents that stress a YAML encoder: each must come back byte for byte.
let trickyContents: [String: [UInt8]] = [
    "crlf.ts": Array("const a = 1;\r\nconst b = 2;\r\n".utf8),
    "leading-spaces.ts": Array("    indented first line\nsecond\n".utf8),
    "leading-tab.ts": Array("\tindented with a tab\n".utf8),
    "no-newline.ts": Array("export const x = 1;".utf8),
    "trailing-newlines.ts": Array("x\n\n\n\n".utf8),
    "document-markers.yaml": Array("---\na: 1\n...\n---\nb: 2\n".utf8),
    "bom.ts": [0xEF, 0xBB, 0xBF] + Array("export {};\n".utf8),
    "unicode.ts": Array("const greeting = \"héllo wörld — 日本語 🙂\";\n".utf8),
    "long-line.ts": Array(("// " + String(repeating: "long ", count: 4_000) + "\n").utf8),
    "trailing-spaces.ts": Array("a   \nb\t\n".utf8),
    "lone-cr.ts": Array("a\rb\n".utf8),
    "yes.json": Array("yes".utf8),
    "empty.json": [],
    "spaces-only.ts": Array("   ".utf8),
]

@Suite struct RenderFidelityTests {
    let fixture: GitFixture
    let sha: String

    init() throws {
        fixture = try GitFixture()
        var yaml = "name: tricky\nversion: \"1.0\"\nnodes:\n"
        for name in trickyContents.keys.sorted() {
            yaml += "  \(name.split(separator: ".")[0]): nodes/\(name)\n"
            try fixture.write("wf/nodes/\(name)", trickyContents[name]!)
        }
        try fixture.write("wf/workflow.yaml", yaml)
        sha = try fixture.commitAll()
    }

    /// Parses rendered output with Python (PyYAML or json, parsers independent of this tool's
    /// libyaml) and returns relative path → content bytes, read through the Deployment's items.
    func filesReadByPython(_ output: Data, format: String) throws -> [String: [UInt8]] {
        let script = """
        import sys, json
        text = sys.stdin.buffer.read().decode("utf-8")
        if sys.argv[1] == "yaml":
            import yaml
            docs = [d for d in yaml.safe_load_all(text) if d]
        else:
            docs = json.loads(text)["items"]
        cm = next(d for d in docs if d["kind"] == "ConfigMap")
        dep = next(d for d in docs if d["kind"] == "Deployment")
        vol = next(v for v in dep["spec"]["template"]["spec"]["volumes"] if v["name"] == "code")
        out = {i["path"]: cm["data"][i["key"]].encode("utf-8").hex() for i in vol["configMap"]["items"]}
        sys.stdout.write(json.dumps(out))
        """
        let parsed = try Command.run("/usr/bin/env", ["python3", "-c", script, format], input: output)
        #expect(parsed.status == 0, "\(parsed.stderrText)")
        let hex = try JSONSerialization.jsonObject(with: parsed.stdout) as? [String: String] ?? [:]
        return hex.mapValues { text in
            let digits = Array(text.utf8)
            return stride(from: 0, to: digits.count, by: 2).map { UInt8(String(decoding: digits[$0..<($0 + 2)], as: UTF8.self), radix: 16)! }
        }
    }

    func expectExact(_ files: [String: [UInt8]]) throws {
        #expect(files.count == trickyContents.count + 1)
        for path in files.keys.sorted() {
            let expected = try fixture.git(["show", "HEAD:wf/\(path)"])
            #expect(files[path]! == Array(expected), "content of \(path)")
        }
    }

    @Test(.enabled(if: pythonHasYAML(), "python3 with PyYAML is not available"))
    func yamlDataMappedBackThroughItemsEqualsGitShow() throws {
        let result = try PipedreamerBinary.run(["render", "HEAD"], in: fixture.path)
        #expect(result.status == 0, "\(result.stderrText)")
        try expectExact(try filesReadByPython(result.stdout, format: "yaml"))
    }

    @Test(.enabled(if: Command.which("python3") != nil, "python3 is not available"))
    func jsonDataMappedBackThroughItemsEqualsGitShow() throws {
        let result = try PipedreamerBinary.run(["render", "-o", "json"], in: fixture.path)
        #expect(result.status == 0, "\(result.stderrText)")
        try expectExact(try filesReadByPython(result.stdout, format: "json"))
    }

    @Test func yamsReadsTheSameItemsAsTheDeploymentLists() throws {
        // Yams drops a leading BOM when it parses, so this reader checks the mapping, not the bytes.
        let result = try PipedreamerBinary.run(["render"], in: fixture.path)
        let files = try RenderedObjects(yaml: result.stdoutText).filesByPath(workflow: "tricky")
        #expect(files.keys.sorted() == (trickyContents.keys.map { "nodes/\($0)" } + ["workflow.yaml"]).sorted())
    }

    @Test func theRestartStampAndCommitAnnotationsCarryTheFullSha() throws {
        let objects = try RenderedObjects(yaml: try PipedreamerBinary.run(["render"], in: fixture.path).stdoutText)
        let deployment = objects["Deployment/tricky"]
        #expect(value(deployment, "spec", "template", "metadata", "annotations") as? [String: String]
                == ["kubectl.kubernetes.io/restartedAt": sha])
        #expect((value(deployment, "metadata", "annotations") as? [String: String])?["pipedreamer.dev/commit"] == sha)
        #expect((value(deployment, "metadata", "annotations") as? [String: String])?["pipedreamer.dev/code-commit"] == sha)
        #expect((value(objects["ConfigMap/tricky-code"], "metadata", "annotations") as? [String: String]) == ["pipedreamer.dev/code-commit": sha])
    }
}

func pythonHasYAML() -> Bool {
    (try? Command.run("/usr/bin/env", ["python3", "-c", "import yaml"]).status) == 0
}

@Suite struct RenderReproducibilityTests {
    let fixture: GitFixture
    let sha: String

    init() throws {
        fixture = try GitFixture()
        try fixture.writeWorkflow(at: "wf", nodes: ["fetch": "export const v = 1;\n", "store": "export const s = 2;\n"])
        sha = try fixture.commitAll("v1")
        try fixture.git(["tag", "light"])
        try fixture.git(["tag", "-a", "-m", "release", "v1.0.0"])
    }

    func render(_ arguments: [String]) throws -> Data {
        let result = try PipedreamerBinary.run(["render"] + arguments, in: fixture.path)
        #expect(result.status == 0, "\(result.stderrText)")
        return result.stdout
    }

    @Test func theSameCommitRendersIdenticallyAcrossRuns() throws {
        #expect(try render([]) == render([]))
        #expect(try render(["-o", "json"]) == render(["-o", "json"]))
    }

    @Test func aTagItsTagObjectAndItsShaRenderIdentically() throws {
        let baseline = try render([sha])
        let tagObject = try fixture.gitText(["rev-parse", "v1.0.0"])
        #expect(tagObject != sha)
        #expect(try render(["v1.0.0"]) == baseline)
        #expect(try render([tagObject]) == baseline)
        #expect(try render(["light"]) == baseline)
        #expect(try render(["refs/tags/v1.0.0"]) == baseline)
        #expect(try render(["main"]) == baseline)
    }

    @Test func theWorkingCopyIndexAndCurrentBranchDoNotChangeTheOutput() throws {
        let baseline = try render(["v1.0.0"])
        try fixture.write("wf/nodes/fetch.ts", "dirty working copy\n")
        try fixture.write("wf/nodes/untracked.ts", "untracked\n")
        try fixture.write("wf/nodes/store.ts", "staged change\n")
        try fixture.git(["add", "wf/nodes/store.ts"])
        #expect(try render(["v1.0.0"]) == baseline)
        try fixture.git(["stash", "-u", "-q"])
        try fixture.git(["checkout", "-q", "-b", "other"])
        try fixture.write("wf/nodes/fetch.ts", "other branch\n")
        try fixture.commitAll("other")
        #expect(try render(["v1.0.0"]) == baseline)
        #expect(try render(["HEAD"]) != baseline)
    }
}
