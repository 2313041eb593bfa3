import Foundation
import Testing
import Yams

@testable import Deploy
import WorkflowBundle

// MARK: - Fixtures

private let sha = "0123456789abcdef0123456789abcdef01234567"

private func sampleInput(
    runtimeClassName: String? = "gvisor",
    cronJobs: [CronJobInput] = [CronJobInput(name: "hello-cron", triggerName: "nightly", schedule: "0 3 * * *")]
) -> ManifestInput {
    ManifestInput(
        name: "hello",
        namespace: "team-a",
        image: "registry.example/pipedreamer-engine:1.2.0",
        runtimeClassName: runtimeClassName,
        commit: sha,
        files: [
            BundledFile(path: "workflow.yaml", key: "workflow.yaml", content: "name: hello\nversion: 1.0\n"),
            BundledFile(path: "nodes/fetch.ts", key: "nodes_fetch.ts", content: "export default 1;\n"),
        ],
        cronJobs: cronJobs
    )
}

/// Strings that emitters and YAML 1.1 readers get wrong, by what each tests.
private let stressStrings: [(String, String)] = [
    ("crlf", "line one\r\nline two\r\n"),
    ("first line indented by spaces", "    indented\nnext\n"),
    ("first line indented by a tab", "\tindented\nnext\n"),
    ("no trailing newline", "a\nb"),
    ("several trailing newlines", "a\nb\n\n\n"),
    ("document markers as lines", "---\n...\n--- x\n... y\n"),
    ("document markers alone", "---"),
    ("utf-8 bom", "\u{FEFF}export const x = 1;\n"),
    ("non-ascii", "// café, naïve, 日本語\nconst s = \"ü\";\n"),
    ("non-bmp", "// party 🎉\n"),
    ("long line", String(repeating: "abcdefghi ", count: 1_100) + "\nend\n"),
    ("long single line", String(repeating: "x y ", count: 3_000)),
    ("trailing spaces on a line", "a  \nb\n"),
    ("trailing space at end", "a\nb "),
    ("tab inside", "a\tb\nc\n"),
    ("lone cr", "a\rb"),
    ("nel, line and paragraph separators", "a\u{85}b\u{2028}c\u{2029}d\n"),
    ("nul", "a\u{0}b"),
    ("only a newline", "\n"),
    ("only newlines", "\n\n"),
    ("leading newline", "\nabc\n"),
    ("indentation grows", "a\n  b\n    c\n"),
    ("yaml syntax in text", "key: value # not a comment\n- item\n? k\n"),
    ("quotes and backslash", "'single' \"double\" \\back"),
    ("yes", "yes"), ("on", "on"), ("no", "no"), ("Off", "Off"), ("y", "y"), ("N", "N"),
    ("true", "true"), ("tilde", "~"), ("null", "null"), ("NULL", "NULL"),
    ("float", "1.0"), ("hex", "0x1F"), ("upper hex", "0X1F"), ("exponent", "1e3"), ("octal", "012"),
    ("signed dot float", "+.5"), ("infinity", ".inf"), ("negative", "-1"), ("underscore int", "1_000"),
    ("all-digit sha", "1234567890123456789012345678901234567890"),
    ("date", "2024-01-01"), ("sexagesimal", "1:20"), ("merge key", "<<"), ("value key", "="),
    ("empty", ""), ("space", " "), ("leading space", " abc"), ("trailing space", "abc "),
    ("comment start", "#x"), ("flow start", "[a]"), ("mapping start", "{a}"), ("anchor", "&a"),
    ("alias", "*a"), ("tag", "!a"), ("block indicator", "|"), ("colon", ": x"), ("dash", "- x"),
    ("percent", "%x"), ("backtick", "`x"), ("at", "@x"),
]

/// A ConfigMap whose data keys and values are all the stress strings.
private func stressConfigMap() -> ConfigMap {
    var data: [String: String] = [:]
    for (index, (_, value)) in stressStrings.enumerated() {
        data[String(format: "value-%02d", index)] = value
        data[value] = "key-\(index)"
    }
    return ConfigMap(metadata: ObjectMeta(name: "stress", annotations: ["note": "1.0"]), data: data)
}

private func expectedStressData() -> [String: String] {
    stressConfigMap().data!
}

// MARK: - Helpers

private struct ProcessResult {
    let status: Int32
    let stdout: Data
    let stderr: String
}

private func temporaryFile(_ contents: String) throws -> URL {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("manifest-tests-\(UUID().uuidString).txt")
    try Data(contents.utf8).write(to: url)
    return url
}

/// Runs a program found on PATH; output goes through files so large outputs cannot block on a pipe.
private func run(_ arguments: [String], stdin: URL? = nil) throws -> ProcessResult {
    let out = try temporaryFile("")
    let err = try temporaryFile("")
    defer {
        try? FileManager.default.removeItem(at: out)
        try? FileManager.default.removeItem(at: err)
    }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    process.standardOutput = try FileHandle(forWritingTo: out)
    process.standardError = try FileHandle(forWritingTo: err)
    if let stdin { process.standardInput = try FileHandle(forReadingFrom: stdin) }
    try process.run()
    process.waitUntilExit()
    return ProcessResult(
        status: process.terminationStatus,
        stdout: try Data(contentsOf: out),
        stderr: String(decoding: try Data(contentsOf: err), as: UTF8.self)
    )
}

private func isOnPath(_ program: String) -> Bool {
    (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").contains {
        FileManager.default.isExecutableFile(atPath: "\($0)/\(program)")
    }
}

private let hasPyYAML: Bool = {
    guard isOnPath("python3"), let result = try? run(["python3", "-c", "import yaml"]) else { return false }
    return result.status == 0
}()

/// Names of the stress strings not read back byte for byte, as value or as key.
/// Bytes, because Swift's `==` on String is canonical equivalence, not byte equality.
private func mismatches(_ read: [String: String]) -> [String] {
    let byBytes = Dictionary(read.map { (Array($0.key.utf8), Array($0.value.utf8)) }) { first, _ in first }
    var names: [String] = []
    for (index, (name, value)) in stressStrings.enumerated() {
        if byBytes[Array(String(format: "value-%02d", index).utf8)] != Array(value.utf8) { names.append(name) }
        if byBytes[Array(value.utf8)] != Array("key-\(index)".utf8) { names.append("key: \(name)") }
    }
    if read.count != expectedStressData().count { names.append("count \(read.count)") }
    return names
}

private func isString(_ node: Yams.Node) -> Bool {
    node.tag.rawValue == Tag.Name.str.rawValue
}

/// `data` of the first document, as Yams reads it; nil if any key or value is not a string.
private func yamsData(_ yaml: String) throws -> [String: String]? {
    guard let document = try Yams.compose_all(yaml: yaml).first(where: { _ in true }),
          let data = document["data"]?.mapping else { return nil }
    var result: [String: String] = [:]
    for (key, value) in data {
        guard isString(key), isString(value), let keyString = key.string, let valueString = value.string
        else { return nil }
        result[keyString] = valueString
    }
    return result
}

/// Every document as the pure-Python PyYAML loader reads it, re-encoded as JSON; fails on non-string data.
private let pyYAMLToJSON = """
import json, sys, yaml
docs = list(yaml.load_all(open(sys.argv[1], 'rb'), Loader=yaml.SafeLoader))
for doc in docs:
    for k, v in (doc.get('data') or {}).items():
        if not isinstance(k, str) or not isinstance(v, str):
            sys.exit('not a string: %r: %r' % (k, v))
json.dump(docs, sys.stdout, ensure_ascii=True, sort_keys=True)
"""

/// kubectl prints one JSON object per document; this turns them into one JSON array.
private let concatenatedJSONToArray = """
import json, sys
text, decoder, items, i = sys.stdin.read(), json.JSONDecoder(), [], 0
while text[i:].strip():
    while text[i].isspace(): i += 1
    item, i = decoder.raw_decode(text, i)
    items.append(item)
json.dump(items, sys.stdout, ensure_ascii=True)
"""

private func jsonArray(_ data: Data) throws -> [[String: Any]] {
    try #require(JSONSerialization.jsonObject(with: data) as? [[String: Any]])
}

private func items(ofJSON json: String) throws -> [[String: Any]] {
    let list = try #require(JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
    return try #require(list["items"] as? [[String: Any]])
}

// MARK: - Objects

@Test func buildReturnsConfigMapDeploymentServiceThenCronJobsInOrder() {
    let input = sampleInput(cronJobs: [
        CronJobInput(name: "hello-cron-0", schedule: "0 * * * *"),
        CronJobInput(name: "hello-cron-1", schedule: "30 * * * *"),
    ])
    let objects = Manifests.build(input)
    #expect(objects.map { "\($0.kind)/\($0.metadata.name ?? "")" } == [
        "ConfigMap/hello-code", "Deployment/hello", "Service/hello",
        "CronJob/hello-cron-0", "CronJob/hello-cron-1",
    ])
    #expect(objects.map(\.apiVersion) == ["v1", "apps/v1", "v1", "batch/v1", "batch/v1"])
    #expect(objects.allSatisfy { $0.metadata.namespace == "team-a" })
}

@Test func configMapHoldsEachFileUnderItsKeyAndTheCodeCommit() throws {
    guard case .configMap(let configMap) = Manifests.build(sampleInput())[0] else {
        Issue.record("first object is not a ConfigMap")
        return
    }
    #expect(configMap.data == ["workflow.yaml": "name: hello\nversion: 1.0\n", "nodes_fetch.ts": "export default 1;\n"])
    #expect(configMap.metadata.annotations == ["pipedreamer.dev/code-commit": sha])
}

@Test func theCodeCommitStampsTheTemplateAndTheConfigMapWhileTheDeploymentRecordsTheDeployedCommit() throws {
    var input = sampleInput()
    let code = String(repeating: "c", count: 40)
    input.codeCommit = code
    let objects = Manifests.build(input)
    guard case .configMap(let configMap) = objects[0], case .deployment(let deployment) = objects[1] else {
        Issue.record("unexpected objects")
        return
    }
    #expect(configMap.metadata.annotations == ["pipedreamer.dev/code-commit": code])
    #expect(deployment.metadata.annotations == ["pipedreamer.dev/commit": sha, "pipedreamer.dev/code-commit": code])
    #expect(deployment.spec.template.metadata?.annotations == ["kubectl.kubernetes.io/restartedAt": code])
}

private func deployment(_ input: ManifestInput = sampleInput()) throws -> Deployment {
    guard case .deployment(let deployment) = Manifests.build(input)[1] else {
        throw ManifestTestError.unexpectedObject
    }
    return deployment
}

private enum ManifestTestError: Error { case unexpectedObject }

@Test func deploymentEngineHasNoCommandAndNoArgs() throws {
    let containers = try deployment().spec.template.spec.containers
    #expect(containers.map(\.name) == ["engine"])
    #expect(containers[0].command == nil)
    #expect(containers[0].args == nil)
    let yaml = try ManifestWriter.yaml([.deployment(try deployment())])
    #expect(!yaml.contains("command"))
    #expect(!yaml.contains("args"))
}

@Test func deploymentCodeVolumeListsEachKeyWithItsPathInFileOrder() throws {
    let code = try #require(try deployment().spec.template.spec.volumes?.first)
    #expect(code == Volume(name: "code", configMap: ConfigMapVolumeSource(name: "hello-code", items: [
        KeyToPath(key: "workflow.yaml", path: "workflow.yaml"),
        KeyToPath(key: "nodes_fetch.ts", path: "nodes/fetch.ts"),
    ])))
}

@Test func deploymentVolumesAndMountsAreCodeSecretsAndTmp() throws {
    let spec = try deployment().spec.template.spec
    #expect(spec.volumes?.map(\.name) == ["code", "secrets", "tmp"])
    #expect(spec.volumes?[1].secret == SecretVolumeSource(secretName: "hello-secrets", optional: true))
    #expect(spec.volumes?[2].emptyDir == EmptyDirVolumeSource())
    #expect(spec.containers[0].volumeMounts == [
        VolumeMount(name: "code", mountPath: "/app/workflow", readOnly: true),
        VolumeMount(name: "secrets", mountPath: "/app/secrets", readOnly: true),
        VolumeMount(name: "tmp", mountPath: "/tmp"),
    ])
}

@Test func deploymentRunsAsNobodyWithEverythingDropped() throws {
    let spec = try deployment().spec.template.spec
    #expect(spec.securityContext == PodSecurityContext(
        runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534, fsGroup: 65534, seccompProfile: .runtimeDefault))
    #expect(spec.containers[0].securityContext == SecurityContext(
        allowPrivilegeEscalation: false, capabilities: Capabilities(drop: ["ALL"]),
        readOnlyRootFilesystem: true, runAsNonRoot: true))
    #expect(spec.containers[0].resources == ResourceRequirements(
        requests: ["cpu": "100m", "memory": "128Mi"], limits: ["cpu": "1", "memory": "512Mi"]))
}

@Test func deploymentProbesHealthOnPort8080() throws {
    let engine = try deployment().spec.template.spec.containers[0]
    let probe = Probe(httpGet: HTTPGetAction(path: "/health", port: 8080))
    #expect(engine.livenessProbe == probe)
    #expect(engine.readinessProbe == probe)
    #expect(engine.ports == [ContainerPort(name: "http", containerPort: 8080, protocol: "TCP")])
}

@Test func deploymentCarriesCommitAndRestartStamp() throws {
    let deployment = try deployment()
    #expect(deployment.spec.replicas == 1)
    #expect(deployment.metadata.annotations == ["pipedreamer.dev/commit": sha, "pipedreamer.dev/code-commit": sha])
    #expect(deployment.spec.template.metadata?.annotations == ["kubectl.kubernetes.io/restartedAt": sha])
}

@Test func runtimeClassIsOmittedWhenNil() throws {
    #expect(try deployment().spec.template.spec.runtimeClassName == "gvisor")
    let yaml = try ManifestWriter.yaml([.deployment(try deployment(sampleInput(runtimeClassName: nil)))])
    #expect(!yaml.contains("runtimeClassName"))
}

@Test func deploymentAndServiceSelectOnlyEnginePods() throws {
    let objects = Manifests.build(sampleInput())
    let selector = ["app.kubernetes.io/name": "hello", "app.kubernetes.io/component": "engine"]
    guard case .deployment(let deployment) = objects[1], case .service(let service) = objects[2],
          case .cronJob(let cronJob) = objects[3] else {
        Issue.record("unexpected object order")
        return
    }
    #expect(deployment.spec.selector.matchLabels == selector)
    #expect(service.spec.selector == selector)
    #expect(service.spec.type == "ClusterIP")
    #expect(service.spec.ports == [ServicePort(name: "http", port: 8080, targetPort: 8080, protocol: "TCP")])
    #expect(cronJob.spec.jobTemplate.spec.template.metadata?.labels?["app.kubernetes.io/component"] == "trigger")
}

@Test func everyObjectAndPodTemplateCarriesNameAndManagedByLabels() throws {
    let input = sampleInput()
    var labelSets: [[String: String]?] = []
    for object in Manifests.build(input) {
        labelSets.append(object.metadata.labels)
        switch object {
        case .deployment(let deployment):
            labelSets.append(deployment.spec.template.metadata?.labels)
        case .cronJob(let cronJob):
            labelSets.append(cronJob.spec.jobTemplate.metadata?.labels)
            labelSets.append(cronJob.spec.jobTemplate.spec.template.metadata?.labels)
        default:
            break
        }
    }
    labelSets.append(Manifests.secret(name: "hello", namespace: "team-a", data: [:]).metadata.labels)
    #expect(labelSets.count == 8)
    for labels in labelSets {
        #expect(labels?["app.kubernetes.io/name"] == "hello")
        #expect(labels?["app.kubernetes.io/managed-by"] == "pipedreamer")
    }
}

private func triggerCommand(_ triggerName: String?) -> [String]? {
    let input = sampleInput(cronJobs: [CronJobInput(name: "hello-cron", triggerName: triggerName, schedule: "@daily")])
    guard case .cronJob(let cronJob) = Manifests.build(input)[3] else { return nil }
    return cronJob.spec.jobTemplate.spec.template.spec.containers.first?.command
}

/// The Service in the CronJob's own namespace, so nothing in the objects names a namespace.
@Test func unnamedCronTriggerPostsEmptyObjectToTheServiceInItsOwnNamespace() {
    #expect(triggerCommand(nil) == [
        "curl", "-fsS", "-X", "POST", "-H", "Content-Type: application/json", "-d", "{}",
        "http://hello:8080/run",
    ])
}

@Test func cronJobsOfNamedTriggersKeepTheirNamesWhenOtherTriggersComeAndGo() {
    // One trigger or many: a trigger's name depends on that trigger alone.
    #expect(Manifests.cronJobNames("hello", triggerNames: ["nightly"]) == ["hello-cron-nightly"])
    #expect(Manifests.cronJobNames("hello", triggerNames: [nil]) == ["hello-cron-1"])
    #expect(Manifests.cronJobNames("hello", triggerNames: ["nightly", "weekly"]) == ["hello-cron-nightly", "hello-cron-weekly"])
    #expect(Manifests.cronJobNames("hello", triggerNames: [nil, "nightly", "weekly"])
        == ["hello-cron-1", "hello-cron-nightly", "hello-cron-weekly"])
    #expect(Manifests.cronJobNames("hello", triggerNames: [nil, nil]) == ["hello-cron-1", "hello-cron-2"])
}

@Test func objectsWithoutANamespaceCarryNone() {
    var input = sampleInput(cronJobs: [CronJobInput(name: "hello-cron", schedule: "@daily")])
    input.namespace = nil
    #expect(Manifests.build(input).allSatisfy { $0.metadata.namespace == nil })
}

@Test func namedCronTriggerPostsItsNameAsJSON() {
    #expect(triggerCommand("nightly")?[7] == #"{"trigger":"nightly"}"#)
    #expect(triggerCommand(#"say "hi"/\"#)?[7] == #"{"trigger":"say \"hi\"/\\"}"#)
}

@Test func cronJobForbidsOverlapAndKeepsShortHistory() throws {
    guard case .cronJob(let cronJob) = Manifests.build(sampleInput())[3] else {
        Issue.record("fourth object is not a CronJob")
        return
    }
    #expect(cronJob.metadata.name == "hello-cron")
    #expect(cronJob.spec.schedule == "0 3 * * *")
    #expect(cronJob.spec.concurrencyPolicy == "Forbid")
    #expect(cronJob.spec.successfulJobsHistoryLimit == 3)
    #expect(cronJob.spec.failedJobsHistoryLimit == 1)
    #expect(cronJob.spec.jobTemplate.spec.backoffLimit == 2)
    let pod = cronJob.spec.jobTemplate.spec.template.spec
    #expect(pod.restartPolicy == "Never")
    #expect(pod.containers[0].image == "curlimages/curl:8.11.1")
    #expect(pod.securityContext == PodSecurityContext(runAsNonRoot: true, runAsUser: 100, seccompProfile: .runtimeDefault))
    #expect(pod.containers[0].securityContext == SecurityContext(
        allowPrivilegeEscalation: false, capabilities: Capabilities(drop: ["ALL"]),
        readOnlyRootFilesystem: true, runAsNonRoot: true, runAsUser: 100, seccompProfile: .runtimeDefault))
}

@Test func secretIsOpaqueWithBase64Values() {
    let secret = Manifests.secret(name: "hello", namespace: "team-a", data: ["token": Array("s3cr3t".utf8), "bin": [0, 255]])
    #expect(secret.metadata.name == "hello-secrets")
    #expect(secret.metadata.namespace == "team-a")
    #expect(secret.type == "Opaque")
    #expect(secret.data == ["token": "czNjcjN0", "bin": "AP8="])
}

// MARK: - YAML

@Test func yamlStartsEveryDocumentWithMarker() throws {
    let yaml = try ManifestWriter.yaml(Manifests.build(sampleInput()))
    #expect(yaml.hasPrefix("---\n"))
    #expect(yaml.components(separatedBy: "\n").filter { $0 == "---" }.count == 4)
}

@Test func yamlOfSampleIsExactly() throws {
    let input = ManifestInput(
        name: "hi", namespace: "ns", image: "engine:1", runtimeClassName: nil,
        commit: "1234567890123456789012345678901234567890",
        files: [BundledFile(path: "workflow.yaml", key: "workflow.yaml", content: "name: hi\nversion: 1.0\n")]
    )
    let yaml = try ManifestWriter.yaml(Array(Manifests.build(input).prefix(1)))
    #expect(yaml == """
        ---
        apiVersion: v1
        data:
          workflow.yaml: |
            name: hi
            version: 1.0
        kind: ConfigMap
        metadata:
          annotations:
            pipedreamer.dev/code-commit: '1234567890123456789012345678901234567890'
          labels:
            app.kubernetes.io/managed-by: pipedreamer
            app.kubernetes.io/name: hi
          name: hi-code
          namespace: ns

        """)
}

/// The style chosen for each kind of string, as the bytes after `key: `.
@Test(arguments: [
    ("yes", "'yes'"),
    ("y", "'y'"),
    ("0X1F", "'0X1F'"),
    ("", "''"),
    ("plain-text", "plain-text"),
    ("a\nb\n", "|\n    a\n    b"),
    ("a\nb", "|-\n    a\n    b"),
    ("a\n\n", "|+\n    a\n"),
    ("  a\n", "|2\n      a"),
    ("a\r\nb\r\n", #""a\r\nb\r\n""#),
    ("a \nb\n", #""a \nb\n""#),
    ("a\tb\n", #""a\tb\n""#),
    ("\u{FEFF}a\n", #""\uFEFFa\n""#),
    ("é\n", "|\n    é"),
])
func yamlStyleOf(value: String, written: String) throws {
    let yaml = try ManifestWriter.yaml([.configMap(ConfigMap(metadata: ObjectMeta(name: "s"), data: ["key": value]))])
    let start = try #require(yaml.range(of: "  key: "))
    let end = try #require(yaml.range(of: "\nkind:"))
    #expect(String(yaml[start.upperBound..<end.lowerBound]) == written)
}

@Test(arguments: [true, false])
func everyStressStringRoundTripsThroughYams(allowUnicode: Bool) throws {
    let yaml = try ManifestWriter.yaml([.configMap(stressConfigMap())], allowUnicode: allowUnicode)
    let data = try #require(try yamsData(yaml))
    // Yams' parser builds scalars with Foundation's `String(bytes:encoding:)`, which drops a
    // leading BOM: a reader limitation (PyYAML and kubectl read the same bytes back exactly).
    #expect(mismatches(data) == ["utf-8 bom", "key: utf-8 bom"])
}

@Test(.enabled(if: hasPyYAML), arguments: [true, false])
func everyStressStringRoundTripsThroughPyYAML(allowUnicode: Bool) throws {
    let yaml = try ManifestWriter.yaml([.configMap(stressConfigMap())], allowUnicode: allowUnicode)
    let file = try temporaryFile(yaml)
    defer { try? FileManager.default.removeItem(at: file) }
    let result = try run(["python3", "-c", pyYAMLToJSON, file.path])
    #expect(result.status == 0, "\(result.stderr)")
    let documents = try jsonArray(result.stdout)
    let data = try #require(documents.first?["data"] as? [String: String])
    #expect(mismatches(data) == [])
    #expect((documents.first?["metadata"] as? [String: Any])?["annotations"] as? [String: String] == ["note": "1.0"])
}

/// kubectl has no offline `create --dry-run` (it needs the server for discovery), but `label --local`
/// reads whole objects with kubectl's own YAML decoder (YAML 1.1) and prints them back as JSON.
@Test(.enabled(if: isOnPath("kubectl") && isOnPath("python3")))
func kubectlReadsEveryObjectAsItsJSON() throws {
    var input = sampleInput()
    input.files += stressStrings.enumerated().map { index, entry in
        BundledFile(path: "nodes/\(index).ts", key: "k-\(index)", content: entry.1)
    }
    let objects = Manifests.build(input)
    let file = try temporaryFile(try ManifestWriter.yaml(objects))
    defer { try? FileManager.default.removeItem(at: file) }
    let kubectl = try run([
        "kubectl", "label", "--local", "-f", file.path,
        "app.kubernetes.io/managed-by=pipedreamer", "--overwrite", "-o", "json",
    ])
    #expect(kubectl.status == 0, "\(kubectl.stderr)")
    let output = try temporaryFile(String(decoding: kubectl.stdout, as: UTF8.self))
    defer { try? FileManager.default.removeItem(at: output) }
    let parsed = try jsonArray(try run(["python3", "-c", concatenatedJSONToArray], stdin: output).stdout)
    let expected = try items(ofJSON: try ManifestWriter.json(objects))
    #expect(parsed.count == expected.count)
    // Objects compared without `data`, which is compared byte for byte below (NSString equality is not).
    for (read, written) in zip(parsed, expected) {
        #expect(NSDictionary(dictionary: read.filter { $0.key != "data" })
            .isEqual(to: written.filter { $0.key != "data" }), "\(written["kind"] ?? "")")
    }
    let data = try #require(parsed.first?["data"] as? [String: String])
    #expect(data.count == input.files.count)
    let wrong = stressStrings.enumerated().filter { index, entry in
        data["k-\(index)"].map { Array($0.utf8) } != Array(entry.1.utf8)
    }
    #expect(wrong.map(\.element.0) == [])
}

/// Schema validation offline, against the Kubernetes OpenAPI schemas the PyPI package
/// `kubernetes-validate` ships; skipped where it is not installed.
@Test(.enabled(if: isOnPath("kubernetes-validate")))
func everyObjectPassesStrictSchemaValidation() throws {
    let objects = Manifests.build(sampleInput()) + [
        .secret(Manifests.secret(name: "hello", namespace: "team-a", data: ["token": [1, 2, 3]])),
    ]
    let file = try temporaryFile(try ManifestWriter.yaml(objects))
    defer { try? FileManager.default.removeItem(at: file) }
    let result = try run(["kubernetes-validate", "--strict", "--quiet", file.path])
    #expect(result.status == 0, "\(result.stderr)")
}

// MARK: - JSON

@Test func jsonIsAListOfTheObjects() throws {
    let json = try ManifestWriter.json(Manifests.build(sampleInput()))
    let list = try #require(JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
    #expect(list["apiVersion"] as? String == "v1")
    #expect(list["kind"] as? String == "List")
    #expect((list["items"] as? [[String: Any]])?.compactMap { $0["kind"] as? String }
        == ["ConfigMap", "Deployment", "Service", "CronJob"])
}

private struct ListOf<Item: Decodable>: Decodable {
    let items: [Item]
}

@Test func jsonDecodesBackToTheSameObjects() throws {
    let configMap = stressConfigMap()
    let deployment = try deployment()
    let decodedConfigMap = try JSONDecoder().decode(
        ListOf<ConfigMap>.self, from: Data(try ManifestWriter.json([.configMap(configMap)]).utf8))
    let decodedDeployment = try JSONDecoder().decode(
        ListOf<Deployment>.self, from: Data(try ManifestWriter.json([.deployment(deployment)]).utf8))
    #expect(decodedConfigMap.items == [configMap])
    #expect(mismatches(decodedConfigMap.items[0].data ?? [:]) == [])
    #expect(decodedDeployment.items == [deployment])
}

@Test func jsonKeepsSlashesAndEndsWithNewline() throws {
    let json = try ManifestWriter.json([.configMap(ConfigMap(metadata: ObjectMeta(name: "a/b")))])
    #expect(json.contains(#""a/b""#))
    #expect(json.hasSuffix("}\n"))
}

// MARK: - Determinism

@Test func buildingTwiceGivesIdenticalBytes() throws {
    let first = Manifests.build(sampleInput())
    let second = Manifests.build(sampleInput())
    #expect(try ManifestWriter.yaml(first) == ManifestWriter.yaml(second))
    #expect(try ManifestWriter.json(first) == ManifestWriter.json(second))
}

@Test func dictionaryInsertionOrderDoesNotChangeOutput() throws {
    let pairs = (0..<200).map { ("key-\($0)", "value \($0)") }
    var forward: [String: String] = [:]
    for (key, value) in pairs { forward[key] = value }
    var backward: [String: String] = Dictionary(minimumCapacity: 1_000)
    for (key, value) in pairs.reversed() { backward[key] = value }
    let first = [KubeObject.configMap(ConfigMap(metadata: ObjectMeta(name: "c", labels: forward), data: forward))]
    let second = [KubeObject.configMap(ConfigMap(metadata: ObjectMeta(name: "c", labels: backward), data: backward))]
    #expect(try ManifestWriter.yaml(first) == ManifestWriter.yaml(second))
    #expect(try ManifestWriter.json(first) == ManifestWriter.json(second))
    let secrets = [
        Manifests.secret(name: "s", namespace: "n", data: forward.mapValues { Array($0.utf8) }),
        Manifests.secret(name: "s", namespace: "n", data: backward.mapValues { Array($0.utf8) }),
    ]
    #expect(try ManifestWriter.yaml([.secret(secrets[0])]) == ManifestWriter.yaml([.secret(secrets[1])]))
}

@Test func yamlKeysAreSorted() throws {
    let yaml = try ManifestWriter.yaml([.configMap(ConfigMap(
        metadata: ObjectMeta(name: "c"), data: ["b": "2", "a": "1", "c": "3"]))])
    #expect(yaml.contains("data:\n  a: '1'\n  b: '2'\n  c: '3'\nkind: ConfigMap\n"))
}


