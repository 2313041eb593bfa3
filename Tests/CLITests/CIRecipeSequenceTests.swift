import Foundation
import KubeTestServer
import Testing
import TestSupport

/// The recipes over the sequences teams run: a branch that hid a bad commit, several tags pushed
/// together, a tag deployed by hand, a tag that moved, GitLab's File-type variables.
extension CIRecipeTests {
    static let deployTags = ["+refs/heads/*:refs/remotes/origin/*", "+refs/tags/*:refs/tags/*"]

    /// feature adds a node over the limit (with --no-verify) and removes it in the next commit:
    /// the merge result is fine, the history is not.
    func pushFeatureThatHidesAnOversizeCommit() throws {
        try origin.git(["checkout", "-q", "-b", "feature", "main"])
        try origin.write("wf/nodes/huge.ts", HookedRepository.text(bytes: Self.limit + 1))
        try origin.commitAll("huge node")
        try origin.git(["rm", "-q", "wf/nodes/huge.ts"])
        try origin.commitAll("remove the huge node")
        try origin.git(["checkout", "-q", "main"])
        try origin.write("other/nodes/fetch.ts", "export default async () => ({ ok: 'other v2' });\n")
        try origin.commitAll("other v2")
    }

    @Test func githubFailsAPullRequestWhoseBranchHidesAnOversizeCommit() throws {
        defer { try? FileManager.default.removeItem(at: scratch) }
        try pushFeatureThatHidesAnOversizeCommit()
        let merge = try githubMergeRef()
        let result = try runGitHubJob("check", in: { depth in
            try checkout(fetching: ["+refs/pull/1/merge:refs/remotes/pull/1/merge"], depth: depth, checkout: "refs/remotes/pull/1/merge")
        }, context: ["GITHUB_EVENT_NAME": "pull_request", "GITHUB_REF": "refs/pull/1/merge", "GITHUB_SHA": merge])
        #expect(result.status == 1, "\(result.output)")
        #expect(result.output.contains("workflow wf: ok"), "the merge result itself passes: \(result.output)")
        #expect(result.output.contains("pipedreamer: push refused: 1 commit cannot ship"), "\(result.output)")
        #expect(result.output.contains("\"huge node\""), "\(result.output)")
        #expect(result.output.contains("workflow code exceeds ConfigMap size limit (900KB)"), "\(result.output)")
    }

    @Test func gitlabFailsAMergeRequestWhoseBranchHidesAnOversizeCommit() throws {
        defer { try? FileManager.default.removeItem(at: scratch) }
        try pushFeatureThatHidesAnOversizeCommit()
        let head = try origin.gitText(["rev-parse", "feature"])
        let result = try runGitLabJob("pipedreamer-check", in: { depth in
            try checkout(fetching: Self.deployTags, depth: depth, checkout: head)
        }, context: ["CI_PIPELINE_SOURCE": "merge_request_event", "CI_MERGE_REQUEST_EVENT_TYPE": "detached",
                     "CI_MERGE_REQUEST_TARGET_BRANCH_NAME": "main", "CI_COMMIT_SHA": head])
        #expect(result.status == 1, "\(result.output)")
        #expect(result.output.contains("pipedreamer: push refused: 1 commit cannot ship"), "\(result.output)")
        #expect(result.output.contains("\"huge node\""), "\(result.output)")
    }

    /// v1.0.0 changes wf, v1.1.0 (a descendant) changes it again; returns both commits.
    func tagTwoReleases() throws -> (older: String, newer: String) {
        try origin.write("wf/nodes/fetch.ts", "export default async () => ({ ok: 'v1.0.0' });\n")
        let older = try origin.commitAll("v1.0.0")
        try origin.git(["tag", "-a", "v1.0.0", "-m", "v1.0.0"])
        try origin.write("wf/nodes/fetch.ts", "export default async () => ({ ok: 'v1.1.0' });\n")
        let newer = try origin.commitAll("v1.1.0")
        try origin.git(["tag", "-a", "v1.1.0", "-m", "v1.1.0"])
        return (older, newer)
    }

    func githubTagPush(_ tag: String, commit: String, server: KubeTestServer) throws -> (status: Int32, output: String) {
        try runGitHubJob("deploy", in: { depth in try checkout(fetching: Self.deployTags, depth: depth, checkout: "refs/tags/\(tag)") },
                         context: ["GITHUB_EVENT_NAME": "push", "GITHUB_REF": "refs/tags/\(tag)", "GITHUB_REF_NAME": tag, "GITHUB_SHA": commit],
                         secrets: ["KUBECONFIG": kubeconfigSecret(server)])
    }

    func deployedCommit(_ server: KubeTestServer, _ name: String = "hello") -> String? {
        server.object(.deployments, namespace: "default", name: name)?.value(at: ["metadata", "annotations", "pipedreamer.dev/commit"])?.string
    }

    @Test func githubLeavesTheNewestOfTwoTagsLiveWhenTheOlderJobRunsLast() async throws {
        defer { try? FileManager.default.removeItem(at: scratch) }
        let server = try await Self.deployServer()
        let (older, newer) = try tagTwoReleases()
        let first = try githubTagPush("v1.1.0", commit: newer, server: server)
        #expect(first.status == 0, "\(first.output)")
        #expect(deployedCommit(server) == newer)
        let last = try githubTagPush("v1.0.0", commit: older, server: server)
        #expect(last.status == 0, "\(last.output)")
        #expect(last.output.contains("pipedreamer: not deploying refs/tags/v1.0.0 (\(older)): the newer tag v1.1.0 descends from it and deploys instead\n"),
                "\(last.output)")
        #expect(deployedCommit(server) == newer)
        try await server.shutdown()
    }

    @Test func gitlabLeavesTheNewestOfTwoTagsLiveWhenTheOlderJobRunsLast() async throws {
        defer { try? FileManager.default.removeItem(at: scratch) }
        let server = try await Self.deployServer()
        let (older, newer) = try tagTwoReleases()
        for (tag, commit) in [("v1.1.0", newer), ("v1.0.0", older)] {
            let result = try runGitLabJob("pipedreamer-deploy", in: { depth in
                try checkout(fetching: Self.deployTags, depth: depth, checkout: commit)
            }, context: ["CI_COMMIT_TAG": tag, "CI_COMMIT_SHA": commit, "PIPEDREAMER_KUBECONFIG": kubeconfigSecret(server)])
            #expect(result.status == 0, "\(result.output)")
            if tag == "v1.0.0" {
                #expect(result.output.contains("pipedreamer: not deploying tag v1.0.0 (\(older)): the newer tag v1.1.0 descends from it"), "\(result.output)")
            }
        }
        #expect(deployedCommit(server) == newer)
        try await server.shutdown()
    }

    @Test func githubDeploysTheTagAWorkflowDispatchNames() async throws {
        defer { try? FileManager.default.removeItem(at: scratch) }
        let server = try await Self.deployServer()
        let (_, newer) = try tagTwoReleases()
        let main = try origin.gitText(["rev-parse", "main"])
        // A dispatch runs on a branch: GITHUB_REF and GITHUB_SHA are main's, the input names the tag.
        let result = try runGitHubJob("deploy", in: { depth in try checkout(fetching: Self.deployTags, depth: depth, checkout: "refs/tags/v1.1.0") },
                                      context: ["GITHUB_EVENT_NAME": "workflow_dispatch", "GITHUB_REF": "refs/heads/main", "GITHUB_SHA": main],
                                      secrets: ["KUBECONFIG": kubeconfigSecret(server)], inputs: ["tag": "v1.1.0"])
        #expect(result.status == 0, "\(result.output)")
        #expect(deployedCommit(server) == newer)
        #expect(!result.output.contains(Self.token))
        let branch = try runGitHubJob("deploy", in: { depth in try checkout(fetching: Self.deployTags, depth: depth, checkout: "refs/remotes/origin/main") },
                                      context: ["GITHUB_EVENT_NAME": "workflow_dispatch", "GITHUB_REF": "refs/heads/main", "GITHUB_SHA": main],
                                      secrets: ["KUBECONFIG": kubeconfigSecret(server)], inputs: ["tag": "main"])
        #expect(branch.status == 1)
        #expect(branch.output.contains("pipedreamer: the tag to deploy must be a v* tag, not 'main'\n"), "\(branch.output)")
        try await server.shutdown()
    }

    @Test func gitlabDeploysThePipelinesCommitAfterTheTagMoved() async throws {
        defer { try? FileManager.default.removeItem(at: scratch) }
        let server = try await Self.deployServer()
        let (tag, commit) = try tagRelease(oversize: false)
        // The tag is moved to a commit beside the pipeline's (not a descendant of it).
        try origin.git(["checkout", "-q", "-b", "hotfix", "\(commit)~1"])
        try origin.write("wf/nodes/fetch.ts", "export default async () => ({ ok: 'moved' });\n")
        let moved = try origin.commitAll("a different release")
        try origin.git(["checkout", "-q", "main"])
        try origin.git(["tag", "-f", "-a", tag, "-m", "moved", moved])
        let result = try runGitLabJob("pipedreamer-deploy", in: { depth in
            try checkout(fetching: Self.deployTags, depth: depth, checkout: commit)
        }, context: ["CI_COMMIT_TAG": tag, "CI_COMMIT_SHA": commit, "PIPEDREAMER_KUBECONFIG": kubeconfigSecret(server)])
        #expect(result.status == 0, "\(result.output)")
        #expect(deployedCommit(server) == commit)
        #expect(deployedCommit(server) != moved)
        try await server.shutdown()
    }

    @Test func gitlabReadsAKubeconfigFromAFileTypeVariable() async throws {
        defer { try? FileManager.default.removeItem(at: scratch) }
        let server = try await Self.deployServer()
        let (tag, commit) = try tagRelease(oversize: false)
        // GitLab writes a "File" variable's value to a file and sets the variable to its path.
        let file = scratch.appendingPathComponent("PIPEDREAMER_KUBECONFIG")
        try kubeconfigSecret(server).write(to: file, atomically: true, encoding: .utf8)
        let result = try runGitLabJob("pipedreamer-deploy", in: { depth in
            try checkout(fetching: Self.deployTags, depth: depth, checkout: commit)
        }, context: ["CI_COMMIT_TAG": tag, "CI_COMMIT_SHA": commit, "PIPEDREAMER_KUBECONFIG": file.path])
        #expect(result.status == 0, "\(result.output)")
        try expectDeployed(server, output: result.output, tagCommit: commit)
        try await server.shutdown()
    }
}
