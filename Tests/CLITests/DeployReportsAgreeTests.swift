import Foundation
import KubeTestServer
import Testing
import TestSupport

/// deploy's text lines and its `-o json` summary say the same thing happened: each object's
/// created / configured / unchanged / pruned, and whether the pods restarted. The same sequence
/// runs against two harnesses, one read as text and one as JSON.
@Suite struct DeployReportsAgreeTests {
    struct Report: Equatable, CustomStringConvertible {
        var objects: [String]
        var restarted: Bool
        var description: String { "\(objects) restarted: \(restarted)" }
    }

    struct Summary: Decodable {
        struct Object: Decodable {
            let object: String
            let result: String
        }
        let objects: [Object]
        let restarted: Bool
    }

    static let outcomes = ["created", "configured", "unchanged", "pruned", "adopted"]

    /// The `kind/name outcome` lines and the restart line of a text deploy.
    static func report(text: String) -> Report {
        let lines = text.split(separator: "\n").map(String.init)
        let objects = lines.filter { line in
            let words = line.split(separator: " ")
            return words.count == 2 && words[0].contains("/") && outcomes.contains(String(words[1]))
        }
        return Report(objects: objects, restarted: lines.contains { $0.hasPrefix("deployment.apps/hello restarted at ") })
    }

    static func report(json: Data) throws -> Report {
        let summary = try JSONDecoder().decode(Summary.self, from: json)
        return Report(objects: summary.objects.map { "\($0.object) \($0.result)" }, restarted: summary.restarted)
    }

    /// One deploy, read as the harness's format says.
    func deploy(_ h: DeployHarness, json: Bool) throws -> (Report, String) {
        let result = try h.deploy(json ? ["-o", "json"] : [])
        #expect(result.status == 0, "\(result.stderrText)")
        return (json ? try Self.report(json: result.stdout) : Self.report(text: result.stdoutText), result.stdoutText)
    }

    /// The sequence: a first deploy with a Secret, the same again, a new Secret value, an upgrade
    /// that adds a pod-template field, a new commit.
    func sequence(_ h: DeployHarness, json: Bool) throws -> [(Report, String)] {
        var reports = [(Report, String)]()
        try h.repo.write(".secrets/API_KEY", "first")
        reports.append(try deploy(h, json: json))
        reports.append(try deploy(h, json: json))
        try h.repo.write(".secrets/API_KEY", "second")
        reports.append(try deploy(h, json: json))
        // What an earlier version applied had no automountServiceAccountToken: the next deploy adds
        // it, so the pods roll while the restart stamp stays the same.
        let removed = try h.kubectl(["patch", "deployment", "hello", "--type=json",
                                     "-p", #"[{"op":"remove","path":"/spec/template/spec/automountServiceAccountToken"}]"#])
        #expect(removed.status == 0, "\(removed.stderrText)")
        #expect(try h.kubectl(["rollout", "status", "deployment/hello", "--timeout=20s"]).status == 0)
        reports.append(try deploy(h, json: json))
        try h.commitFetch("export default async () => ({ greeting: \"v2\" });\n")
        reports.append(try deploy(h, json: json))
        return reports
    }

    @Test(.enabled(if: Command.which("kubectl") != nil))
    func textAndJSONReportTheSameObjectsAndRestarts() async throws {
        let text = try await DeployHarness.with { try sequence($0, json: false) }
        let json = try await DeployHarness.with { try sequence($0, json: true) }
        #expect(text.map(\.0) == json.map(\.0))
        let cron = "cronjob.batch/hello-cron-1"
        #expect(json.map(\.0) == [
            Report(objects: ["configmap/hello-code created", "secret/hello-secrets created", "deployment.apps/hello created",
                             "service/hello created", "\(cron) created"], restarted: false),
            Report(objects: ["configmap/hello-code unchanged", "secret/hello-secrets unchanged", "deployment.apps/hello unchanged",
                             "service/hello unchanged", "\(cron) unchanged"], restarted: false),
            // The Secret's digest is in the pod template: the pods roll for the new value.
            Report(objects: ["configmap/hello-code unchanged", "secret/hello-secrets configured", "deployment.apps/hello configured",
                             "service/hello unchanged", "\(cron) unchanged"], restarted: true),
            Report(objects: ["configmap/hello-code unchanged", "secret/hello-secrets unchanged", "deployment.apps/hello configured",
                             "service/hello unchanged", "\(cron) unchanged"], restarted: true),
            Report(objects: ["configmap/hello-code configured", "secret/hello-secrets unchanged", "deployment.apps/hello configured",
                             "service/hello unchanged", "\(cron) unchanged"], restarted: true),
        ], "\(json.map(\.1))")
        // The text names why pods roll whose stamp did not change.
        #expect(text[3].1.contains("deployment.apps/hello restarted at ") && text[3].1.contains(" (its pod template changed)\n"), "\(text[3].1)")
        #expect(!text[4].1.contains("(its pod template changed)"))
    }
}
