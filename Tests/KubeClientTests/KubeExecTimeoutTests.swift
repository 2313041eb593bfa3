import Foundation
import Testing

@testable import KubeClient

/// An exec credential plugin that never answers is stopped at its time limit, with everything it started.
@Suite struct KubeExecTimeoutTests {
    let scratch = KubeScratch()

    /// A plugin that starts a child which sleeps, records the child's pid and waits for it forever.
    func hangingPlugin() -> String {
        scratch.script("hang.sh", """
            sleep 300 &
            echo $! > "\(scratch.path)/child"
            wait
            """)
    }

    func config(_ command: String) -> ExecConfig {
        ExecConfig(command: command, apiVersion: "client.authentication.k8s.io/v1", userName: "ci")
    }

    /// True once the process is gone or only a zombie waiting for its new parent.
    func ended(_ pid: pid_t) -> Bool {
        guard kill(pid, 0) == 0 else { return true }
        let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
        return stat.split(separator: ")").last?.trimmingCharacters(in: .whitespaces).hasPrefix("Z") ?? true
    }

    @Test func aHangingPluginIsStoppedAtItsLimitAndNamed() async throws {
        let command = hangingPlugin()
        let provider = ExecCredentialProvider(config: config(command), timeout: .milliseconds(500))
        await #expect(throws: KubeConfigError("exec plugin for user \"ci\" (\(command)) did not finish within 500ms and was stopped; check that it can run without a terminal, or allow it longer with --request-timeout")) {
            try await provider.credential()
        }
        let child = try #require(pid_t(scratch.read("child").trimmingCharacters(in: .whitespacesAndNewlines)))
        var waited = 0
        while !ended(child), waited < 50 {
            try await Task.sleep(for: .milliseconds(100))
            waited += 1
        }
        #expect(ended(child), "the plugin's child \(child) outlived the plugin")
    }

    @Test func aRequestWhosePluginHangsFailsNamingThePlugin() async throws {
        let command = hangingPlugin()
        let connection = ClusterConnection(server: URL(string: "http://127.0.0.1:9")!,
                                           credentials: KubeCredentials(exec: config(command), userName: "ci"), origin: "test")
        var options = KubeTestRecorder().options()
        options.execTimeout = .milliseconds(300)
        let client = try KubernetesClient(connection: connection, options: options)
        await #expect(throws: KubeConfigError("exec plugin for user \"ci\" (\(command)) did not finish within 300ms and was stopped; check that it can run without a terminal, or allow it longer with --request-timeout")) {
            try await client.serverVersion()
        }
        try await client.shutdown()
    }

    @Test func aPluginWithinItsLimitIsUnaffected() async throws {
        let command = scratch.script("quick.sh", #"echo '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"t"}}'"#)
        let credential = try await ExecCredentialProvider(config: config(command), timeout: .seconds(20)).credential()
        #expect(credential == ExecCredential(token: SecretText("t")))
    }
}
