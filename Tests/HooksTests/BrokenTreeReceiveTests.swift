import Deploy
import GitShim
import Hooks
import Testing
import TestSupport
import GitFiles

/// post-receive deploys nothing from a tree git fsck refuses on a workflow's path or in its bundle.
@Suite struct BrokenTreeReceiveTests {
    let fixture: GitFixture

    init() throws { fixture = try GitFixture() }

    func receive(_ entries: [GitFixture.RawEntry]) async throws -> (sha: String, lines: [String]) {
        let sha = try fixture.commitTree(try fixture.rawTree(entries))
        let repository = try Repository.open(containing: fixture.path)
        let report = await PostReceive.run(repository: repository, updates: [ReceivedUpdate(oldOid: nil, newOid: Oid(hex: sha), ref: "refs/tags/v1")],
                                           config: RepositorySettings(deployRefs: ["refs/tags/v*"]), deployer: ClusterDeployer(version: "test"))
        return (sha, report.lines)
    }

    @Test func aWorkflowUnderDotDotIsNotDeployed() async throws {
        let workflow = try fixture.workflowTree()
        let (sha, lines) = try await receive([.tree("..", workflow)])
        #expect(lines.count == 1)
        #expect(lines.first?.hasPrefix("refs/tags/v1 at \(sha.prefix(12)): cannot read the commit: workflow directory .. in commit \(sha.prefix(12)) is reached through ..: a tree entry git fsck refuses (hasDotdot: tree contains '..')") == true)
    }

    @Test func aDuplicateWorkflowYamlIsNotDeployed() async throws {
        let other = try fixture.blob("name: other\nversion: \"1.0\"\nnodes: {}\n")
        let (sha, lines) = try await receive([.tree("wf", try fixture.workflowTree(extraEntries: [.blob("workflow.yaml", other)]))])
        let short = sha.prefix(12)
        #expect(lines == ["refs/tags/v1 at \(short): workflow wf cannot ship: wf/workflow.yaml: a tree entry git fsck refuses "
            + "(duplicateEntries: tree contains duplicate file entries); run `pipedreamer check \(short)` for details"])
    }
}
