import Foundation
import Testing
import TestSupport

/// The plugin's init fails, naming the Argo CD setting to change, whenever generate could not
/// render the commit from what reached the plugin; the cmp server then never runs generate
/// (argo-cd cmpserver/plugin/plugin.go `generateManifest`).
@Suite struct ArgoCDPluginInitTests {
    let fixture: GitFixture
    let scratch: URL
    let revision: String
    let repo: URL

    init() throws {
        fixture = try GitFixture()
        scratch = try Integrations.scratch()
        try fixture.writeWorkflow(at: "apps/billing", name: "billing")
        try fixture.write("README.md", "workflows\n")
        revision = try fixture.commitAll("billing")
        repo = try ArgoCDRepoServer.clone(fixture.path, at: revision, into: scratch.appendingPathComponent("repo-server")).root
    }

    static let billing = ArgoCDApplication(name: "billing", path: "apps/billing")

    /// Runs the GenerateManifest request; expects init to fail with `message` and generate not to
    /// run, and generate alone to fail on the same input (so init refuses nothing that works).
    func expectInitRefuses(_ settings: ArgoCDSettings, _ message: String, app: ArgoCDApplication = billing,
                           revision: String? = nil, inclusions: [String]? = nil, generateFails: String) throws {
        let cmp = try ArgoCDCMPServer(settings: settings, scratch: scratch)
        let generation = try cmp.generate(app, from: repo, revision: revision ?? self.revision, inclusions: inclusions)
        #expect(generation.ran == ["init"])
        #expect(generation.result?.status == 1)
        #expect(generation.stderr == "pipedreamer: " + message + "\n")
        let alone = try cmp.generate(app, from: repo, revision: revision ?? self.revision, inclusions: inclusions, steps: ["generate"])
        #expect(alone.result?.status != 0)
        #expect(alone.stdout.isEmpty)
        #expect(alone.stderr.contains(generateFails), "\(alone.stderr)")
    }

    @Test func anExclusionOfGitContentsSendsAnEmptyGitDirectoryAndInitNamesTheTarExclusions() throws {
        defer { try? FileManager.default.removeItem(at: scratch) }
        // Argo CD's docs suggest `.git/*`: filepath.Match(".git/*", ".git") is false, so the
        // directory is tarred, and every entry below it matches.
        let entries = try ArgoCDRepoServer.tar(repo, exclusions: [".git/*"])
        #expect(entries.contains(ArgoCDRepoServer.Entry(path: ".git", kind: .directory)))
        #expect(!entries.contains { $0.path.hasPrefix(".git/") })
        try expectInitRefuses(ArgoCDSettings(tarExclusions: [".git/*"]),
                              "the repository reached the plugin with an empty or partial .git (an exclusion such as .git/* keeps the directory and drops what is in it), and render reads the commit from git; remove every pattern under .git from reposerver.plugin.tar.exclusions in argocd-cmd-params-cm",
                              generateFails: "not a git repository")
    }

    @Test func anExclusionOfGitSendsNoGitAndInitNamesTheTarExclusions() throws {
        defer { try? FileManager.default.removeItem(at: scratch) }
        #expect(!(try ArgoCDRepoServer.tar(repo, exclusions: [".git"])).contains { $0.path.hasPrefix(".git") })
        try expectInitRefuses(ArgoCDSettings(tarExclusions: [".git"]),
                              "the repository reached the plugin without .git, and render reads the commit from git; remove .git from the repo server's plugin tar exclusions (reposerver.plugin.tar.exclusions in argocd-cmd-params-cm)",
                              generateFails: "not a git repository")
    }

    @Test func anExclusionOfGitObjectsLeavesTheCommitOutAndInitSaysSo() throws {
        defer { try? FileManager.default.removeItem(at: scratch) }
        try expectInitRefuses(ArgoCDSettings(tarExclusions: [".git/objects/*"]),
                              "commit \(revision) is not in the repository that reached the plugin; if reposerver.plugin.tar.exclusions in argocd-cmd-params-cm names anything under .git (such as .git/objects/*), remove it, then hard-refresh the Application",
                              generateFails: revision)
    }

    @Test func manifestGeneratePathsSendsOnlyTheAppDirectoryAndInitNamesThatSetting() throws {
        defer { try? FileManager.default.removeItem(at: scratch) }
        var app = Self.billing
        app.manifestGeneratePaths = "."
        try expectInitRefuses(ArgoCDSettings(useManifestGeneratePaths: true),
                              "only part of the repository reached the plugin (with reposerver.plugin.use.manifest.generate.paths, Argo CD sends the directories of the Application's manifest-generate-paths annotation, without the repository root and its .git), and render reads the commit from git; set reposerver.plugin.use.manifest.generate.paths to false in argocd-cmd-params-cm, or add / to this Application's argocd.argoproj.io/manifest-generate-paths annotation",
                              app: app, generateFails: "not a git repository")
    }

    @Test func manifestGeneratePathsWithTheRepositoryRootSendsItWholeAndGenerateWorks() throws {
        defer { try? FileManager.default.removeItem(at: scratch) }
        #expect(ArgoCDRepoServer.applicationRootPath(appPath: "apps/billing", annotation: ".") == "apps/billing")
        #expect(ArgoCDRepoServer.applicationRootPath(appPath: "apps/billing", annotation: "..;../../shared") == "")
        var app = Self.billing
        app.manifestGeneratePaths = ".;/"
        let cmp = try ArgoCDCMPServer(settings: ArgoCDSettings(useManifestGeneratePaths: true), scratch: scratch)
        let generation = try cmp.generate(app, from: repo, revision: revision)
        #expect(generation.ran == ["init", "generate"])
        #expect(generation.result?.status == 0, "\(generation.stderr)")
        let rendered = try PipedreamerBinary.run(["render", revision, "-w", "apps/billing", "-n", "team-a"], in: fixture.path)
        #expect(generation.stdout == rendered.stdoutText)
    }

    @Test func aServerSideGeneratedLocalDiffSendsNoCommitAndInitSaysThisModeCannotWork() throws {
        defer { try? FileManager.default.removeItem(at: scratch) }
        // argocd app diff --local --server-side-generate (cmd/argocd/commands/app_diff.go
        // --local-include) sends these files; the repo server generates with revision "streamed"
        // (reposerver/repository/repository.go GenerateManifestWithFiles).
        let inclusions = ["*.yaml", "*.yml", "*.json"]
        let entries = try ArgoCDRepoServer.tar(repo, inclusions: inclusions, exclusions: [])
        #expect(!entries.contains(ArgoCDRepoServer.Entry(path: ".git/HEAD", kind: .regular)))
        #expect(entries.contains(ArgoCDRepoServer.Entry(path: "apps/billing/workflow.yaml", kind: .regular)))
        try expectInitRefuses(ArgoCDSettings(),
                              "argocd app diff --local --server-side-generate sends local *.yaml, *.yml and *.json files and no commit (revision \"streamed\"), and pipedreamer renders a commit, so this mode cannot work; push the change and run argocd app diff APP --revision BRANCH-OR-SHA, or compare locally with pipedreamer diff",
                              revision: "streamed", inclusions: inclusions, generateFails: "not a git repository")
    }
}
