import Foundation
import KubeTestServer
import TestSupport

/// A local API server, a kubeconfig for it and a repository holding workflow `hello` (manual and
/// hourly cron triggers), for running the real `pipedreamer` binary against.
final class DeployHarness: @unchecked Sendable {
    let server: KubeTestServer
    let repo: GitFixture
    /// Holds the kubeconfig and exec plugin scripts; outside the repository so they never count as changes.
    let scratch: URL
    /// The commit holding the first version of the workflow.
    private(set) var firstCommit = ""
    var kubeconfigPath: String { scratch.appendingPathComponent("kubeconfig").path }

    static let name = "hello"
    static let namespace = "default"

    private init(server: KubeTestServer, repo: GitFixture, scratch: URL) {
        self.server = server
        self.repo = repo
        self.scratch = scratch
    }

    deinit { try? FileManager.default.removeItem(at: scratch) }

    /// Starts a server (TLS with client certificates, or plain HTTP), writes its kubeconfig and commits
    /// the workflow; the gvisor runtime class exists and rollouts finish after 5ms.
    static func start(tls: Bool = false, tokens: [String: UserInfo] = [:], policy: AccessPolicy = .allowingEverything,
                      token: String? = nil) async throws -> DeployHarness {
        let configuration = KubeTestServer.Configuration(tls: tls, tokens: tokens, runtimeClasses: ["gvisor": "runsc"],
                                                         policy: policy, rolloutDelayMilliseconds: 5)
        let server = try await KubeTestServer.start(configuration)
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("pipedreamer-deploy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        let harness = DeployHarness(server: server, repo: try GitFixture(), scratch: scratch)
        try harness.writeKubeconfig(server.kubeconfig(token: token))
        try harness.writeWorkflow(fetch: "export default async () => ({ greeting: \"hello\" });\n")
        try harness.repo.write(".gitignore", ".secrets/\n.secrets.yaml\n")
        harness.firstCommit = try harness.repo.commitAll("first version")
        return harness
    }

    /// Runs `body` with a started harness and always stops the server.
    static func with<T>(tls: Bool = false, tokens: [String: UserInfo] = [:], policy: AccessPolicy = .allowingEverything,
                        token: String? = nil, _ body: (DeployHarness) async throws -> T) async throws -> T {
        let harness = try await start(tls: tls, tokens: tokens, policy: policy, token: token)
        do {
            let result = try await body(harness)
            try await harness.server.shutdown()
            return result
        } catch {
            try? await harness.server.shutdown()
            throw error
        }
    }

    // MARK: The repository

    /// Writes workflow.yaml (with the cron trigger unless `cron` is false) and nodes/fetch.ts.
    func writeWorkflow(fetch: String, cron: Bool = true) throws {
        var yaml = "name: \(Self.name)\nversion: \"1.0\"\ndescription: deploy test workflow\ntriggers:\n  - type: manual\n"
        if cron { yaml += "  - type: cron\n    schedule: \"0 * * * *\"\n" }
        yaml += "nodes:\n  fetch: nodes/fetch.ts\n"
        try repo.write("workflow.yaml", yaml)
        try repo.write("nodes/fetch.ts", fetch)
    }

    /// Commits a new version of nodes/fetch.ts; returns the commit's SHA.
    @discardableResult
    func commitFetch(_ source: String, message: String = "change fetch") throws -> String {
        try repo.write("nodes/fetch.ts", source)
        return try repo.commitAll(message)
    }

    /// `git show REV:PATH` as text: the oracle for what a commit holds.
    func show(_ revisionAndPath: String) throws -> String {
        String(decoding: try repo.git(["show", revisionAndPath]), as: UTF8.self)
    }

    // MARK: Running pipedreamer

    func writeKubeconfig(_ text: String) throws {
        try text.write(toFile: kubeconfigPath, atomically: true, encoding: .utf8)
    }

    /// Runs `pipedreamer ARGS --kubeconfig FILE` in the repository.
    func run(_ arguments: [String]) throws -> Command.Result {
        try PipedreamerBinary.run(arguments + ["--kubeconfig", kubeconfigPath], in: repo.path)
    }

    /// `pipedreamer deploy ARGS` with a short rollout timeout.
    func deploy(_ arguments: [String] = []) throws -> Command.Result {
        try run(["deploy"] + arguments + ["--timeout", "20s"])
    }

    /// An executable shell script in the scratch directory; returns its path.
    func script(_ name: String, _ body: String) throws -> String {
        let path = scratch.appendingPathComponent(name).path
        try ("#!/bin/sh\n" + body).write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        return path
    }

    // MARK: What the server holds

    func object(_ resource: Resource, _ name: String, namespace: String = DeployHarness.namespace) -> JSON? {
        server.object(resource, namespace: namespace, name: name)
    }

    var configMap: JSON? { object(.configMaps, "\(Self.name)-code") }
    var deployment: JSON? { object(.deployments, Self.name) }

    var rollouts: Int { server.rolloutCount(namespace: Self.namespace, name: Self.name) }

    /// The restart stamp on the live pod template.
    var restartedAt: String? {
        deployment?.value(at: ["spec", "template", "metadata", "annotations", "kubectl.kubernetes.io/restartedAt"])?.string
    }

    /// resourceVersion of each of the workflow's objects, by `plural/name`.
    func resourceVersions(namespace: String = DeployHarness.namespace) -> [String: String] {
        var versions = [String: String]()
        for (resource, name) in [(Resource.configMaps, "\(Self.name)-code"), (.deployments, Self.name),
                                 (.services, Self.name), (.cronJobs, "\(Self.name)-cron-1")] {
            versions["\(resource.plural)/\(name)"] = object(resource, name, namespace: namespace)?
                .value(at: ["metadata", "resourceVersion"])?.string
        }
        return versions
    }

    /// The live code as the pods see it: ConfigMap data mapped back to paths through the Deployment's items.
    func liveFiles(namespace: String = DeployHarness.namespace) -> [String: String] {
        let data = object(.configMaps, "\(Self.name)-code", namespace: namespace)?["data"]?.object ?? [:]
        let volumes = object(.deployments, Self.name, namespace: namespace)?
            .value(at: ["spec", "template", "spec", "volumes"])?.array ?? []
        let items = volumes.first { $0["name"]?.string == "code" }?.value(at: ["configMap", "items"])?.array ?? []
        var files = [String: String]()
        for item in items {
            if let key = item["key"]?.string, let path = item["path"]?.string { files[path] = data[key]?.string }
        }
        return files
    }

    /// Every request that would change state (not a read, not an access review).
    var writes: [RecordedRequest] {
        server.requests.filter { ["PATCH", "PUT", "POST", "DELETE"].contains($0.method) && !$0.path.contains("selfsubjectaccessreviews") }
    }

    /// The strategic-merge patches sent to the Deployment: the restart stamps.
    var restartPatches: [RecordedRequest] {
        server.requests.filter { $0.method == "PATCH" && $0.contentType == "application/strategic-merge-patch+json" }
    }
}

extension Command.Result {
    /// Standard output and standard error together, for "never printed" checks.
    var allOutput: String { stdoutText + stderrText }
}

extension JSON {
    /// A Secret's `data` decoded from base64 to text.
    var decodedSecretData: [String: String] {
        (self["data"]?.object ?? [:]).compactMapValues { value in
            value.string.flatMap { Data(base64Encoded: $0) }.map { String(decoding: $0, as: UTF8.self) }
        }
    }
}
