import Deploy
import Foundation
import Testing
import KubeClient

// MARK: - Helpers

/// The errors `parse` reports, or [] when it accepts the text.
private func errors(_ yaml: String) -> [SpecError] {
    do {
        _ = try WorkflowSpec.parse(yaml, file: "workflow.yaml")
        return []
    } catch {
        return error.errors
    }
}

/// The warnings `read` reports (unknown keys).
private func warnings(_ yaml: String) -> [SpecError] {
    WorkflowSpec.read(yaml, file: "workflow.yaml").warnings
}

private func error(_ field: String, _ line: Int?, _ message: String, column: Int? = nil) -> SpecError {
    SpecError(file: "workflow.yaml", field: field, line: line, column: column, message: message)
}

/// Lines 1-4: a valid workflow with one node, `fetch`; append sections from line 5.
private let minimal = """
    name: hello
    version: 1.0
    nodes:
      fetch: nodes/fetch.ts

    """

/// Lines 1-6: nodes a, b and c; `edges:` on line 7, its items from line 8.
private func withEdges(_ items: String) -> String {
    """
    name: hello
    version: 1.0
    nodes:
      a: nodes/a.ts
      b: nodes/b.ts
      c: nodes/c.ts
    edges:
    \(items)
    """
}

/// A cron trigger with `schedule` on line 7.
private func withSchedule(_ schedule: String) -> String {
    minimal + """
        triggers:
          - type: cron
            schedule: '\(schedule)'

        """
}

private let kebabHint = "use lowercase letters, digits and '-', starting and ending with a letter or digit"
private let knownTriggerKeys = "known keys are actions, event, name, path, provider, schedule, subject, type"

// MARK: - A valid file

@Test func parsesAFullExample() throws {
    let yaml = """
        name: hello-world
        version: 1.0.0
        description: Fetches and summarises.
        triggers:
          - type: manual
          - type: cron
            name: nightly
            schedule: "0 3 * * *"
          - type: webhook
            path: /hooks/github
          - type: queue
            subject: jobs.new
        nodes:
          fetch: nodes/fetch.ts
          summarize:
            path: nodes/summarize.ts
        edges:
          - from: fetch
            to: summarize
        config:
          retries: 3
          model: {name: small, temperature: 0.5}
          tags: [a, b]
          fallback: ~
          verbose: false
        deployment:
          namespace: workflows

        """
    let spec = try WorkflowSpec.parse(yaml, file: "workflow.yaml")
    #expect(spec == WorkflowSpec(
        name: "hello-world",
        version: "1.0.0",
        description: "Fetches and summarises.",
        triggers: [
            Trigger(kind: .manual, line: 5),
            Trigger(kind: .cron, name: "nightly", schedule: "0 3 * * *", line: 6),
            Trigger(kind: .webhook, path: "/hooks/github", line: 9),
            Trigger(kind: .queue, subject: "jobs.new", line: 11),
        ],
        nodes: [
            Node(id: "fetch", path: "nodes/fetch.ts", line: 14),
            Node(id: "summarize", path: "nodes/summarize.ts", line: 15),
        ],
        edges: [Edge(from: "fetch", to: "summarize")],
        config: .object([
            "retries": .int(3),
            "model": .object(["name": .string("small"), "temperature": .double(0.5)]),
            "tags": .array([.string("a"), .string("b")]),
            "fallback": .null,
            "verbose": .bool(false),
        ]),
        namespace: "workflows"
    ))
}

@Test func optionalSectionsMayBeLeftOut() throws {
    let spec = try WorkflowSpec.parse(minimal, file: "workflow.yaml")
    #expect(spec == WorkflowSpec(name: "hello", version: "1.0", nodes: [Node(id: "fetch", path: "nodes/fetch.ts", line: 4)]))
}

// MARK: - The file as a whole

@Test func reportsAYAMLSyntaxErrorWithLineAndColumn() {
    #expect(errors("name: hello\n  version: 1.0\n") == [
        error("", 2, "invalid YAML: mapping values are not allowed in this context", column: 10),
    ])
}

@Test func reportsAnUnclosedFlowSequenceWithWhereItStarted() {
    #expect(errors("name: [hello\nversion: 1.0\n") == [
        error("", 2, "invalid YAML: did not find expected ',' or ']' (while parsing a flow sequence at line 1, column 7)",
              column: 8),
    ])
}

@Test func rejectsSeveralDocuments() {
    #expect(errors(minimal + "---\nname: other\n") == [
        error("", 5, "invalid YAML: expected a single document in the stream at line 1, column 1, but found another document",
              column: 1),
    ])
}

@Test func rejectsAnEmptyFile() {
    let expected = [error("", nil, "the file is empty; expected a mapping with name, version and nodes")]
    #expect(errors("") == expected)
    #expect(errors("# nothing yet\n") == expected)
}

@Test func rejectsAFileThatIsNotAMapping() {
    #expect(errors("- name: hello\n") == [
        error("", 1, "expected a mapping with name, version and nodes, got a sequence"),
    ])
}

@Test func rejectsDuplicateKeys() {
    #expect(errors("name: hello\nversion: 1.0\nname: again\nnodes:\n  fetch: nodes/fetch.ts\n") == [
        error("", 1, "duplicate key 'name': a key may appear only once in a mapping (this is its first use)", column: 1),
    ])
}

@Test func rejectsDuplicateNodeIDs() {
    #expect(errors(minimal + "  fetch: nodes/other.ts\n") == [
        error("", 4, "duplicate key 'fetch': a key may appear only once in a mapping (this is its first use)", column: 3),
    ])
}

@Test func rejectsKeysThatDifferOnlyInYAMLType() {
    // YAML keeps `1` and `'1'` apart; the engine's JSON view of the file would merge them.
    #expect(errors(minimal + "config:\n  1: one\n  '1': uno\n") == [error("config.1", 7, "duplicate key")])
}

@Test func warnsAboutUnknownTopLevelKeysListingTheKnownOnes() {
    #expect(errors(minimal + "colour: blue\n") == [])
    #expect(warnings(minimal + "colour: blue\n") == [error("colour", 5, "unknown key; known keys are config, contract, deployment, description, edges, metadata, name, nodes, sidecars, triggers, version")])
}

@Test func aMisspeltKeyWarnsWithTheKeyItMostLikelyMeant() {
    let yaml = minimal.replacingOccurrences(of: "  fetch: nodes/fetch.ts\n", with: "  fetch:\n    path: nodes/fetch.ts\n    capabilites: {}\n")
    #expect(errors(yaml) == [])
    #expect(warnings(yaml) == [error("nodes.fetch.capabilites", 6, "unknown key; did you mean capabilities?")])
    #expect(warnings(minimal + "descripton: x\n") == [error("descripton", 5, "unknown key; did you mean description?")])
}

@Test func requiresNameVersionAndNodes() {
    #expect(errors("description: nothing else\n") == [
        error("name", nil, "required: a kebab-case name such as `hello-world`"),
        error("version", nil, "required: such as `1.0` or `1.0.0`"),
        error("nodes", nil, "required: a mapping of node id to file, such as `fetch: nodes/fetch.ts`"),
    ])
}

// MARK: - name

@Test func rejectsANameThatIsNotKebabCase() {
    #expect(errors(minimal.replacingOccurrences(of: "name: hello", with: "name: Hello_World")) == [
        error("name", 1, "'Hello_World' is not kebab-case: \(kebabHint)"),
    ])
}

@Test func rejectsANameStartingWithADigit() {
    #expect(errors(minimal.replacingOccurrences(of: "name: hello", with: "name: 1st-flow")) == [
        error("name", 1, "'1st-flow' must start with a letter: it is also the Service name (a DNS-1035 label)"),
    ])
}

@Test func rejectsANameThatIsNotAString() {
    #expect(errors(minimal.replacingOccurrences(of: "name: hello", with: "name: 42")) == [
        error("name", 1, "expected a string, got the number 42"),
    ])
}

@Test func acceptsANameOf63CharactersWithoutCronTriggers() throws {
    let name = String(repeating: "a", count: 63)
    let spec = try WorkflowSpec.parse(minimal.replacingOccurrences(of: "name: hello", with: "name: \(name)"), file: "workflow.yaml")
    #expect(spec.name == name)
}

@Test func rejectsANameLongerThanAServiceName() {
    let name = String(repeating: "a", count: 64)
    #expect(errors(minimal.replacingOccurrences(of: "name: hello", with: "name: \(name)")) == [
        error("name", 1, "too long: the Service name '\(name)' would be 64 characters (at most 63)"),
    ])
}

/// Lines 1-2 name and version, 3-7 `count` cron triggers from line 4, then the nodes.
private func withCronTriggers(name: String, count: Int) -> String {
    "name: \(name)\nversion: 1.0\ntriggers:\n"
        + String(repeating: "  - type: cron\n    schedule: '@daily'\n", count: count)
        + "nodes:\n  fetch: nodes/fetch.ts\n"
}

@Test func acceptsANameWhoseCronJobNameIsExactly52Characters() throws {
    let name = String(repeating: "a", count: 45)
    let spec = try WorkflowSpec.parse(withCronTriggers(name: name, count: 1), file: "workflow.yaml")
    #expect(spec.cronJobNames == ["\(name)-cron-1"])
    #expect(spec.cronJobNames[0].count == 52)
}

@Test func rejectsANameWhoseCronJobNameWouldBe53Characters() {
    let name = String(repeating: "a", count: 46)
    #expect(errors(withCronTriggers(name: name, count: 1)) == [
        error("name", 1, "too long: the CronJob name '\(name)-cron-1' would be 53 characters (at most 52); "
            + "with a cron trigger the name can have at most 45"),
    ])
}

@Test func numberedCronJobNamesLeaveRoomFor45CharactersUpToNineTriggers() throws {
    let fits = String(repeating: "a", count: 45)
    #expect(try WorkflowSpec.parse(withCronTriggers(name: fits, count: 2), file: "workflow.yaml").cronJobNames
        == ["\(fits)-cron-1", "\(fits)-cron-2"])
    let tooLong = String(repeating: "a", count: 46)
    #expect(errors(withCronTriggers(name: tooLong, count: 2)) == [
        error("name", 1, "too long: the CronJob name '\(tooLong)-cron-1' of triggers[0] would be 53 characters "
            + "(at most 52); the name can have at most 45"),
        error("name", 1, "too long: the CronJob name '\(tooLong)-cron-2' of triggers[1] would be 53 characters "
            + "(at most 52); the name can have at most 45"),
    ])
}

@Test func countsACronTriggerWithABadScheduleTowardsTheCronJobName() {
    let name = String(repeating: "a", count: 46)
    let yaml = withCronTriggers(name: name, count: 1).replacingOccurrences(of: "'@daily'", with: "'@often'")
    #expect(errors(yaml) == [
        error("triggers[0].schedule", 5, "'@often' is not a valid schedule: unrecognized descriptor: @often"),
        error("name", 1, "too long: the CronJob name '\(name)-cron-1' would be 53 characters (at most 52); "
            + "with a cron trigger the name can have at most 45"),
    ])
}

@Test func derivesObjectNamesFromTheWorkflowNameThroughManifests() {
    var spec = WorkflowSpec(name: "hello", version: "1.0", nodes: [Node(id: "fetch", path: "nodes/fetch.ts")])
    #expect([Manifests.codeConfigMapName(spec.name), Manifests.secretName(spec.name)] == ["hello-code", "hello-secrets"])
    #expect(spec.cronJobNames == [])
    spec.triggers = [Trigger(kind: .manual), Trigger(kind: .cron, schedule: "@daily")]
    #expect(spec.cronJobNames == ["hello-cron-1"])
    spec.triggers.append(Trigger(kind: .cron, schedule: "@hourly"))
    #expect(spec.cronJobNames == ["hello-cron-1", "hello-cron-2"])
}

@Test func aNamedCronTriggerWhoseCronJobNameIsTooLongIsNamedInTheError() {
    let yaml = "name: reports\nversion: 1.0\ntriggers:\n  - {type: cron, schedule: '@daily', name: nightly}\n"
        + "  - {type: cron, schedule: '@weekly', name: \(String(repeating: "w", count: 40))}\nnodes:\n  fetch: nodes/fetch.ts\n"
    let long = "reports-cron-" + String(repeating: "w", count: 40)
    #expect(errors(yaml) == [
        error("triggers[1].name", 5, "too long: the CronJob name '\(long)' would be 53 characters (at most 52); "
            + "shorten the trigger name '\(String(repeating: "w", count: 40))' by 1, or the workflow name"),
    ])
}

@Test func cronJobNamesThatWouldCollideAreRefused() {
    let yaml = "name: hello\nversion: 1.0\ntriggers:\n  - {type: cron, schedule: '@daily', name: '2'}\n"
        + "  - {type: cron, schedule: '@weekly'}\nnodes:\n  fetch: nodes/fetch.ts\n"
    #expect(errors(yaml) == [
        error("triggers[1]", 5, "the CronJob name 'hello-cron-2' is also that of triggers[0]; rename one of the triggers"),
    ])
}

@Test func configExpandsAnchorsAndAliases() throws {
    let yaml = minimal + "config:\n  base: &base {retries: 3}\n  fetch: *base\n"
    let spec = try WorkflowSpec.parse(yaml, file: "workflow.yaml")
    #expect(spec.config == .object(["base": .object(["retries": .int(3)]), "fetch": .object(["retries": .int(3)])]))
}

// MARK: - version

@Test func keepsAnUnquotedNumericVersionExactlyAsWritten() throws {
    // YAML reads both as floats; 1.10 would become 1.1.
    #expect(try WorkflowSpec.parse(minimal, file: "workflow.yaml").version == "1.0")
    let yaml = minimal.replacingOccurrences(of: "version: 1.0", with: "version: 1.10")
    #expect(try WorkflowSpec.parse(yaml, file: "workflow.yaml").version == "1.10")
}

@Test func acceptsAQuotedVersion() throws {
    let yaml = minimal.replacingOccurrences(of: "version: 1.0", with: "version: \"2.3.4\"")
    #expect(try WorkflowSpec.parse(yaml, file: "workflow.yaml").version == "2.3.4")
}

@Test(arguments: ["1", "v1", "1.0.0.0", "1.x", "1..0", "1_0.0"])
func rejectsAVersionThatIsNotMajorMinorOrMajorMinorPatch(version: String) {
    #expect(errors(minimal.replacingOccurrences(of: "version: 1.0", with: "version: \(version)")) == [
        error("version", 2, "'\(version)' is not MAJOR.MINOR or MAJOR.MINOR.PATCH (digits only), such as 1.0 or 1.0.0"),
    ])
}

@Test func rejectsAnEmptyVersion() {
    #expect(errors(minimal.replacingOccurrences(of: "version: 1.0", with: "version:")) == [
        error("version", 2, "must not be empty; use MAJOR.MINOR or MAJOR.MINOR.PATCH, such as 1.0 or 1.0.0"),
    ])
}

// MARK: - description

@Test func rejectsADescriptionThatIsNotAString() {
    #expect(errors(minimal + "description: 42\n") == [error("description", 5, "expected a string, got the number 42")])
}

// MARK: - triggers

@Test func rejectsAnUnknownTriggerType() {
    #expect(errors(minimal + "triggers:\n  - type: email\n") == [
        error("triggers[0].type", 6, "unknown trigger type 'email'; expected one of manual, cron, webhook, queue"),
    ])
}

@Test func requiresATriggerType() {
    #expect(errors(minimal + "triggers:\n  - name: nightly\n") == [
        error("triggers[0].type", 6, "required: one of manual, cron, webhook, queue"),
    ])
}

@Test(arguments: [("cron", "schedule"), ("webhook", "path"), ("queue", "subject")])
func requiresTheSettingItsTypeNeeds(type: String, key: String) {
    // A webhook needs a path or a provider, and says so.
    let message = type == "webhook" ? "required for webhook triggers: a path such as /hooks/orders, or a provider"
        : "required for \(type) triggers"
    #expect(errors(minimal + "triggers:\n  - name: first\n  - type: \(type)\n") == [
        error("triggers[0].type", 6, "required: one of manual, cron, webhook, queue"),
        error("triggers[1].\(key)", 7, message),
    ])
}

@Test func rejectsASettingThatBelongsToAnotherTriggerType() {
    #expect(errors(minimal + "triggers:\n  - type: webhook\n    schedule: '@daily'\n    path: /run\n") == [
        error("triggers[0].schedule", 7, "only cron triggers take a schedule; this one is webhook"),
    ])
}

@Test func warnsAboutUnknownTriggerKeys() {
    #expect(errors(minimal + "triggers:\n  - type: manual\n    method: POST\n") == [])
    #expect(warnings(minimal + "triggers:\n  - type: manual\n    method: POST\n") == [
        error("triggers[0].method", 7, "unknown key; \(knownTriggerKeys)"),
    ])
}

@Test func rejectsATriggerThatIsNotAMapping() {
    #expect(errors(minimal + "triggers:\n  - manual\n") == [
        error("triggers[0]", 6, "expected a mapping with a type (manual, cron, webhook, queue), got 'manual'"),
    ])
}

@Test func rejectsDuplicateTriggerNames() {
    let yaml = minimal + """
        triggers:
          - {type: manual, name: run}
          - {type: webhook, name: hook, path: /run}
          - {type: cron, name: run, schedule: '@daily'}

        """
    #expect(errors(yaml) == [error("triggers[2].name", 8, "duplicate trigger name 'run'; triggers[0] has it too")])
}

@Test func rejectsATriggerNameThatIsNotKebabCase() {
    #expect(errors(minimal + "triggers:\n  - {type: manual, name: Run_Now}\n") == [
        error("triggers[0].name", 6, "'Run_Now' is not kebab-case: \(kebabHint)"),
    ])
}

@Test func rejectsAWebhookPathWithoutLeadingSlash() {
    #expect(errors(minimal + "triggers:\n  - type: webhook\n    path: hooks/github\n") == [
        error("triggers[0].path", 7, "'hooks/github' must start with '/'"),
    ])
}

@Test func rejectsAnEmptyQueueSubject() {
    #expect(errors(minimal + "triggers:\n  - type: queue\n    subject: ' '\n") == [
        error("triggers[0].subject", 7, "must not be empty"),
    ])
}

// Schedules: see CronScheduleTests.swift (the API server's rules and messages).

// MARK: - nodes

@Test func acceptsNodesAsAPathOrAMappingWithAPath() throws {
    let yaml = "name: hello\nversion: 1.0\nnodes:\n  fetch: nodes/fetch.ts\n  store:\n    path: nodes/store.ts\n"
    #expect(try WorkflowSpec.parse(yaml, file: "workflow.yaml").nodes == [
        Node(id: "fetch", path: "nodes/fetch.ts", line: 4),
        Node(id: "store", path: "nodes/store.ts", line: 5),
    ])
}

@Test func rejectsAnEmptyNodesMapping() {
    #expect(errors("name: hello\nversion: 1.0\nnodes: {}\n") == [
        error("nodes", 3, "must define at least one node, such as `fetch: nodes/fetch.ts`"),
    ])
}

@Test func rejectsInvalidNodeIDs() {
    #expect(errors(minimal + "  2fetch: nodes/a.ts\n  fetch.all: nodes/b.ts\n") == [
        error("nodes.2fetch", 5, "invalid node id: use letters, digits, '_' and '-', starting with a letter or '_'"),
        error("nodes.fetch.all", 6, "invalid node id: use letters, digits, '_' and '-', starting with a letter or '_'"),
    ])
}

@Test(arguments: [
    ("/srv/fetch.ts", "'/srv/fetch.ts' must be relative to the workflow directory, not start with '/'"),
    ("nodes/../../fetch.ts", "'nodes/../../fetch.ts' must stay inside the workflow directory (no '..')"),
    ("nodes\\\\fetch.ts", "'nodes\\fetch.ts' contains a backslash; separate directories with '/'"),
])
func rejectsANodePathOutsideTheWorkflowDirectory(path: String, message: String) {
    #expect(errors(minimal + "  store: \"\(path)\"\n") == [error("nodes.store", 5, message)])
}

@Test func rejectsANodeMappingWithoutAPathOrWithUnknownKeys() {
    #expect(errors(minimal + "  store:\n    file: nodes/store.ts\n") == [
        error("nodes.store.path", 6, "required: the node's file, such as nodes/fetch.ts"),
    ])
    #expect(warnings(minimal + "  store:\n    file: nodes/store.ts\n") == [
        error("nodes.store.file", 6, "unknown key; known keys are capabilities, description, path"),
    ])
}

@Test func rejectsANodeWithoutAFile() {
    #expect(errors(minimal + "  store:\n") == [
        error("nodes.store", 5, "must not be empty: give the node's file, such as nodes/fetch.ts"),
    ])
}

// MARK: - edges

@Test func rejectsEdgesToUndefinedNodes() {
    #expect(errors(withEdges("  - {from: a, to: d}\n  - {from: e, to: b}\n")) == [
        error("edges[0].to", 8, "'d' is not a defined node; defined nodes are a, b, c"),
        error("edges[1].from", 9, "'e' is not a defined node; defined nodes are a, b, c"),
    ])
}

@Test func rejectsAnEdgeFromANodeToItself() {
    #expect(errors(withEdges("  - {from: a, to: a}\n")) == [error("edges[0]", 8, "node 'a' has an edge to itself")])
}

@Test func rejectsDuplicateEdges() {
    #expect(errors(withEdges("  - {from: a, to: b}\n  - {from: b, to: c}\n  - {from: a, to: b}\n")) == [
        error("edges[2]", 10, "duplicate of edges[0] (a -> b)"),
    ])
}

@Test func rejectsAnEdgeWithMissingOrUnknownKeys() {
    #expect(errors(withEdges("  - from: a\n    into: b\n")) == [error("edges[0].to", 8, "required: a node id")])
    #expect(warnings(withEdges("  - from: a\n    into: b\n")) == [error("edges[0].into", 9, "unknown key; known keys are from, to")])
}

@Test func reportsACycleWithItsPath() {
    #expect(errors(withEdges("  - {from: a, to: b}\n  - {from: b, to: c}\n  - {from: c, to: a}\n")) == [
        error("edges[0]", 8, "edges form a cycle: a -> b -> c -> a"),
    ])
}

@Test func reportsEachGroupOfCyclicNodesOnceByItsShortestCycle() {
    let yaml = """
        name: hello
        version: 1.0
        nodes: {a: nodes/a.ts, b: nodes/b.ts, c: nodes/c.ts, d: nodes/d.ts, e: nodes/e.ts}
        edges:
          - {from: a, to: b}
          - {from: b, to: c}
          - {from: c, to: a}
          - {from: c, to: b}
          - {from: d, to: e}
          - {from: e, to: d}

        """
    #expect(errors(yaml) == [
        error("edges[0]", 5, "edges form a cycle: a -> b -> c -> a"),
        error("edges[4]", 9, "edges form a cycle: d -> e -> d"),
    ])
}

// MARK: - config

@Test func convertsConfigToJSONThatEncodesDeterministically() throws {
    let yaml = minimal + "config:\n  zeta: [1, 2.5, '3', 0x10, yes]\n  alpha: {nested: ~}\n"
    let config = try #require(try WorkflowSpec.parse(yaml, file: "workflow.yaml").config)
    #expect(config == .object([
        "zeta": .array([.int(1), .double(2.5), .string("3"), .int(16), .bool(true)]),
        "alpha": .object(["nested": .null]),
    ]))
    let encoder = JSONEncoder()
    encoder.outputFormatting = .sortedKeys
    let json = String(decoding: try encoder.encode(config), as: UTF8.self)
    #expect(json == #"{"alpha":{"nested":null},"zeta":[1,2.5,"3",16,true]}"#)
    #expect(try JSONDecoder().decode(JSONValue.self, from: Data(json.utf8)) == config)
}

@Test func rejectsConfigNumbersJSONCannotHold() {
    #expect(errors(minimal + "config:\n  limits: [.inf]\n") == [
        error("config.limits[0]", 6, ".inf has no JSON representation; quote it to keep it as a string"),
    ])
}

// MARK: - deployment

@Test func readsTheDeploymentNamespace() throws {
    #expect(try WorkflowSpec.parse(minimal + "deployment:\n  namespace: team-a\n", file: "workflow.yaml").namespace == "team-a")
}

@Test func rejectsANamespaceThatIsNotADNSLabel() {
    #expect(errors(minimal + "deployment:\n  namespace: Team_A\n") == [
        error("deployment.namespace", 6, "'Team_A' is not a valid namespace (a DNS-1123 label): \(kebabHint)"),
    ])
}

@Test func rejectsANamespaceLongerThan63Characters() {
    let namespace = String(repeating: "n", count: 64)
    #expect(errors(minimal + "deployment:\n  namespace: \(namespace)\n") == [
        error("deployment.namespace", 6, "too long: 64 characters (at most 63)"),
    ])
}

@Test func warnsAboutUnknownDeploymentKeys() {
    #expect(errors(minimal + "deployment:\n  replicas: 2\n") == [])
    #expect(warnings(minimal + "deployment:\n  replicas: 2\n") == [
        error("deployment.replicas", 6, "unknown key; known keys are namespace"),
    ])
}

// MARK: - Reporting

@Test func reportsEveryErrorAtOnceInDocumentOrderThenCrossFieldChecks() {
    let yaml = """
        edges:
          - {from: a, to: ghost}
        name: Hello
        version: v1
        triggers:
          - type: cron
        nodes:
          a: nodes/a.ts
          b: ../b.ts
        colour: blue

        """
    #expect(errors(yaml) == [
        error("name", 3, "'Hello' is not kebab-case: \(kebabHint)"),
        error("version", 4, "'v1' is not MAJOR.MINOR or MAJOR.MINOR.PATCH (digits only), such as 1.0 or 1.0.0"),
        error("triggers[0].schedule", 6, "required for cron triggers"),
        error("nodes.b", 9, "'../b.ts' must stay inside the workflow directory (no '..')"),
        error("edges[0].to", 2, "'ghost' is not a defined node; defined nodes are a, b"),
    ])
    #expect(warnings(yaml) == [error("colour", 10, "unknown key; known keys are config, contract, deployment, description, edges, metadata, name, nodes, sidecars, triggers, version")])
}

@Test func describesErrorsAsFileLineFieldMessage() {
    let errors = SpecErrors([
        SpecError(file: "flows/hello/workflow.yaml", field: "triggers[1].schedule", line: 12, message: "bad"),
        SpecError(file: "workflow.yaml", field: "nodes", line: nil, message: "required"),
        SpecError(file: "workflow.yaml", field: "", line: 2, column: 10, message: "invalid YAML"),
    ])
    #expect(errors.description == """
        flows/hello/workflow.yaml:12: triggers[1].schedule: bad
        workflow.yaml: nodes: required
        workflow.yaml:2:10: invalid YAML
        """)
}

// MARK: - Node paths against the commit

/// Nodes on lines 4-9 of workflow.yaml, checked against a commit holding `files`, of which
/// `nodes/fetch.ts` and `nodes/lib/util.ts` are bundled.
private func nodePathErrors(_ nodes: String) throws -> [SpecError] {
    let spec = try WorkflowSpec.parse("name: hello\nversion: 1.0\nnodes:\n" + nodes, file: "workflow.yaml")
    let files: Set = ["workflow.yaml", "nodes/fetch.ts", "nodes/lib/util.ts", "README.md", "nodes/run.sh", "nodes/.wip/x.ts"]
    return spec.checkNodePaths(
        allPaths: files, bundledPaths: ["workflow.yaml", "nodes/fetch.ts", "nodes/lib/util.ts"], file: "workflow.yaml")
}

@Test func acceptsNodePathsThatAreBundled() throws {
    #expect(try nodePathErrors("  fetch: nodes/fetch.ts\n  util: ./nodes/lib/util.ts\n") == [])
}

@Test func rejectsANodePathMissingFromTheCommit() throws {
    #expect(try nodePathErrors("  gone: nodes/gone.ts\n") == [
        error("nodes.gone", 4, "'nodes/gone.ts' does not exist in the commit"),
    ])
}

@Test func rejectsANodePathThatIsADirectory() throws {
    #expect(try nodePathErrors("  lib: nodes/lib\n") == [error("nodes.lib", 4, "'nodes/lib' is a directory; a node is a single file")])
}

@Test func rejectsNodePathsThatWouldNotBeShippedSayingWhy() throws {
    #expect(try nodePathErrors("  readme: README.md\n  run: nodes/run.sh\n  wip:\n    path: nodes/.wip/x.ts\n") == [
        error("nodes.readme", 4, "'README.md' would not be shipped: only files under nodes/ are bundled"),
        error("nodes.run", 5, "'nodes/run.sh' would not be shipped: only .ts, .json, .yaml and .yml files are bundled"),
        error("nodes.wip", 6, "'nodes/.wip/x.ts' would not be shipped: hidden files and directories (starting with '.') are never bundled"),
    ])
}
