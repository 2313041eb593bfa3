import Foundation
import KubeTestServer
import Testing
import TestSupport
import Yams

/// integrations/argocd/plugin.yaml run as Argo CD runs a sidecar plugin (ArgoCDRepoServer and
/// ArgoCDCMPServer follow argo-cd's source): generate prints exactly what `pipedreamer render`
/// of the resolved commit prints, and the objects apply server-side.
@Suite struct ArgoCDPluginTests {
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
        // Arrive changed: tar.go unpacks every file 0644, and a symlink relativised.
        try fixture.write("scripts/check.sh", "#!/bin/sh\nexit 0\n")
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: fixture.path + "/scripts/check.sh")
        try FileManager.default.createSymbolicLink(atPath: fixture.path + "/apps/billing/README.md", withDestinationPath: "../../README.md")
        reportsCode = try fixture.commitAll("two workflows")
        try fixture.write("apps/billing/nodes/fetch.ts", "export default async () => ({ ok: 'v2' });\n")
        billingCode = try fixture.commitAll("billing v2")
        try fixture.write("README.md", "workflows, documented\n")
        revision = try fixture.commitAll("docs")
    }

    /// The repo server's clone of the fixture at `commit`.
    func repoServer(at commit: String? = nil) throws -> URL {
        try ArgoCDRepoServer.clone(fixture.path, at: commit ?? revision,
                                   into: scratch.appendingPathComponent("repo-server-\(UUID().uuidString)")).root
    }

    func render(_ path: String, _ flags: [String]) throws -> String {
        let rendered = try PipedreamerBinary.run(["render", revision, "-w", path, "-n", "team-a"] + flags, in: fixture.path)
        #expect(rendered.status == 0, "\(rendered.stderrText)")
        return rendered.stdoutText
    }

    static let billing = ArgoCDApplication(name: "billing", path: "apps/billing", plugin: .init(parameters: [
        ("image", "registry.example.com/engine:2.0"), ("runtime-class", ""), ("code-configmap", "per-commit"),
    ]))
    static let billingFlags = ["--image", "registry.example.com/engine:2.0", "--runtime-class", "", "--code-configmap", "per-commit"]

    @Test func generateAtEachApplicationPathGivesWhatRenderGivesAndAppliesServerSide() async throws {
        defer { try? FileManager.default.removeItem(at: scratch) }
        let cmp = try ArgoCDCMPServer(scratch: scratch)
        let announced = (Integrations.value(cmp.plugin, ["spec", "parameters", "static"]) as? [[String: Any]] ?? [])
            .compactMap { $0["name"] as? String }
        #expect(announced == ["image", "runtime-class", "code-configmap"])
        let kubectl = Command.which("kubectl")
        let server = try await KubeTestServer.start(KubeTestServer.Configuration(namespaces: ["team-a"],
                                                                                runtimeClasses: ["gvisor": "runsc"]))
        let kubeconfig = try Integrations.writeKubeconfig(server, in: scratch)
        let repo = try repoServer()
        let reports = ArgoCDApplication(name: "reports", path: "apps/reports", plugin: .init())
        for (app, flags) in [(Self.billing, Self.billingFlags), (reports, [])] {
            let generation = try cmp.generate(app, from: repo, revision: revision)
            #expect(generation.matchRequests == 1)
            #expect(generation.ran == ["init", "generate"])
            #expect(generation.result?.status == 0, "\(generation.stderr)")
            #expect(generation.stdout == (try render(app.path, flags)))
            let objects = try Yams.load_all(yaml: generation.stdout).compactMap { $0 as? [String: Any] }
            #expect(objects.count >= 3)
            for object in objects { #expect(Integrations.value(object, ["metadata", "namespace"]) as? String == "team-a") }
            guard let kubectl else { continue }
            // Argo CD's ServerSideApply=true sync: kubectl apply --server-side under Argo CD's field manager.
            let applied = try Command.run(kubectl, ["apply", "--server-side", "--field-manager=argocd-controller",
                                                    "--kubeconfig", kubeconfig, "-f", "-"],
                                          in: scratch.path, environment: GitFixture.environment, input: Data(generation.stdout.utf8))
            #expect(applied.status == 0, "\(applied.stderrText)")
        }
        if kubectl != nil {
            // billing: the parameters reached render (image, PARAM_RUNTIME_CLASS= so no runtime class, per-commit code).
            let billing = server.object(.deployments, namespace: "team-a", name: "billing")
            #expect(billing?.value(at: ["spec", "template", "spec", "containers"])?.array?.first?["image"]?.string
                    == "registry.example.com/engine:2.0")
            #expect(billing?.value(at: ["spec", "template", "spec", "runtimeClassName"]) == nil)
            #expect(server.object(.configMaps, namespace: "team-a", name: "billing-code-\(billingCode.prefix(12))") != nil)
            // reports: the defaults, stamped with the last commit that changed it (history came along in .git).
            let reports = server.object(.deployments, namespace: "team-a", name: "reports")
            #expect(reports?.value(at: ["spec", "template", "spec", "runtimeClassName"])?.string == "gvisor")
            #expect(reports?.value(at: ["spec", "template", "metadata", "annotations", "kubectl.kubernetes.io/restartedAt"])?.string
                    == reportsCode)
            #expect(server.object(.configMaps, namespace: "team-a", name: "reports-code") != nil)
            #expect(server.object(.cronJobs, namespace: "team-a", name: "reports-cron-1") != nil)
        }
        try await server.shutdown()
    }

    @Test func argoCD2DropsTheEmptyRuntimeClassVariableAndGenerateReadsItFromTheParametersJSON() throws {
        defer { try? FileManager.default.removeItem(at: scratch) }
        let cmp = try ArgoCDCMPServer(settings: ArgoCDSettings(version: .v2), scratch: scratch)
        let generation = try cmp.generate(Self.billing, from: try repoServer(), revision: revision)
        #expect(generation.result?.status == 0, "\(generation.stderr)")
        #expect(generation.stdout == (try render("apps/billing", Self.billingFlags)))
        #expect(!generation.stdout.contains("runtimeClassName"))
    }

    @Test func aRuntimeClassParameterWithAValueIsPassedToRender() throws {
        defer { try? FileManager.default.removeItem(at: scratch) }
        let cmp = try ArgoCDCMPServer(scratch: scratch)
        let app = ArgoCDApplication(name: "reports", path: "apps/reports", plugin: .init(parameters: [("runtime-class", "kata")]))
        let generation = try cmp.generate(app, from: try repoServer(), revision: revision)
        #expect(generation.result?.status == 0, "\(generation.stderr)")
        #expect(generation.stdout == (try render("apps/reports", ["--runtime-class", "kata"])))
        #expect(generation.stdout.contains("runtimeClassName: kata"))
    }

    @Test func anApplicationWithoutAPluginNameIsDiscoveredByItsWorkflowYamlInTwoMatchRequests() throws {
        defer { try? FileManager.default.removeItem(at: scratch) }
        let cmp = try ArgoCDCMPServer(scratch: scratch)
        let repo = try repoServer()
        let discovered = try cmp.generate(ArgoCDApplication(name: "reports", path: "apps/reports", plugin: nil),
                                          from: repo, revision: revision)
        #expect(discovered.matchRequests == 2)
        #expect(discovered.matched)
        #expect(discovered.result?.status == 0, "\(discovered.stderr)")
        #expect(discovered.stdout == (try render("apps/reports", [])))
        // The repository root holds no workflow.yaml: the plugin is not chosen, nothing runs.
        let root = try cmp.generate(ArgoCDApplication(name: "all", path: ".", plugin: nil), from: repo, revision: revision)
        #expect(!root.matched)
        #expect(root.ran.isEmpty)
    }

    @Test func aCommitThatCannotShipFailsGenerateSoArgoCDSyncsNothing() throws {
        defer { try? FileManager.default.removeItem(at: scratch) }
        // Pushed past the hooks (--no-verify): the plugin renders with the same rules and refuses.
        try fixture.write("apps/billing/nodes/huge.ts", HookedRepository.text(bytes: 921_601))
        let bad = try fixture.commitAll("huge node")
        let cmp = try ArgoCDCMPServer(scratch: scratch)
        let generation = try cmp.generate(Self.billing, from: try repoServer(at: bad), revision: bad)
        #expect(generation.ran == ["init", "generate"])
        #expect(generation.result?.status != 0)
        #expect(generation.stdout.isEmpty)
        #expect(generation.stderr.contains("workflow code exceeds ConfigMap size limit (900KB)"), "\(generation.stderr)")
    }
}
