import Deploy
import Foundation
import Testing
import TestSupport

/// `schema/workflow.schema.json` against the parser, validated by Python's `jsonschema` (an
/// independent implementation), skipped cleanly where it is not installed.
@Suite struct WorkflowSchemaTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let schema = root.appendingPathComponent("schema/workflow.schema.json")
    static let examples = root.appendingPathComponent("Tests/Fixtures/engine-examples")

    static let base = "name: hello\nversion: \"1.0\"\nnodes:\n  fetch: nodes/fetch.ts\n"

    /// Workflows the parser accepts (warnings allowed): every one must validate.
    static let accepted: [String: String] = [
        "minimal": base,
        "unquoted-version": "name: hello\nversion: 1.0\nnodes:\n  fetch: {path: nodes/fetch.ts}\n",
        "unknown-keys-only-warn": base + "owner: team-a\nnodes2: {}\n",
        "webhook-provider": base + "triggers:\n  - {type: webhook, provider: github, event: push, actions: [created]}\n",
        "node-capabilities": "name: hello\nversion: 1.0.0\nnodes:\n  fetch:\n    path: nodes/fetch.ts\n    description: d\n    capabilities: {network: outbound, retries: 3, cache: true}\n",
        "nulls": base + "description:\ntriggers:\nedges:\nmetadata:\ncontract:\nsidecars:\ndeployment:\n",
        "contract-extras": base + "contract:\n  version: 2\n  owner: x\n  dependencies:\n    db: {protocol: postgres, port: 5432, pool: 5, auth: {type: password, secret: s, rotate: true}}\n",
        "sidecar": base + "sidecars:\n  - {name: cache, image: 'redis:7', command: [redis-server], port: 6379, env: {A: b}, resources: {}}\n",
    ]

    /// Workflows the parser refuses for a type or a missing field: none may validate.
    static let refused: [String: String] = [
        "missing-name": "version: \"1.0\"\nnodes:\n  fetch: nodes/fetch.ts\n",
        "missing-nodes": "name: hello\nversion: \"1.0\"\n",
        "empty-nodes": "name: hello\nversion: \"1.0\"\nnodes: {}\n",
        "name-number": "name: 42\nversion: \"1.0\"\nnodes:\n  fetch: nodes/fetch.ts\n",
        "version-boolean": "name: hello\nversion: true\nnodes:\n  fetch: nodes/fetch.ts\n",
        "node-number": "name: hello\nversion: \"1.0\"\nnodes:\n  fetch: 5\n",
        "node-without-path": "name: hello\nversion: \"1.0\"\nnodes:\n  fetch: {description: d}\n",
        "capability-list": base.replacingOccurrences(of: "fetch: nodes/fetch.ts", with: "fetch: {path: nodes/fetch.ts, capabilities: {network: [a]}}"),
        "description-number": base + "description: 42\n",
        "triggers-mapping": base + "triggers: {type: manual}\n",
        "trigger-without-type": base + "triggers:\n  - name: nightly\n",
        "cron-without-schedule": base + "triggers:\n  - type: cron\n",
        "webhook-without-path-or-provider": base + "triggers:\n  - {type: webhook, event: push}\n",
        "queue-without-subject": base + "triggers:\n  - type: queue\n",
        "schedule-on-webhook": base + "triggers:\n  - {type: webhook, path: /x, schedule: '@daily'}\n",
        "actions-string": base + "triggers:\n  - {type: webhook, provider: github, actions: opened}\n",
        "edge-without-to": base + "edges:\n  - {from: fetch}\n",
        "deployment-list": base + "deployment: [a]\n",
        "metadata-tags-string": base + "metadata: {tags: reports}\n",
        "contract-port-string": base + "contract:\n  dependencies:\n    db: {port: '5432'}\n",
        "contract-auth-string": base + "contract:\n  dependencies:\n    db: {auth: token}\n",
        "sidecar-without-image": base + "sidecars:\n  - {name: cache}\n",
        "sidecar-args-string": base + "sidecars:\n  - {name: cache, image: redis, args: --save}\n",
        "sidecars-mapping": base + "sidecars: {cache: redis}\n",
    ]

    /// Names of the files in `directory` that validate against the schema; nil when Python's
    /// jsonschema or PyYAML is not installed.
    static func validating(_ directory: URL) throws -> Set<String>? {
        guard let python = Command.which("python3") else { return nil }
        let script = """
            import json, os, sys
            try:
                import jsonschema, yaml
            except ImportError:
                sys.exit(3)
            schema = json.load(open(sys.argv[1]))
            validator = jsonschema.Draft7Validator(schema)
            for name in sorted(os.listdir(sys.argv[2])):
                with open(os.path.join(sys.argv[2], name)) as f:
                    if validator.is_valid(yaml.safe_load(f)): print(name)
            """
        let result = try Command.run(python, ["-c", script, schema.path, directory.path])
        if result.status == 3 { return nil }
        #expect(result.status == 0, "\(result.stderrText)")
        return Set(result.stdoutText.split(separator: "\n").map(String.init))
    }

    @Test func theSchemaAgreesWithTheParser() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("schema-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var all = Self.accepted.merging(Self.refused) { $1 }
        for name in ["github-triage", "nightly-report", "order-sync"] {
            all["example-\(name)"] = try String(contentsOf: Self.examples.appendingPathComponent("\(name)/workflow.yaml"), encoding: .utf8)
        }
        for (name, text) in all {
            try text.write(to: directory.appendingPathComponent(name), atomically: true, encoding: .utf8)
            let reading = WorkflowSpec.read(text, file: "workflow.yaml")
            let parserAccepts = reading.errors.isEmpty
            #expect(parserAccepts == (Self.refused[name] == nil), "\(name): \(reading.errors)")
        }
        guard let valid = try Self.validating(directory) else { return }
        let shouldValidate = Set(all.keys).subtracting(Self.refused.keys)
        #expect(valid == shouldValidate)
    }
}
