import Foundation
import KubeTestServer
import Testing
import TestSupport
import Yams

/// integrations/argocd run as Argo CD runs a sidecar plugin: the repo server checks the
/// repository out at the resolved SHA (detached, `.git` included) and sends it as a tar stream;
/// the cmp server unpacks it into a fresh directory and runs `discover.find.command`, `init.command`
/// and `generate.command` (each `command` followed by `args`, executed directly, not through a
/// shell) in the Application's path, with the sidecar's environment plus the build variables and
/// parameters, leaving out empty values (argo-cd cmpserver/plugin/plugin.go `environ`, and
/// `ApplicationSourcePluginParameters.Environ` in pkg/apis/application/v1alpha1/types.go).
@Suite struct ArgoCDPluginTests {
    static let namespace = "team-a"
    let fixture: GitFixture
    let scratch: URL
    /// The commit the Application syncs: it changes only README.md.
    let revision: String
    /// The last commits that changed each workflow.
    let billingCode: String
    let reportsCode: String

    init() throws {
        fixture = try GitFixture()
        scratch = try Integrations.scratch()
        try fixture.writeWorkflow(at: "apps/billing", name: "billing")
        try fixture.write("apps/reports/workflow.yaml", """
            name: reports
            version: "1.0"
            triggers:
              - type: cron
                schedule: "30 2 * * *"
            nodes:
              build: nodes/build.ts

            """)
        try fixture.write("apps/reports/nodes/build.ts", "export default async () => ({ rows: [] });\n")
        try fixture.write("README.md", "workflows\n")
        reportsCode = try fixture.commitAll("two workflows")
        try fixture.write("apps/billing/nodes/fetch.ts", "export default async () => ({ ok: 'v2' });\n")
        billingCode = try fixture.commitAll("billing v2")
        try fixture.write("README.md", "workflows, documented\n")
        revision = try fixture.commitAll("docs")
    }

    /// The repository as the plugin receives it: a checkout of `revision` (detached HEAD, as the
    /// repo server leaves it), packed with tar and unpacked into a fresh directory.
    func receivedRepository(excludingGit: Bool = false, at commit: String? = nil) throws -> URL {
        let checkout = scratch.appendingPathComponent("repo-server-\(UUID().uuidString)")
        try fixture.git(["clone", "-q", fixture.path, checkout.path])
        _ = try Command.run("/usr/bin/env", ["git", "checkout", "-q", "--detach", commit ?? revision], in: checkout.path,
                            environment: GitFixture.environment)
        let archive = scratch.appendingPathComponent("repo-\(UUID().uuidString).tar")
        let packed = try Command.run("/usr/bin/env", ["tar", "-cf", archive.path] + (excludingGit ? ["--exclude=./.git"] : []) + ["."],
                                     in: checkout.path)
        guard packed.status == 0 else { throw FixtureError("tar -c failed: \(packed.stderrText)") }
        let unpacked = scratch.appendingPathComponent("cmp-server-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: unpacked, withIntermediateDirectories: true)
        let untarred = try Command.run("/usr/bin/env", ["tar", "-xf", archive.path], in: unpacked.path)
        guard untarred.status == 0 else { throw FixtureError("tar -x failed: \(untarred.stderrText)") }
        return unpacked
    }

    /// `command` then `args` of a plugin command, as the cmp server puts them together.
    static func argv(_ plugin: [String: Any], _ path: [String]) throws -> [String] {
        let command = Integrations.value(plugin, path) as? [String: Any]
        let argv = ((command?["command"] as? [String]) ?? []) + ((command?["args"] as? [String]) ?? [])
        guard let first = argv.first, !first.isEmpty else {
            throw FixtureError("integrations/argocd/plugin.yaml has no \(path.joined(separator: ".")).command")
        }
        return argv
    }

    /// Runs a plugin command as the cmp server does: argv[0] looked up on the sidecar's PATH, the
    /// rest as its arguments, in `directory`, with the sidecar's environment and `entries`
    /// (entries with an empty value left out, as Argo CD leaves them out).
    func runPluginCommand(_ argv: [String], in directory: URL, entries: [String: String]) throws -> Command.Result {
        var environment = Integrations.cleanEnvironment(home: scratch)
        for (name, value) in entries where !value.isEmpty { environment[name] = value }
        let executable = argv[0].hasPrefix("/") ? argv[0]
            : environment["PATH"]!.split(separator: ":").map { "\($0)/\(argv[0])" }
                .first { FileManager.default.isExecutableFile(atPath: $0) } ?? argv[0]
        return try Command.run(executable, Array(argv.dropFirst()), in: directory.path, environment: environment)
    }

    /// The build environment Argo CD gives an Application at `path`, plus its plugin parameters
    /// (names and string values, in the Application's order).
    func buildEnvironment(app: String, path: String, parameters: [(String, String)]) -> [String: String] {
        var entries = [
            "ARGOCD_APP_NAME": app,
            "ARGOCD_APP_NAMESPACE": Self.namespace,
            "ARGOCD_APP_REVISION": revision,
            "ARGOCD_APP_REVISION_SHORT": String(revision.prefix(7)),
            "ARGOCD_APP_SOURCE_PATH": path,
            "ARGOCD_APP_SOURCE_REPO_URL": "https://git.example.com/team/workflows.git",
            "ARGOCD_APP_SOURCE_TARGET_REVISION": "main",
            "KUBE_VERSION": "1.32",
            "KUBE_API_VERSIONS": "v1,apps/v1,batch/v1,coordination.k8s.io/v1",
        ]
        // Go's json.Marshal of the parameters: compact, keys in the order name, string.
        entries["ARGOCD_APP_PARAMETERS"] = parameters.isEmpty ? "null"
            : "[" + parameters.map { "{\"name\":\"\($0.0)\",\"string\":\"\($0.1)\"}" }.joined(separator: ",") + "]"
        for (name, value) in parameters {
            let escaped = String(name.uppercased().map { $0.isLetter || $0.isNumber || $0 == "_" ? $0 : "_" })
            entries["PARAM_" + escaped] = value
        }
        return entries
    }

    func documents(_ yaml: String) throws -> [[String: Any]] {
        try Yams.load_all(yaml: yaml).compactMap { $0 as? [String: Any] }
    }

    struct Case {
        let app: String
        let path: String
        let parameters: [(String, String)]
        let renderFlags: [String]
    }

    static let cases = [
        Case(app: "billing", path: "apps/billing",
             parameters: [("image", "registry.example.com/engine:2.0"), ("runtime-class", ""), ("code-configmap", "per-commit")],
             renderFlags: ["--image", "registry.example.com/engine:2.0", "--runtime-class", "", "--code-configmap", "per-commit"]),
        Case(app: "reports", path: "apps/reports", parameters: [], renderFlags: []),
    ]

    @Test func discoverAndGenerateAtEachApplicationPathGiveWhatRenderGivesAndApplyServerSide() async throws {
        defer { try? FileManager.default.removeItem(at: scratch) }
        let plugin = try Integrations.mapping("integrations/argocd/plugin.yaml")
        #expect(plugin["apiVersion"] as? String == "argoproj.io/v1alpha1")
        #expect(plugin["kind"] as? String == "ConfigManagementPlugin")
        let discover = try Self.argv(plugin, ["spec", "discover", "find"])
        let initialise = try Self.argv(plugin, ["spec", "init"])
        let generate = try Self.argv(plugin, ["spec", "generate"])
        let announced = (Integrations.value(plugin, ["spec", "parameters", "static"]) as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
        #expect(announced == ["image", "runtime-class", "code-configmap"])

        let kubectl = Command.which("kubectl")
        let server = try await KubeTestServer.start(KubeTestServer.Configuration(namespaces: [Self.namespace],
                                                                                runtimeClasses: ["gvisor": "runsc"]))
        let kubeconfig = try Integrations.writeKubeconfig(server, in: scratch)
        for app in Self.cases {
            let received = try receivedRepository()
            #expect(FileManager.default.fileExists(atPath: received.appendingPathComponent(".git/HEAD").path))
            let appDirectory = received.appendingPathComponent(app.path)
            let entries = buildEnvironment(app: app.app, path: app.path, parameters: app.parameters)

            let found = try runPluginCommand(discover, in: appDirectory, entries: entries)
            #expect(found.status == 0, "\(found.stderrText)")
            #expect(!found.stdoutText.isEmpty, "discover must match \(app.path)")
            let initialised = try runPluginCommand(initialise, in: appDirectory, entries: entries)
            #expect(initialised.status == 0, "\(initialised.stderrText)")
            let generated = try runPluginCommand(generate, in: appDirectory, entries: entries)
            #expect(generated.status == 0, "\(generated.stderrText)")

            let rendered = try PipedreamerBinary.run(["render", revision, "-w", app.path, "-n", Self.namespace] + app.renderFlags,
                                                     in: fixture.path)
            #expect(rendered.status == 0, "\(rendered.stderrText)")
            #expect(generated.stdoutText == rendered.stdoutText)

            let objects = try documents(generated.stdoutText)
            #expect(!objects.isEmpty)
            for object in objects {
                #expect(Integrations.value(object, ["metadata", "namespace"]) as? String == Self.namespace)
            }
            guard let kubectl else { continue }
            // Argo CD's ServerSideApply=true sync: kubectl apply --server-side under Argo CD's field manager.
            let applied = try Command.run(kubectl, ["apply", "--server-side", "--field-manager=argocd-controller",
                                                    "--kubeconfig", kubeconfig, "-f", "-"],
                                          in: scratch.path, environment: GitFixture.environment, input: generated.stdout)
            #expect(applied.status == 0, "\(applied.stderrText)")
        }
        if kubectl != nil {
            // billing: the parameters reached render (image, no runtime class, a per-commit code map of its code commit).
            let billing = server.object(.deployments, namespace: Self.namespace, name: "billing")
            #expect(billing?.value(at: ["spec", "template", "spec", "containers"])?.array?.first?["image"]?.string
                    == "registry.example.com/engine:2.0")
            #expect(billing?.value(at: ["spec", "template", "spec", "runtimeClassName"]) == nil)
            #expect(server.object(.configMaps, namespace: Self.namespace, name: "billing-code-\(billingCode.prefix(12))") != nil)
            // reports: the defaults, stamped with the last commit that changed it (history came along in .git).
            let reports = server.object(.deployments, namespace: Self.namespace, name: "reports")
            #expect(reports?.value(at: ["spec", "template", "spec", "runtimeClassName"])?.string == "gvisor")
            #expect(reports?.value(at: ["spec", "template", "metadata", "annotations", "kubectl.kubernetes.io/restartedAt"])?.string
                    == reportsCode)
            #expect(server.object(.configMaps, namespace: Self.namespace, name: "reports-code") != nil)
            #expect(server.object(.cronJobs, namespace: Self.namespace, name: "reports-cron") != nil)
        }
        try await server.shutdown()
    }

    @Test func discoverIgnoresAPathWithoutAWorkflowAndInitExplainsAMissingGitDirectory() throws {
        defer { try? FileManager.default.removeItem(at: scratch) }
        let plugin = try Integrations.mapping("integrations/argocd/plugin.yaml")
        let entries = buildEnvironment(app: "all", path: ".", parameters: [])
        let received = try receivedRepository()
        let atRoot = try runPluginCommand(try Self.argv(plugin, ["spec", "discover", "find"]), in: received, entries: entries)
        #expect(atRoot.status == 0)
        #expect(atRoot.stdoutText.isEmpty)

        let withoutGit = try receivedRepository(excludingGit: true)
        let app = withoutGit.appendingPathComponent("apps/billing")
        let initialised = try runPluginCommand(try Self.argv(plugin, ["spec", "init"]), in: app, entries: entries)
        #expect(initialised.status == 1)
        #expect(initialised.stderrText.contains("the repository reached the plugin without .git"), "\(initialised.stderrText)")
    }

    @Test func aCommitThatCannotShipFailsGenerateSoArgoCDSyncsNothing() throws {
        defer { try? FileManager.default.removeItem(at: scratch) }
        // Pushed past the hooks (--no-verify): the plugin renders with the same rules and refuses.
        try fixture.write("apps/billing/nodes/huge.ts", HookedRepository.text(bytes: 921_601))
        let bad = try fixture.commitAll("huge node")
        let plugin = try Integrations.mapping("integrations/argocd/plugin.yaml")
        let received = try receivedRepository(at: bad)
        var entries = buildEnvironment(app: "billing", path: "apps/billing", parameters: [])
        entries["ARGOCD_APP_REVISION"] = bad
        let generated = try runPluginCommand(try Self.argv(plugin, ["spec", "generate"]),
                                             in: received.appendingPathComponent("apps/billing"), entries: entries)
        #expect(generated.status != 0)
        #expect(generated.stdoutText.isEmpty)
        #expect(generated.stderrText.contains("workflow code exceeds ConfigMap size limit (900KB)"), "\(generated.stderrText)")
    }

    @Test(.enabled(if: Command.which("kubectl") != nil))
    func theSidecarPatchesArgoCDsRepoServerIntoADeploymentTheAPIServerAccepts() async throws {
        defer { try? FileManager.default.removeItem(at: scratch) }
        let kubectl = Command.which("kubectl")!
        let repoServer = scratch.appendingPathComponent("argocd-repo-server.yaml")
        // The parts of Argo CD's own argocd-repo-server Deployment the sidecar relies on: the
        // var-files volume the copyutil init container fills with argocd-cmp-server, and plugins.
        try """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: argocd-repo-server
            spec:
              selector:
                matchLabels: {app.kubernetes.io/name: argocd-repo-server}
              template:
                metadata:
                  labels: {app.kubernetes.io/name: argocd-repo-server}
                spec:
                  initContainers:
                    - name: copyutil
                      image: quay.io/argoproj/argocd:v2.13.0
                      command: [/bin/cp, -n, /usr/local/bin/argocd, /var/run/argocd/argocd-cmp-server]
                      volumeMounts:
                        - {name: var-files, mountPath: /var/run/argocd}
                  containers:
                    - name: argocd-repo-server
                      image: quay.io/argoproj/argocd:v2.13.0
                      volumeMounts:
                        - {name: var-files, mountPath: /var/run/argocd}
                        - {name: plugins, mountPath: /home/argocd/cmp-server/plugins}
                        - {name: tmp, mountPath: /tmp}
                  volumes:
                    - {name: var-files, emptyDir: {}}
                    - {name: plugins, emptyDir: {}}
                    - {name: tmp, emptyDir: {}}

            """.write(to: repoServer, atomically: true, encoding: .utf8)
        let server = try await KubeTestServer.start(KubeTestServer.Configuration(namespaces: ["argocd"]))
        let kubeconfig = try Integrations.writeKubeconfig(server, namespace: "argocd", in: scratch)
        let sidecar = Integrations.projectRoot.appendingPathComponent("integrations/argocd/repo-server-sidecar.yaml").path
        let patched = try Command.run(kubectl, ["patch", "--local", "-f", repoServer.path, "--type", "strategic",
                                                "--patch-file", sidecar, "-o", "yaml", "--kubeconfig", kubeconfig],
                                      in: scratch.path, environment: GitFixture.environment)
        #expect(patched.status == 0, "\(patched.stderrText)")
        let deployment = try Yams.load(yaml: patched.stdoutText) as? [String: Any]
        let pod = Integrations.value(deployment, ["spec", "template", "spec"]) as? [String: Any]
        let containers = pod?["containers"] as? [[String: Any]] ?? []
        #expect(containers.compactMap { $0["name"] as? String }.sorted() == ["argocd-repo-server", "pipedreamer"])
        let plugin = containers.first { $0["name"] as? String == "pipedreamer" }
        #expect(plugin?["command"] as? [String] == ["/var/run/argocd/argocd-cmp-server"])
        #expect(Integrations.value(plugin, ["securityContext", "runAsUser"]) as? Int == 999)
        #expect(Integrations.value(plugin, ["securityContext", "runAsNonRoot"]) as? Bool == true)
        let mounts = (plugin?["volumeMounts"] as? [[String: Any]] ?? []).map {
            "\($0["name"] as? String ?? "") \($0["mountPath"] as? String ?? "") \($0["subPath"] as? String ?? "")"
        }
        #expect(mounts == ["var-files /var/run/argocd ", "plugins /home/argocd/cmp-server/plugins ",
                           "pipedreamer-plugin /home/argocd/cmp-server/config/plugin.yaml plugin.yaml",
                           "pipedreamer-tmp /tmp "])
        // Its /tmp is its own, not the repo server's.
        #expect(!mounts.contains("tmp /tmp "))

        // The ConfigMap exactly as the sidecar file's comment creates it, then both applied.
        let configMap = try Command.run(kubectl, ["create", "configmap", "pipedreamer-plugin",
                                                  "--from-file=plugin.yaml=" + Integrations.projectRoot.appendingPathComponent("integrations/argocd/plugin.yaml").path,
                                                  "--dry-run=client", "-o", "yaml", "--kubeconfig", kubeconfig],
                                        in: scratch.path, environment: GitFixture.environment)
        #expect(configMap.status == 0, "\(configMap.stderrText)")
        for manifest in [configMap.stdout, patched.stdout] {
            let applied = try Command.run(kubectl, ["apply", "--server-side", "--kubeconfig", kubeconfig, "-f", "-"],
                                          in: scratch.path, environment: GitFixture.environment, input: manifest)
            #expect(applied.status == 0, "\(applied.stderrText)")
        }
        let stored = server.object(.configMaps, namespace: "argocd", name: "pipedreamer-plugin")
        #expect(stored?.value(at: ["data", "plugin.yaml"])?.string == (try Integrations.text("integrations/argocd/plugin.yaml")))
        #expect(server.object(.deployments, namespace: "argocd", name: "argocd-repo-server")?
            .value(at: ["spec", "template", "spec", "containers"])?.array?.count == 2)
        try await server.shutdown()
    }
}
