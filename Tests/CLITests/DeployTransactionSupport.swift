import Foundation
import KubeTestServer
import TestSupport

/// A `pipedreamer` process started in the background: for deploys that run together, are killed
/// mid-way, or wait while a test changes the cluster under them.
final class BackgroundRun: @unchecked Sendable {
    let process: SpawnedProcess
    let output: URL
    let errors: URL

    init(_ arguments: [String], in directory: String, scratch: URL, environment: [String: String] = [:]) throws {
        let id = UUID().uuidString
        output = scratch.appendingPathComponent("out-\(id)")
        errors = scratch.appendingPathComponent("err-\(id)")
        let out = open(output.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        let err = open(errors.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        let null = open("/dev/null", O_RDONLY | O_CLOEXEC)
        defer { for fd in [out, err, null] where fd >= 0 { close(fd) } }
        guard out >= 0, err >= 0, null >= 0 else { throw SpawnedProcess.SpawnError(description: "cannot open the output files in \(scratch.path)") }
        process = try SpawnedProcess(PipedreamerBinary.path, arguments, in: directory,
                                     environment: GitFixture.environment.merging(environment) { $1 },
                                     stdin: null, stdout: out, stderr: err)
    }

    var stdoutText: String { (try? String(contentsOf: output, encoding: .utf8)) ?? "" }
    var stderrText: String { (try? String(contentsOf: errors, encoding: .utf8)) ?? "" }

    /// Waits for the process to end; returns its exit status (a signal's number + 128).
    func finish() async -> Int32 {
        while process.isRunning { try? await Task.sleep(for: .milliseconds(20)) }
        let status = process.terminationStatus ?? -1
        return process.endedBySignal ? 128 + status : status
    }

    func kill(_ signal: Int32) { Foundation.kill(process.pid, signal) }
}

extension DeployHarness {
    /// `pipedreamer deploy ARGS` in the background, with the lease duration the tests use.
    /// A test's own task may be held up for a long time while other tests block the shared threads,
    /// so a deploy a test acts on while it waits gets a long `timeout`.
    func startDeploy(_ arguments: [String] = [], leaseSeconds: Int = 2, timeout: String = "20s",
                     in directory: String? = nil) throws -> BackgroundRun {
        try BackgroundRun(["deploy"] + arguments + ["--timeout", timeout, "--kubeconfig", kubeconfigPath],
                          in: directory ?? repo.path, scratch: scratch,
                          environment: ["PIPEDREAMER_LEASE_DURATION": String(leaseSeconds)])
    }

    /// `pipedreamer deploy ARGS` with a short lease duration.
    func deploy(_ arguments: [String], leaseSeconds: Int) throws -> Command.Result {
        try PipedreamerBinary.run(["deploy"] + arguments + ["--timeout", "20s", "--kubeconfig", kubeconfigPath], in: repo.path,
                                  environment: ["PIPEDREAMER_LEASE_DURATION": String(leaseSeconds)])
    }

    /// kubectl against the test server: how other actors (a colleague, an HPA) change the cluster.
    @discardableResult
    func kubectl(_ arguments: [String], input: String? = nil) throws -> Command.Result {
        try Command.run("/usr/bin/env", ["kubectl", "--kubeconfig", kubeconfigPath] + arguments, in: scratch.path,
                        input: input.map { Data($0.utf8) })
    }

    /// Creates objects the way someone else would: `kubectl create ... --dry-run=client -o yaml`
    /// piped into `kubectl apply --server-side` (kubectl's create sends protobuf, which the test
    /// server decodes only for some kinds).
    @discardableResult
    func kubectlCreate(_ arguments: [String]) throws -> Command.Result {
        let yaml = try kubectl(["create"] + arguments + ["--dry-run=client", "-o", "yaml"])
        return try kubectl(["apply", "--server-side", "-f", "-"], input: yaml.stdoutText)
    }

    var lease: JSON? { object(.leases, "\(Self.name)-deploy") }

    /// Writes that changed something, leaving out dry runs and the lease's own requests.
    var objectWrites: [RecordedRequest] {
        writes.filter { !$0.hasQuery("dryRun", "All") && !$0.path.contains("/leases") }
    }

    /// What the cluster holds, as the commits its parts come from: the ConfigMap's and the
    /// Deployment's annotations, the commit whose fetch.ts the pods would see, and the CronJob's schedule.
    /// The ConfigMap's code commit, the Deployment's deployed commit, a node's live content and the
    /// CronJob's schedule (each commit of these tests changes the workflow, so the two commits agree).
    func deployedState() -> [String?] {
        [configMap?.value(at: ["metadata", "annotations", "pipedreamer.dev/code-commit"])?.string,
         deployment?.value(at: ["metadata", "annotations", "pipedreamer.dev/commit"])?.string,
         liveFiles()["nodes/fetch.ts"],
         object(.cronJobs, "\(Self.name)-cron-1")?.value(at: ["spec", "schedule"])?.string]
    }
}

/// A Lease `hello-deploy` that someone else holds, renewed `secondsAgo` ago.
func foreignLease(holder: String, commit: String, durationSeconds: Int, secondsAgo: Double) -> String {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime]
    let time = formatter.string(from: Date().addingTimeInterval(-secondsAgo)).dropLast() + ".000000Z"
    return """
    apiVersion: coordination.k8s.io/v1
    kind: Lease
    metadata:
      name: hello-deploy
      namespace: default
      labels: {app.kubernetes.io/name: hello, app.kubernetes.io/managed-by: pipedreamer}
      annotations: {pipedreamer.dev/commit: "\(commit)"}
    spec:
      holderIdentity: \(holder)
      leaseDurationSeconds: \(durationSeconds)
      acquireTime: "\(time)"
      renewTime: "\(time)"

    """
}
