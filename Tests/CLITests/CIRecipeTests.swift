import Foundation
import KubeTestServer
import Testing
import TestSupport

/// The CI recipes in integrations/ci, run as a runner runs them: the repository checked out the
/// way the runner checks it out (the depth each recipe asks for), then every shell step the
/// recipe does not mark as setup, as written, with the variables the runner provides. Setup (the
/// checkout itself; pipedreamer comes from its image) is what this machine already has.
@Suite struct CIRecipeTests {
    static let limit = 921_600
    let origin: GitFixture
    let scratch: URL
    let baseCommit: String

    init() throws {
        origin = try GitFixture()
        scratch = try Integrations.scratch()
        // A repository set up as docs/hooks.md says: the hooks through the pre-commit framework.
        try origin.write(".pre-commit-config.yaml", """
            repos:
              - repo: local
                hooks:
                  - id: pipedreamer
                    name: pipedreamer (workflow code can ship)
                    entry: pipedreamer hook pre-commit
                    language: system
                    always_run: true
                    require_serial: true
                    stages: [pre-commit, pre-merge-commit]

            """)
        try origin.writeWorkflow(at: "wf")
        try origin.writeWorkflow(at: "other", name: "other")
        try origin.write("README.md", "workflows\n")
        baseCommit = try origin.commitAll("two workflows")
    }

    // MARK: the repository's history

    /// A branch `feature` off main: a new node, or one over the size limit (committed with
    /// --no-verify, as someone skipping the hooks would).
    /// With `overLimitOnlyWhenMerged`, feature and main each add half the limit to wf: both
    /// branches pass on their own and only the merge is too big.
    @discardableResult
    func pushFeature(oversize: Bool, overLimitOnlyWhenMerged: Bool = false) throws -> String {
        let half = Self.limit / 2 + 1_000
        try origin.git(["checkout", "-q", "-b", "feature", "main"])
        try origin.write("wf/nodes/extra.ts", oversize ? HookedRepository.text(bytes: Self.limit + 1)
                         : overLimitOnlyWhenMerged ? HookedRepository.text(bytes: half) : "export const extra = 1;\n")
        let head = try origin.commitAll(oversize ? "huge node" : "extra node")
        // main moves on meanwhile, so the merge result is a commit of its own.
        try origin.git(["checkout", "-q", "main"])
        try origin.write("other/nodes/fetch.ts", "export default async () => ({ ok: 'other v2' });\n")
        if overLimitOnlyWhenMerged { try origin.write("wf/nodes/main-half.ts", HookedRepository.text(bytes: half)) }
        try origin.commitAll("other v2")
        return head
    }

    /// What GitHub computes for a pull request from `feature` into main: refs/pull/1/merge.
    func githubMergeRef() throws -> String {
        try origin.git(["checkout", "-q", "--detach", "main"])
        try origin.git(["merge", "-q", "--no-ff", "--no-verify", "--no-edit", "feature"])
        let merge = try origin.gitText(["rev-parse", "HEAD"])
        try origin.git(["update-ref", "refs/pull/1/merge", merge])
        try origin.git(["checkout", "-q", "main"])
        return merge
    }

    /// A tag v1.0 on main whose commit itself changes only README.md (so each workflow's
    /// restart stamp comes from the history before it); `oversize` first commits a huge node.
    func tagRelease(oversize: Bool) throws -> (tag: String, commit: String) {
        if oversize {
            try origin.write("wf/nodes/huge.ts", HookedRepository.text(bytes: Self.limit + 1))
            try origin.commitAll("huge node")
        }
        try origin.write("README.md", "workflows, released\n")
        let commit = try origin.commitAll("release notes")
        try origin.git(["tag", "-a", "v1.0", "-m", "v1.0"])
        return ("v1.0", commit)
    }

    // MARK: the runner's checkout

    /// A fresh workspace holding `refspecs` of origin fetched at `depth` (0: everything), with
    /// `checkout` checked out detached, as actions/checkout and GitLab's runner leave it.
    func checkout(fetching refspecs: [String], depth: Int, checkout target: String) throws -> URL {
        let workspace = scratch.appendingPathComponent("workspace-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: workspace, withIntermediateDirectories: true)
        func git(_ arguments: [String]) throws {
            let result = try Command.run("/usr/bin/env", ["git"] + arguments, in: workspace.path, environment: GitFixture.environment)
            guard result.status == 0 else { throw FixtureError("git \(arguments.joined(separator: " ")): \(result.stderrText)") }
        }
        try git(["init", "-q"])
        try git(["remote", "add", "origin", "file://" + origin.path])
        try git(["fetch", "-q", "--no-tags", "--prune"] + (depth > 0 ? ["--depth=\(depth)"] : []) + ["origin"] + refspecs)
        try git(["checkout", "-q", "--force", "--detach", target])
        return workspace
    }

    // MARK: running the steps

    /// The bearer token in the kubeconfig secret: it must never reach the job's output.
    static let token = "ci-deploy-token-5f2a9c81e7"

    /// The test server for a deploy job, accepting only the secret's token.
    static func deployServer() async throws -> KubeTestServer {
        try await KubeTestServer.start(KubeTestServer.Configuration(tls: true, tokens: [token: UserInfo(name: "admin", groups: ["system:masters"])],
                                                                   runtimeClasses: ["gvisor": "runsc"]))
    }

    /// A kubeconfig for the test server, as the CI secret would hold it.
    func kubeconfigSecret(_ server: KubeTestServer) -> String { server.kubeconfig(token: Self.token) }

    func runScript(_ script: String, in workspace: URL, environment: [String: String]) throws -> Command.Result {
        let file = scratch.appendingPathComponent("step-\(UUID().uuidString).sh")
        try script.write(to: file, atomically: true, encoding: .utf8)
        let home = scratch.appendingPathComponent("home")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        var env = Integrations.cleanEnvironment(home: home)
        // A step that writes git's global config writes a file of the job's own, never /dev/null.
        env["GIT_CONFIG_GLOBAL"] = home.appendingPathComponent(".gitconfig").path
        env.merge(environment) { $1 }
        return try Command.run("/usr/bin/env", ["bash", "--noprofile", "--norc", "-eo", "pipefail", file.path],
                               in: workspace.path, environment: env)
    }

    // MARK: GitHub Actions

    struct GitHubJob {
        let steps: [[String: Any]]
        /// `with.fetch-depth` of the job's actions/checkout step.
        let fetchDepth: Int
        /// The steps that run (not named "setup:"), each as (name, script, env expressions).
        let runSteps: [(name: String, script: String, env: [String: String])]
    }

    func githubJob(_ name: String) throws -> (workflowEnv: [String: String], job: GitHubJob) {
        let recipe = try Integrations.mapping("integrations/ci/github-actions.yml")
        #expect(Integrations.value(recipe, ["defaults", "run", "shell"]) as? String == "bash")
        let steps = Integrations.value(recipe, ["jobs", name, "steps"]) as? [[String: Any]] ?? []
        #expect(!steps.isEmpty, "jobs.\(name).steps")
        let checkout = steps.first { ($0["uses"] as? String)?.hasPrefix("actions/checkout@") == true }
        let depth = Integrations.value(checkout, ["with", "fetch-depth"]) as? Int
        #expect(depth != nil, "jobs.\(name): actions/checkout states its fetch-depth")
        var runSteps = [(name: String, script: String, env: [String: String])]()
        for step in steps {
            let stepName = step["name"] as? String ?? ""
            if stepName.hasPrefix("setup:") { continue }
            // Only setup steps may use actions or install things; every other step is shell.
            #expect(step["uses"] == nil, "step \(stepName) uses an action but is not marked setup:")
            guard let script = step["run"] as? String else { continue }
            let env = (step["env"] as? [String: Any] ?? [:]).mapValues { "\($0)" }
            runSteps.append((stepName, script, env))
        }
        let workflowEnv = (recipe["env"] as? [String: Any] ?? [:]).mapValues { "\($0)" }
        return (workflowEnv, GitHubJob(steps: steps, fetchDepth: depth ?? 1, runSteps: runSteps))
    }

    /// Runs a job's steps in order, stopping at the first failure as Actions does; returns the
    /// failing step's result, or the last one.
    func runGitHubJob(_ name: String, in workspace: (Int) throws -> URL, context: [String: String],
                      secrets: [String: String] = [:], inputs: [String: String] = [:]) throws -> (status: Int32, output: String) {
        let (workflowEnv, job) = try githubJob(name)
        #expect(!job.runSteps.isEmpty)
        let directory = try workspace(job.fetchDepth)
        var output = ""
        for step in job.runSteps {
            var env = workflowEnv.merging(context) { $1 }
            env["GITHUB_WORKSPACE"] = directory.path
            for (key, expression) in step.env {
                // The only expressions a step's env may use: secrets and workflow_dispatch inputs
                // (an input not given is empty, as in Actions).
                let trimmed = expression.trimmingCharacters(in: .whitespaces)
                if trimmed.hasPrefix("${{ secrets."), trimmed.hasSuffix("}}") {
                    let secret = String(trimmed.dropFirst("${{ secrets.".count).dropLast(2)).trimmingCharacters(in: .whitespaces)
                    env[key] = secrets[secret] ?? ""
                } else if trimmed.hasPrefix("${{ inputs."), trimmed.hasSuffix("}}") {
                    let input = String(trimmed.dropFirst("${{ inputs.".count).dropLast(2)).trimmingCharacters(in: .whitespaces)
                    env[key] = inputs[input] ?? ""
                } else {
                    #expect(!trimmed.contains("${{"), "step \(step.name): env \(key) uses an expression the test cannot evaluate")
                    env[key] = expression
                }
            }
            let result = try runScript(step.script, in: directory, environment: env)
            output += "== \(step.name)\n\(result.stdoutText)\(result.stderrText)"
            if result.status != 0 { return (result.status, output) }
        }
        return (0, output)
    }

    func githubPullRequest(oversize: Bool, overLimitOnlyWhenMerged: Bool = false) throws -> (status: Int32, output: String) {
        try pushFeature(oversize: oversize, overLimitOnlyWhenMerged: overLimitOnlyWhenMerged)
        let merge = try githubMergeRef()
        return try runGitHubJob("check", in: { depth in
            try checkout(fetching: ["+refs/pull/1/merge:refs/remotes/pull/1/merge"], depth: depth, checkout: "refs/remotes/pull/1/merge")
        }, context: ["CI": "true", "GITHUB_ACTIONS": "true", "GITHUB_EVENT_NAME": "pull_request",
                     "GITHUB_REF": "refs/pull/1/merge", "GITHUB_SHA": merge, "GITHUB_BASE_REF": "main", "GITHUB_HEAD_REF": "feature"])
    }

    @Test func githubChecksAGoodPullRequest() throws {
        defer { try? FileManager.default.removeItem(at: scratch) }
        let result = try githubPullRequest(oversize: false)
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("workflow wf: ok"), "\(result.output)")
        // The merge brings the feature commit and the merge commit itself.
        #expect(result.output.contains("pipedreamer: each of the 2 commits the merge brings can ship\n"), "\(result.output)")
    }

    @Test func githubFailsAPullRequestWithAnOversizeCommit() throws {
        defer { try? FileManager.default.removeItem(at: scratch) }
        let result = try githubPullRequest(oversize: true)
        #expect(result.status != 0)
        #expect(result.output.contains("workflow code exceeds ConfigMap size limit (900KB)"), "\(result.output)")
    }

    @Test func githubJudgesTheMergeResultNotTheBranch() throws {
        defer { try? FileManager.default.removeItem(at: scratch) }
        let result = try githubPullRequest(oversize: false, overLimitOnlyWhenMerged: true)
        #expect(result.status != 0)
        #expect(result.output.contains("workflow code exceeds ConfigMap size limit (900KB)"), "\(result.output)")
    }

    func githubTag(oversize: Bool, server: KubeTestServer) throws -> (status: Int32, output: String, commit: String) {
        let (tag, commit) = try tagRelease(oversize: oversize)
        let result = try runGitHubJob("deploy", in: { depth in
            try checkout(fetching: ["+refs/heads/*:refs/remotes/origin/*", "+refs/tags/*:refs/tags/*"], depth: depth,
                         checkout: "refs/tags/\(tag)")
        }, context: ["CI": "true", "GITHUB_ACTIONS": "true", "GITHUB_EVENT_NAME": "push", "GITHUB_REF": "refs/tags/\(tag)",
                     "GITHUB_REF_NAME": tag, "GITHUB_REF_TYPE": "tag", "GITHUB_SHA": commit],
           secrets: ["KUBECONFIG": kubeconfigSecret(server)])
        return (result.status, result.output, commit)
    }

    @Test func githubDeploysATagWithEachWorkflowStampedByItsOwnLastChange() async throws {
        defer { try? FileManager.default.removeItem(at: scratch) }
        let server = try await Self.deployServer()
        let result = try githubTag(oversize: false, server: server)
        #expect(result.status == 0, "\(result.output)")
        try expectDeployed(server, output: result.output, tagCommit: result.commit)
        try await server.shutdown()
    }

    @Test func githubRefusesToDeployAnOversizeTag() async throws {
        defer { try? FileManager.default.removeItem(at: scratch) }
        let server = try await Self.deployServer()
        let result = try githubTag(oversize: true, server: server)
        #expect(result.status != 0)
        #expect(result.output.contains("workflow code exceeds ConfigMap size limit (900KB)"), "\(result.output)")
        // The tag is checked as a whole first: the workflow that could ship is not deployed either.
        #expect(server.object(.configMaps, namespace: "default", name: "hello-code") == nil)
        #expect(server.object(.deployments, namespace: "default", name: "other") == nil)
        try await server.shutdown()
    }

    /// Both workflows deployed; each restart stamp is the last commit that changed its directory
    /// (the full history was fetched), not the tag's commit; the kubeconfig never printed.
    func expectDeployed(_ server: KubeTestServer, output: String, tagCommit: String) throws {
        for (name, directory) in [("hello", "wf"), ("other", "other")] {
            let stamp = server.object(.deployments, namespace: "default", name: name)?
                .value(at: ["spec", "template", "metadata", "annotations", "kubectl.kubernetes.io/restartedAt"])?.string
            let lastChange = try origin.gitText(["log", "-1", "--format=%H", tagCommit, "--", directory])
            #expect(stamp == lastChange, "\(name): \(output)")
            #expect(stamp != tagCommit)
            #expect(output.contains("deployed \(name) at "), "\(output)")
        }
        #expect(!output.contains("this clone is shallow"), "\(output)")
        #expect(!output.contains(Self.token))
        #expect(!output.contains("certificate-authority-data"))
    }

    // MARK: GitLab CI

    func gitlabJob(_ name: String) throws -> (script: String, variables: [String: String], depth: Int) {
        let recipe = try Integrations.mapping("integrations/ci/gitlab-ci.yml")
        guard let job = recipe[name] as? [String: Any] else { throw FixtureError("integrations/ci/gitlab-ci.yml has no job \(name)") }
        let lines = job["script"] as? [String] ?? []
        #expect(!lines.isEmpty, "\(name).script")
        let global = (recipe["variables"] as? [String: Any] ?? [:]).mapValues { "\($0)" }
        let own = (job["variables"] as? [String: Any] ?? [:]).mapValues { "\($0)" }
        let variables = global.merging(own) { $1 }
        let depth = Int(variables["GIT_DEPTH"] ?? "")
        #expect(depth != nil, "\(name): the job states GIT_DEPTH")
        // The runner runs the lines in order in one shell that stops at the first failure.
        return (lines.joined(separator: "\n"), variables, depth ?? 20)
    }

    func runGitLabJob(_ name: String, in workspace: (Int) throws -> URL, context: [String: String]) throws -> (status: Int32, output: String) {
        let job = try gitlabJob(name)
        let directory = try workspace(job.depth)
        var env = job.variables.merging(context) { $1 }
        env["CI_PROJECT_DIR"] = directory.path
        let result = try runScript(job.script, in: directory, environment: env)
        return (result.status, result.stdoutText + result.stderrText)
    }

    func gitlabMergeRequest(oversize: Bool, overLimitOnlyWhenMerged: Bool = false) throws -> (status: Int32, output: String) {
        let head = try pushFeature(oversize: oversize, overLimitOnlyWhenMerged: overLimitOnlyWhenMerged)
        return try runGitLabJob("pipedreamer-check", in: { depth in
            try checkout(fetching: ["+refs/heads/*:refs/remotes/origin/*", "+refs/tags/*:refs/tags/*"], depth: depth, checkout: head)
        }, context: ["CI": "true", "GITLAB_CI": "true", "CI_PIPELINE_SOURCE": "merge_request_event",
                     "CI_MERGE_REQUEST_EVENT_TYPE": "detached", "CI_MERGE_REQUEST_TARGET_BRANCH_NAME": "main",
                     "CI_MERGE_REQUEST_SOURCE_BRANCH_NAME": "feature", "CI_COMMIT_SHA": head, "CI_COMMIT_REF_NAME": "feature"])
    }

    @Test func gitlabChecksTheMergeOfAGoodMergeRequest() throws {
        defer { try? FileManager.default.removeItem(at: scratch) }
        let result = try gitlabMergeRequest(oversize: false)
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("workflow wf: ok"), "\(result.output)")
        #expect(result.output.contains("pipedreamer: each of the 2 commits the merge brings can ship\n"), "\(result.output)")
    }

    @Test func gitlabFailsAMergeRequestWithAnOversizeCommit() throws {
        defer { try? FileManager.default.removeItem(at: scratch) }
        let result = try gitlabMergeRequest(oversize: true)
        #expect(result.status != 0)
        #expect(result.output.contains("workflow code exceeds ConfigMap size limit (900KB)"), "\(result.output)")
    }

    @Test func gitlabJudgesTheMergeResultNotTheBranch() throws {
        defer { try? FileManager.default.removeItem(at: scratch) }
        let feature = try gitlabMergeRequest(oversize: false, overLimitOnlyWhenMerged: true)
        #expect(feature.status != 0)
        #expect(feature.output.contains("workflow code exceeds ConfigMap size limit (900KB)"), "\(feature.output)")
        // The branch on its own passes: only the merge with main is too big.
        let alone = try PipedreamerBinary.run(["check", "feature"], in: origin.path)
        #expect(alone.status == 0, "\(alone.stdoutText)")
    }

    func gitlabTag(oversize: Bool, server: KubeTestServer) throws -> (status: Int32, output: String, commit: String) {
        let (tag, commit) = try tagRelease(oversize: oversize)
        let result = try runGitLabJob("pipedreamer-deploy", in: { depth in
            try checkout(fetching: ["+refs/heads/*:refs/remotes/origin/*", "+refs/tags/*:refs/tags/*"], depth: depth, checkout: commit)
        }, context: ["CI": "true", "GITLAB_CI": "true", "CI_PIPELINE_SOURCE": "push", "CI_COMMIT_TAG": tag,
                     "CI_COMMIT_REF_NAME": tag, "CI_COMMIT_SHA": commit, "PIPEDREAMER_KUBECONFIG": kubeconfigSecret(server)])
        return (result.status, result.output, commit)
    }

    @Test func gitlabDeploysATagWithEachWorkflowStampedByItsOwnLastChange() async throws {
        defer { try? FileManager.default.removeItem(at: scratch) }
        let server = try await Self.deployServer()
        let result = try gitlabTag(oversize: false, server: server)
        #expect(result.status == 0, "\(result.output)")
        try expectDeployed(server, output: result.output, tagCommit: result.commit)
        try await server.shutdown()
    }

    @Test func gitlabRefusesToDeployAnOversizeTag() async throws {
        defer { try? FileManager.default.removeItem(at: scratch) }
        let server = try await Self.deployServer()
        let result = try gitlabTag(oversize: true, server: server)
        #expect(result.status != 0)
        #expect(result.output.contains("workflow code exceeds ConfigMap size limit (900KB)"), "\(result.output)")
        // The tag is checked as a whole first: the workflow that could ship is not deployed either.
        #expect(server.object(.configMaps, namespace: "default", name: "hello-code") == nil)
        #expect(server.object(.deployments, namespace: "default", name: "other") == nil)
        try await server.shutdown()
    }

    @Test func aDeployWithoutTheKubeconfigSecretSaysWhichSecretIsMissing() throws {
        defer { try? FileManager.default.removeItem(at: scratch) }
        let (tag, commit) = try tagRelease(oversize: false)
        let github = try runGitHubJob("deploy", in: { depth in
            try checkout(fetching: ["+refs/tags/*:refs/tags/*"], depth: depth, checkout: "refs/tags/\(tag)")
        }, context: ["GITHUB_REF": "refs/tags/\(tag)", "GITHUB_SHA": commit])
        #expect(github.status == 1)
        #expect(github.output.contains("the KUBECONFIG secret is empty or not set"), "\(github.output)")
        let gitlab = try runGitLabJob("pipedreamer-deploy", in: { depth in
            try checkout(fetching: ["+refs/tags/*:refs/tags/*"], depth: depth, checkout: commit)
        }, context: ["CI_COMMIT_TAG": tag, "CI_COMMIT_SHA": commit])
        #expect(gitlab.status == 1)
        #expect(gitlab.output.contains("PIPEDREAMER_KUBECONFIG is empty or not set"), "\(gitlab.output)")
    }
}
