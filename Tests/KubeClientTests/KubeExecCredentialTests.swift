import Foundation
import Testing

@testable import KubeClient

@Suite struct KubeExecCredentialTests {
    let scratch = KubeScratch()
    static let v1 = "client.authentication.k8s.io/v1"
    static let v1beta1 = "client.authentication.k8s.io/v1beta1"

    /// A plugin that counts its runs in `runs` and prints `output`.
    @discardableResult
    private func plugin(printing output: String, exitCode: Int = 0, stderr: String = "") -> String {
        scratch.script("plugin.sh", """
            echo run >> "\(scratch.path)/runs"
            printf '%s' "$KUBERNETES_EXEC_INFO" > "\(scratch.path)/exec-info"
            printf '%s\\n' "$@" > "\(scratch.path)/args"
            printf '%s' "$REGION" > "\(scratch.path)/region"
            printf '%s' '\(stderr)' >&2
            cat <<'JSON'
            \(output)
            JSON
            exit \(exitCode)
            """)
    }

    private func config(_ command: String, apiVersion: String = v1, env: [(name: String, value: SecretText)] = [],
                        args: [String] = [], installHint: String? = nil) -> ExecConfig {
        ExecConfig(command: command, args: args, env: env, apiVersion: apiVersion, installHint: installHint, userName: "ci")
    }

    private func runs() -> Int { scratch.read("runs").split(separator: "\n").count }

    @Test(arguments: [v1, v1beta1])
    func tokenIsReadFromStatus(apiVersion: String) async throws {
        let command = plugin(printing: #"{"apiVersion":"\#(apiVersion)","kind":"ExecCredential","status":{"token":"tok-123"}}"#)
        let credential = try await ExecCredentialProvider(config: config(command, apiVersion: apiVersion)).credential()
        #expect(credential == ExecCredential(token: SecretText("tok-123")))
    }

    @Test func pluginGetsArgsEnvAndExecInfo() async throws {
        let command = plugin(printing: #"{"apiVersion":"\#(Self.v1)","kind":"ExecCredential","status":{"token":"t"}}"#)
        _ = try await ExecCredentialProvider(config: config(command, env: [("REGION", SecretText("eu-west-1"))],
                                                            args: ["token", "--cluster", "prod"])).credential()
        #expect(scratch.read("args") == "token\n--cluster\nprod\n")
        #expect(scratch.read("region") == "eu-west-1")
        #expect(scratch.read("exec-info") == #"{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","spec":{"interactive":false}}"#)
    }

    @Test func clientCertificateAndExpiryAreRead() async throws {
        let command = plugin(printing: """
            {"apiVersion":"\(Self.v1)","kind":"ExecCredential","status":{"clientCertificateData":"CERT","clientKeyData":"KEY","expirationTimestamp":"2030-01-02T03:04:05Z"}}
            """)
        let credential = try await ExecCredentialProvider(config: config(command)).credential()
        #expect(credential == ExecCredential(clientCertificate: Data("CERT".utf8), clientKey: SecretData(Data("KEY".utf8)),
                                             expiration: Date(timeIntervalSince1970: 1_893_553_445)))
    }

    @Test func credentialIsCachedUntilItExpires() async throws {
        let command = plugin(printing: #"{"apiVersion":"\#(Self.v1)","kind":"ExecCredential","status":{"token":"t","expirationTimestamp":"2030-01-01T00:00:00Z"}}"#)
        let clock = TestClock(Date(timeIntervalSince1970: 1_893_455_000))
        let provider = ExecCredentialProvider(config: config(command), environment: ProcessInfo.processInfo.environment,
                                              now: { clock.now })
        _ = try await provider.credential()
        _ = try await provider.credential()
        #expect(runs() == 1)
        clock.now = Date(timeIntervalSince1970: 1_893_456_000)
        _ = try await provider.credential()
        #expect(runs() == 2)
    }

    @Test func credentialWithoutExpiryLastsTheRun() async throws {
        let command = plugin(printing: #"{"apiVersion":"\#(Self.v1)","kind":"ExecCredential","status":{"token":"t"}}"#)
        let provider = ExecCredentialProvider(config: config(command))
        for _ in 0..<3 { _ = try await provider.credential() }
        #expect(await provider.runCount == 1)
        #expect(runs() == 1)
    }

    @Test func failingPluginReportsExitCodeAndTrimmedStderr() async throws {
        let command = plugin(printing: "", exitCode: 3, stderr: "\n  error: SSO session expired; run aws sso login  \n")
        await #expect(throws: KubeConfigError("exec plugin for user \"ci\" (\(command)) failed with exit code 3: error: SSO session expired; run aws sso login")) {
            try await ExecCredentialProvider(config: config(command)).credential()
        }
    }

    @Test func invalidJSONIsReportedWithoutQuotingTheOutput() async throws {
        let command = plugin(printing: "token=secret-abc")
        await #expect(throws: KubeConfigError("exec plugin for user \"ci\" (\(command)) printed invalid JSON; expected an ExecCredential object on stdout")) {
            try await ExecCredentialProvider(config: config(command)).credential()
        }
    }

    @Test func wrongAPIVersionIsAnError() async throws {
        let command = plugin(printing: #"{"apiVersion":"\#(Self.v1beta1)","kind":"ExecCredential","status":{"token":"t"}}"#)
        await #expect(throws: KubeConfigError("exec plugin for user \"ci\" (\(command)) returned apiVersion \"\(Self.v1beta1)\"; expected \"\(Self.v1)\" as exec.apiVersion in the kubeconfig says")) {
            try await ExecCredentialProvider(config: config(command)).credential()
        }
    }

    @Test func wrongKindIsAnError() async throws {
        let command = plugin(printing: #"{"apiVersion":"\#(Self.v1)","kind":"Status","status":{"token":"t"}}"#)
        await #expect(throws: KubeConfigError("exec plugin for user \"ci\" (\(command)) returned kind \"Status\"; expected \"ExecCredential\"")) {
            try await ExecCredentialProvider(config: config(command)).credential()
        }
    }

    @Test func missingStatusIsAnError() async throws {
        let command = plugin(printing: #"{"apiVersion":"\#(Self.v1)","kind":"ExecCredential"}"#)
        await #expect(throws: KubeConfigError("exec plugin for user \"ci\" (\(command)) returned no status; expected status.token or status.clientCertificateData and clientKeyData")) {
            try await ExecCredentialProvider(config: config(command)).credential()
        }
    }

    @Test func commandNotFoundShowsTheInstallHint() async throws {
        let config = config("gke-gcloud-auth-plugin-missing", installHint: "Install gke-gcloud-auth-plugin:\n  gcloud components install gke-gcloud-auth-plugin\n")
        await #expect(throws: KubeConfigError("exec plugin for user \"ci\": command \"gke-gcloud-auth-plugin-missing\" was not found in PATH\nInstall gke-gcloud-auth-plugin:\n  gcloud components install gke-gcloud-auth-plugin")) {
            try await ExecCredentialProvider(config: config, environment: ["PATH": scratch.path]).credential()
        }
    }

    @Test func bareCommandIsFoundOnPath() async throws {
        plugin(printing: #"{"apiVersion":"\#(Self.v1)","kind":"ExecCredential","status":{"token":"from-path"}}"#)
        let credential = try await ExecCredentialProvider(config: config("plugin.sh"), environment: ["PATH": "/nonexistent:\(scratch.path):/usr/bin:/bin"]).credential()
        #expect(credential.token == SecretText("from-path"))
    }

    @Test func interactiveOnlyPluginIsRefused() async throws {
        var config = config("/bin/true")
        config.interactiveMode = "Always"
        await #expect(throws: KubeConfigError("exec plugin for user \"ci\" (/bin/true) needs a terminal (interactiveMode: Always), which pipedreamer never has; log in with the plugin first or set interactiveMode to IfAvailable")) {
            try await ExecCredentialProvider(config: config).credential()
        }
    }
}

/// A settable clock for expiry tests.
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date
    init(_ start: Date) { current = start }
    var now: Date {
        get { lock.withLock { current } }
        set { lock.withLock { current = newValue } }
    }
}
