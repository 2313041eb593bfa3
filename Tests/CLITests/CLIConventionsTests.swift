import Foundation
#if canImport(Glibc)
import Glibc
#endif
import KubeTestServer
import Testing
import TestSupport

/// The conventions every subcommand shares, after kubectl's: `-o json` is one JSON document on
/// standard output (on failure too), each default is printed once in `--help`, a usage error
/// exits 2 everywhere, and messages carry no Swift type names.
@Suite struct CLIConventionsTests {
    /// Every command path, the hook subcommands included; `everyCommandIsInTheTable` keeps it complete.
    static let commands: [[String]] = [
        [], ["render"], ["check"], ["deploy"], ["status"], ["diff"], ["history"], ["rollback"], ["delete"],
        ["hook"], ["hook", "pre-commit"], ["hook", "pre-merge-commit"], ["hook", "pre-push"], ["hook", "post-receive"],
        ["install-hooks"], ["uninstall-hooks"], ["completion"], ["version"],
    ]

    /// The subcommands `pipedreamer --help` lists under SUBCOMMANDS (and `hook --help` under its own).
    static func listedSubcommands(_ path: [String], in directory: String) throws -> [String] {
        let help = try PipedreamerBinary.run(path + ["--help"], in: directory).stdoutText
        guard let start = help.range(of: "SUBCOMMANDS:") else { return [] }
        // The section ends at the first blank line (a "See 'pipedreamer help …'" line follows it).
        let section = help[start.upperBound...].split(separator: "\n", omittingEmptySubsequences: false).dropFirst()
            .prefix { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        return section.compactMap { line in
            guard line.hasPrefix("  "), !line.hasPrefix("   "), let word = line.split(separator: " ").first else { return nil }
            return String(word)
        }.filter { $0 != "help" }
    }

    @Test func everyCommandIsInTheTable() throws {
        let fixture = try GitFixture()
        let top = try Self.listedSubcommands([], in: fixture.path)
        let hooks = try Self.listedSubcommands(["hook"], in: fixture.path).map { ["hook", $0] }
        #expect(top.contains("completion") && top.contains("version"))
        let listed = Set(top.map { [$0] } + hooks + [[]])
        #expect(listed == Set(Self.commands), "the table misses or has extra commands: \(listed.symmetricDifference(Set(Self.commands)))")
    }

    /// The help's option entries: a line starting `  -` or `  <` begins one, deeper lines continue it.
    static func optionEntries(_ help: String) -> [String] {
        var entries = [String]()
        for line in help.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("  -") || line.hasPrefix("  <") {
                entries.append(String(line))
            } else if line.hasPrefix("   "), !entries.isEmpty {
                entries[entries.count - 1] += " " + line.trimmingCharacters(in: .whitespaces)
            } else if !line.hasPrefix("  ") {
                // A section heading or a blank line ends the entry.
                if !entries.isEmpty, entries.last?.isEmpty == false { entries.append("") }
            }
        }
        return entries.filter { !$0.isEmpty }
    }

    @Test(arguments: commands)
    func helpShowsEachDefaultOnce(_ path: [String]) throws {
        let fixture = try GitFixture()
        let result = try PipedreamerBinary.run(path + ["--help"], in: fixture.path)
        #expect(result.status == 0, "\(result.stderrText)")
        #expect(result.stdoutText.contains("USAGE:"))
        for entry in Self.optionEntries(result.stdoutText) {
            // The parser writes "(default: X)", or "(values: a, b; default: X)" for a fixed set.
            let count = entry.components(separatedBy: "default:").count - 1
            #expect(count <= 1, "\(path.joined(separator: " ")): \(entry)")
        }
    }

    @Test func helpStatesTheOutputFormatsAndDefaults() throws {
        let fixture = try GitFixture()
        let formats: [String: (String, String)] = [
            "render": ("yaml", "json"), "check": ("text", "json"), "deploy": ("text", "json"), "status": ("text", "json"),
            "diff": ("text", "json"), "history": ("text", "json"), "delete": ("text", "json"), "version": ("text", "json"),
        ]
        for (command, (first, second)) in formats {
            let help = try PipedreamerBinary.run([command, "--help"], in: fixture.path).stdoutText
            let entry = try #require(Self.optionEntries(help).first { $0.contains("--output <format>") }, "\(command) has no -o")
            #expect(entry.contains("\(first) (") || entry.contains("\(first) or"), "\(command): \(entry)")
            #expect(entry.contains(second), "\(command): \(entry)")
            #expect(entry.contains("default: \(first))"), "\(command): \(entry)")
        }
        let deploy = try PipedreamerBinary.run(["deploy", "--help"], in: fixture.path).stdoutText
            .split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(deploy.contains("(default: 5m)") && deploy.contains("(default: HEAD)") && deploy.contains("0 waits without limit"))
    }

    @Test(arguments: commands)
    func aUsageErrorExitsTwo(_ path: [String]) throws {
        let fixture = try GitFixture()
        let result = try PipedreamerBinary.run(path + ["--no-such-flag"], in: fixture.path)
        #expect(result.status == 2, "\(path): \(result.stderrText)")
        #expect(result.stderrText.hasPrefix("Error: "), "\(path): \(result.stderrText)")
    }

    @Test func badValuesAndRemovedFlagsAreUsageErrorsToo() throws {
        let fixture = try GitFixture()
        for arguments in [["render", "-o", "xml"], ["deploy", "--timeout", "soon"], ["delete", "--timeout", "soon"],
                          ["rollback", "--timeout", "soon"], ["check", "HEAD", "--staged"], ["completion", "tcsh"],
                          ["deploy", "--cluster-registry", "r.example.com"], ["render", "--cluster-registry=r.example.com"],
                          ["diff", "--bogus"], ["diff", "-o", "yaml"]] {
            let result = try PipedreamerBinary.run(arguments, in: fixture.path)
            #expect(result.status == 2, "\(arguments): \(result.stderrText)")
        }
        let removed = try PipedreamerBinary.run(["deploy", "--cluster-registry", "r.example.com"], in: fixture.path)
        #expect(removed.stderrText == "Error: flag --cluster-registry is removed; use --image instead\n")
    }

    @Test func aUsageErrorWithJSONOutputStillPrintsOneDocument() throws {
        let fixture = try GitFixture()
        for arguments in [["status", "-o", "json", "--bogus"], ["version", "--output=json", "--bogus"],
                          ["deploy", "-o", "json", "--cluster-registry", "x"], ["diff", "-ojson", "--timeout"]] {
            let result = try PipedreamerBinary.run(arguments, in: fixture.path)
            #expect(result.status == 2, "\(arguments)")
            let document = try #require(try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any], "\(arguments): \(result.stdoutText)")
            #expect((document["error"] as? String)?.isEmpty == false)
            #expect(result.stderrText.hasPrefix("Error: "))
        }
    }

    // MARK: -o json, success and failure, for every command that has it

    /// Standard output as one JSON document (object or array); fails the test otherwise.
    static func document(_ result: Command.Result, _ label: String) throws -> Any {
        do {
            return try JSONSerialization.jsonObject(with: result.stdout)
        } catch {
            Issue.record("\(label): standard output is not one JSON document: \(result.stdoutText)\nstderr: \(result.stderrText)")
            throw error
        }
    }

    static func object(_ result: Command.Result, _ label: String) throws -> [String: Any] {
        try #require(try document(result, label) as? [String: Any], "\(label): not an object: \(result.stdoutText)")
    }

    @Test func localCommandsGiveJSONOnSuccessAndFailure() throws {
        let fixture = try GitFixture()
        try fixture.writeWorkflow(at: "wf")
        try fixture.commitAll()

        let render = try PipedreamerBinary.run(["render", "-o", "json"], in: fixture.path)
        #expect(render.status == 0)
        #expect(try Self.object(render, "render")["kind"] as? String == "List")
        let renderFailed = try PipedreamerBinary.run(["render", "no-such-rev", "-o", "json"], in: fixture.path)
        #expect(renderFailed.status == 1)
        let renderError = try Self.object(renderFailed, "render failure")["error"] as? String
        #expect(renderError?.contains("no-such-rev") == true)
        #expect(renderFailed.stderrText.hasPrefix("Error: "))

        let check = try PipedreamerBinary.run(["check", "-o", "json"], in: fixture.path)
        #expect(check.status == 0, "\(check.stderrText)")
        let checked = try Self.object(check, "check")
        #expect(checked["ok"] as? Bool == true)
        let workflows = try #require(checked["workflows"] as? [[String: Any]])
        #expect(workflows.map { $0["directory"] as? String } == ["wf"])
        #expect(workflows.first?["limit"] as? Int == 921_600)
        #expect((workflows.first?["violations"] as? [Any])?.isEmpty == true)

        try fixture.write("wf/.env", "TOKEN=x\n")
        try fixture.commitAll()
        let checkFailed = try PipedreamerBinary.run(["check", "-o", "json"], in: fixture.path)
        #expect(checkFailed.status == 1)
        let failed = try Self.object(checkFailed, "check failure")
        #expect(failed["ok"] as? Bool == false)
        let violations = try #require((failed["workflows"] as? [[String: Any]])?.first?["violations"] as? [[String: Any]])
        #expect(violations.map { $0["kind"] as? String } == ["secret"])
        #expect(violations.first?["path"] as? String == "wf/.env")
        #expect(checkFailed.stderrText.contains("wf/.env: secrets must never be committed"))

        let checkBadRev = try PipedreamerBinary.run(["check", "nope", "-o", "json"], in: fixture.path)
        #expect(checkBadRev.status == 1)
        #expect(try Self.object(checkBadRev, "check error")["error"] is String)

        let version = try PipedreamerBinary.run(["version", "-o", "json"], in: fixture.path)
        #expect(version.status == 0)
        #expect(try Self.object(version, "version")["version"] is String)
    }

    @Test func clusterCommandsGiveJSONOnSuccessAndFailure() async throws {
        try await DeployHarness.with { h in
            // Before any deploy: status and history fail, diff finds everything to create.
            let status = try h.run(["status", "-o", "json"])
            #expect(status.status == 1)
            #expect((try Self.object(status, "status failure")["error"] as? String)?.contains("is not deployed") == true)
            let history = try h.run(["history", "-o", "json"])
            #expect(history.status == 1)
            #expect(try Self.object(history, "history failure")["error"] is String)
            let diff = try h.run(["diff", "-o", "json"])
            #expect(diff.status == 1, "\(diff.stderrText)")
            let changes = try Self.object(diff, "diff with changes")
            #expect(changes["changed"] as? Bool == true)
            let objects = try #require(changes["objects"] as? [[String: Any]])
            #expect(objects.contains { $0["object"] as? String == "deployment.apps/hello" && $0["change"] as? String == "create" })

            let deploy = try h.deploy(["-o", "json"])
            #expect(deploy.status == 0, "\(deploy.stderrText)")
            let summary = try Self.object(deploy, "deploy")
            #expect(summary["workflow"] as? String == "hello")
            #expect((summary["rollout"] as? [String: Any])?["state"] as? String == "complete")
            #expect(summary["error"] == nil)

            #expect(try Self.object(try h.run(["status", "-o", "json"]), "status")["commit"] as? String == h.firstCommit)
            let versions = try #require(try Self.document(try h.run(["history", "-o", "json"]), "history") as? [[String: Any]])
            #expect(versions.first?["commit"] as? String == h.firstCommit)
            let same = try h.run(["diff", "-o", "json"])
            #expect(same.status == 0, "\(same.stderrText)")
            #expect(try Self.object(same, "diff without changes")["changed"] as? Bool == false)

            // delete without --yes and without a terminal fails; with --yes it reports what it deleted.
            let refused = try h.run(["delete", "-o", "json"])
            #expect(refused.status == 1)
            #expect((try Self.object(refused, "delete failure")["error"] as? String)?.contains("--yes") == true)
            let dryRun = try h.run(["delete", "--dry-run=client", "-o", "json"])
            #expect(dryRun.status == 0, "\(dryRun.stderrText)")
            let planned = try Self.object(dryRun, "delete dry run")
            #expect((planned["objects"] as? [String])?.contains("deployment.apps/hello") == true)
            #expect(planned["dryRun"] as? String == "client")
            #expect(dryRun.stderrText.contains("objects of workflow hello in namespace default"))

            // A rollout that does not finish in time: one document, with the objects written and the wait's outcome.
            let commit = try h.commitFetch("export default async () => ({ greeting: \"held\" });\n")
            h.server.setRolloutMode(namespace: "default", name: "hello", .hold)
            let timedOut = try h.run(["deploy", "-o", "json", "--timeout", "1s"])
            #expect(timedOut.status == 1)
            let outcome = try Self.object(timedOut, "deploy timeout")
            #expect(outcome["commit"] as? String == commit)
            #expect((outcome["error"] as? String)?.contains("timed out after") == true)
            #expect((outcome["rollout"] as? [String: Any])?["state"] as? String == "timedOut")
            let written = try #require(outcome["objects"] as? [[String: Any]])
            #expect(written.contains { $0["object"] as? String == "configmap/hello-code" && $0["result"] as? String == "configured" })
            #expect(timedOut.stderrText.contains("Error: timed out after"))
            h.server.setRolloutMode(namespace: "default", name: "hello", .complete)

            let deleted = try h.run(["delete", "--yes", "-o", "json", "--timeout", "0"])
            #expect(deleted.status == 0, "\(deleted.stderrText)")
            #expect((try Self.object(deleted, "delete")["deleted"] as? [String])?.contains("deployment.apps/hello") == true)
            #expect(h.deployment == nil)

            // An unreachable server: diff exits 2, everything still prints one document.
            let gone = try RefusingPort()
            defer { withExtendedLifetime(gone) {} }
            let goneURL = gone.httpsURL
            try h.writeKubeconfig(h.server.kubeconfig().replacingOccurrences(of: h.server.url.absoluteString, with: goneURL))
            let diffError = try h.run(["diff", "-o", "json"])
            #expect(diffError.status == 2)
            #expect((try Self.object(diffError, "diff error")["error"] as? String)?.contains("connection refused") == true)
            for command in [["deploy"], ["status"], ["history"], ["delete", "--yes"]] {
                let result = try h.run(command + ["-o", "json"])
                #expect(result.status == 1, "\(command)")
                #expect(try Self.object(result, "\(command) unreachable")["error"] is String)
            }
        }
    }

    // MARK: completion and version

    @Test func completionScriptsAreAcceptedByTheirShells() throws {
        let fixture = try GitFixture()
        let bash = try PipedreamerBinary.run(["completion", "bash"], in: fixture.path)
        #expect(bash.status == 0)
        #expect(bash.stdoutText.contains("deploy") && bash.stdoutText.contains("complete"))
        let script = FileManager.default.temporaryDirectory.appendingPathComponent("pipedreamer-completion-\(UUID().uuidString).bash")
        defer { try? FileManager.default.removeItem(at: script) }
        try bash.stdout.write(to: script)
        let bashPath = try #require(Command.which("bash"))
        let syntax = try Command.run(bashPath, ["-n", script.path])
        #expect(syntax.status == 0, "\(syntax.stderrText)")
        for shell in ["zsh", "fish"] {
            let result = try PipedreamerBinary.run(["completion", shell], in: fixture.path)
            #expect(result.status == 0)
            #expect(result.stdoutText.contains("pipedreamer"))
            guard let program = Command.which(shell) else { continue }
            let file = script.deletingPathExtension().appendingPathExtension(shell)
            defer { try? FileManager.default.removeItem(at: file) }
            try result.stdout.write(to: file)
            let check = try Command.run(program, shell == "fish" ? ["--no-execute", file.path] : ["-n", file.path])
            #expect(check.status == 0, "\(shell): \(check.stderrText)")
        }
    }

    @Test func versionReportsTheBuildCommitAndLibgit2() throws {
        let fixture = try GitFixture()
        let result = try PipedreamerBinary.run(["version", "-o", "json"], in: fixture.path)
        #expect(result.status == 0)
        let version = try Self.object(result, "version")
        let plain = try PipedreamerBinary.run(["--version"], in: fixture.path).stdoutText
        #expect(version["version"] as? String == plain.trimmingCharacters(in: .whitespacesAndNewlines))
        let commit = try #require(version["commit"] as? String)
        #expect(commit == "unknown" || commit.range(of: "^[0-9a-f]{40}(-dirty)?$", options: .regularExpression) != nil, "\(commit)")
        let libgit2 = try #require(version["libgit2"] as? String)
        #expect(libgit2.range(of: "^[0-9]+\\.[0-9]+\\.[0-9]+$", options: .regularExpression) != nil)
        if let pkgConfig = Command.which("pkg-config") {
            let installed = try Command.run(pkgConfig, ["--modversion", "libgit2"])
            if installed.status == 0 { #expect(libgit2 == installed.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)) }
        }
        let text = try PipedreamerBinary.run(["version"], in: fixture.path)
        #expect(text.stdoutText == "pipedreamer \(version["version"] ?? "") (commit \(commit), libgit2 \(libgit2))\n")
    }

    /// The generated file records the checkout's commit, and compiles only with the define install.sh passes.
    @Test func theBuildCommitComesFromTheGeneratedFile() throws {
        let fixture = try GitFixture()
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let script = sources.appendingPathComponent("scripts/write-build-commit.sh").path
        try FileManager.default.createDirectory(atPath: fixture.path + "/Sources/pipedreamer", withIntermediateDirectories: true)
        try fixture.write("README", "x\n")
        let head = try fixture.commitAll()
        let bash = try #require(Command.which("bash"))
        let clean = try Command.run(bash, [script, fixture.path], environment: GitFixture.environment)
        #expect(clean.status == 0, "\(clean.stderrText)")
        #expect(clean.stdoutText == "\(head)\n")
        let generated = try String(contentsOfFile: fixture.path + "/Sources/pipedreamer/BuildCommit.generated.swift", encoding: .utf8)
        #expect(generated.contains("#if PIPEDREAMER_BUILD_COMMIT\nlet generatedBuildCommit = \"\(head)\"\n#endif"))
        try fixture.write("README", "changed\n")
        let dirty = try Command.run(bash, [script, fixture.path], environment: GitFixture.environment)
        #expect(dirty.stdoutText == "\(head)-dirty\n")

        // BuildInfo.swift with and without the define, compiled on their own.
        guard let swiftc = Command.which("swiftc") else { return }
        let buildInfo = sources.appendingPathComponent("Sources/pipedreamer/BuildInfo.swift").path
        let main = fixture.path + "/main.swift"
        try "print(BuildInfo.commit)\n".write(toFile: main, atomically: true, encoding: .utf8)
        let generatedPath = fixture.path + "/Sources/pipedreamer/BuildCommit.generated.swift"
        for (flags, expected) in [(["-DPIPEDREAMER_BUILD_COMMIT"], "\(head)-dirty"), ([], "unknown")] {
            let binary = fixture.path + "/build-info-\(expected.count)"
            let compiled = try Command.run(swiftc, flags + ["-module-name", "BuildInfoCheck", buildInfo, generatedPath, main, "-o", binary])
            #expect(compiled.status == 0, "\(compiled.stderrText)")
            #expect(try Command.run(binary, []).stdoutText == "\(expected)\n")
        }
    }

    // MARK: --timeout 0, retries, messages

    @Test func timeoutZeroWaitsWithoutLimit() async throws {
        try await DeployHarness.with { h in
            let result = try h.run(["deploy", "--timeout", "0"])
            #expect(result.status == 0, "\(result.stderrText)")
            #expect(result.stdoutText.contains("deployment \"hello\" successfully rolled out"))
        }
    }

    @Test func aRetryPrintsAProgressLineAndNoToken() async throws {
        let token = "secret-token-7c1e5a90"
        try await DeployHarness.with(tls: true, tokens: [token: UserInfo(name: "admin")], token: token) { h in
            h.server.injectFault(Fault(method: "PATCH", pathPattern: "/apis/apps/v1/namespaces/default/deployments/hello",
                                       count: 1, action: .status(503)))
            let result = try h.deploy()
            #expect(result.status == 0, "\(result.stderrText)")
            #expect(result.stderrText.contains("retrying PATCH deployments/hello after 503 (2 of 4)\n"), "\(result.stderrText)")
            #expect(!result.stdoutText.contains("retrying"))
            #expect(!result.allOutput.contains(token))
        }
    }

    /// `HTTPClientError.tlsHandshakeTimeout`, `NIOConnectionError(...)`, `DecodingError`: what must never be printed.
    static func swiftTypeNames(in text: String) -> [String] {
        let patterns = ["\\b[A-Z][A-Za-z0-9]*[a-z](Error|Exception)\\b", "\\b[A-Z][A-Za-z0-9]+\\.[a-z][A-Za-z0-9]+\\b"]
        return patterns.flatMap { pattern -> [String] in
            let regex = try! NSRegularExpression(pattern: pattern)
            return regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap {
                Range($0.range, in: text).map { String(text[$0]) }
            }
        }
    }

    @Test func typeNamePatternFindsWhatItShould() {
        #expect(Self.swiftTypeNames(in: "failed: HTTPClientError.tlsHandshakeTimeout") == ["HTTPClientError", "HTTPClientError.tlsHandshakeTimeout"])
        #expect(Self.swiftTypeNames(in: "Error: cannot reach https://127.0.0.1:80: connection refused (after 4 attempts)").isEmpty)
    }

    @Test func aTLSHandshakeThatNeverAnswersIsExplainedWithoutTypeNames() throws {
        // A socket that listens and never accepts: the kernel completes the TCP handshake, nobody answers TLS.
        let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #expect(socketFD >= 0)
        defer { close(socketFD) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socketFD, $0, length) } }
        #expect(bound == 0)
        #expect(listen(socketFD, 16) == 0)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socketFD, $0, &length) } }
        let server = "https://127.0.0.1:\(UInt16(bigEndian: address.sin_port))"

        let fixture = try GitFixture()
        let kubeconfig = fixture.path + "/../kubeconfig-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: kubeconfig) }
        try """
        apiVersion: v1
        kind: Config
        clusters:
        - name: silent
          cluster:
            server: \(server)
            insecure-skip-tls-verify: true
        users:
        - name: admin
          user:
            token: handshake-token-31f0
        contexts:
        - name: silent
          context: {cluster: silent, user: admin}
        current-context: silent
        """.write(toFile: kubeconfig, atomically: true, encoding: .utf8)
        let result = try PipedreamerBinary.run(["status", "hello", "--kubeconfig", kubeconfig, "-o", "json"], in: fixture.path)
        #expect(result.status == 1)
        #expect(result.stderrText.contains("TLS handshake with \(server) timed out after 10s; check the server address and any proxy"), "\(result.stderrText)")
        #expect(Self.swiftTypeNames(in: result.allOutput).isEmpty, "\(result.allOutput)")
        #expect(!result.allOutput.contains("handshake-token-31f0"))
        #expect(try Self.object(result, "status")["error"] is String)
    }

    @Test func aRefusedConnectionIsRetriedVisiblyAndNamedWithoutTypeNames() async throws {
        let stopped = try await KubeTestServer.start()
        let gone = try RefusingPort()
        defer { withExtendedLifetime(gone) {} }
        let url = gone.httpsURL
        let kubeconfig = stopped.kubeconfig().replacingOccurrences(of: stopped.url.absoluteString, with: url)
        try await stopped.shutdown()
        let fixture = try GitFixture()
        let path = fixture.path + "/../kubeconfig-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try kubeconfig.write(toFile: path, atomically: true, encoding: .utf8)
        let result = try PipedreamerBinary.run(["history", "hello", "--kubeconfig", path], in: fixture.path)
        #expect(result.status == 1)
        #expect(result.stderrText.contains("cannot reach the Kubernetes API at \(url): connection refused"), "\(result.stderrText)")
        #expect(result.stderrText.contains("after connection refused (2 of 4)\n"), "\(result.stderrText)")
        #expect(Self.swiftTypeNames(in: result.allOutput).isEmpty, "\(result.allOutput)")
    }
}
