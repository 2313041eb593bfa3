import GitShim
import Deploy
import Hooks
import Testing
import TestSupport
import GitFiles

/// Records what it was asked to deploy: `refs at commit: directory`.
final class RecordingDeployer: CommitDeployer, @unchecked Sendable {
    var deployed = [String]()
    func deploy(_ commit: Commit, directory: String, at: String, repository: Repository, config: RepositorySettings) async -> String {
        deployed.append("\(at): \(directory)")
        return "deployed \(at): \(directory)"
    }
}

@Suite struct PostReceiveTests {
    let fixture: GitFixture
    let repository: Repository
    let sha: Oid

    init() throws {
        fixture = try GitFixture()
        try fixture.writeWorkflow(at: "wf")
        sha = try #require(Oid(hex: try fixture.commitAll()))
        repository = try Repository.open(containing: fixture.path)
    }

    @Test func onlyRefsMatchingThePatternsAreDeployed() async {
        let deployer = RecordingDeployer()
        let updates = ["refs/heads/main", "refs/tags/v1.2", "refs/tags/x1", "refs/heads/team/release"].map {
            ReceivedUpdate(oldOid: nil, newOid: sha, ref: $0)
        }
        let report = await PostReceive.run(repository: repository, updates: updates,
                                     config: RepositorySettings(deployRefs: ["refs/tags/v*", "refs/heads/*/release"]), deployer: deployer)
        // One commit under two deploy refs deploys once, naming both.
        #expect(deployer.deployed == ["refs/tags/v1.2, refs/heads/team/release at \(sha.short): wf"])
        #expect(report.text == "pipedreamer: deployed refs/tags/v1.2, refs/heads/team/release at \(sha.short): wf")
    }

    @Test func aDeletedDeployRefDeploysNothing() async {
        let deployer = RecordingDeployer()
        let report = await PostReceive.run(repository: repository, updates: [ReceivedUpdate(oldOid: sha, newOid: nil, ref: "refs/tags/v1")],
                                     config: RepositorySettings(deployRefs: ["refs/tags/v*"]), deployer: deployer)
        #expect(deployer.deployed == [])
        #expect(report.lines == ["refs/tags/v1 deleted; nothing to deploy"])
    }

    @Test func nothingConfiguredIsSaidOnce() async {
        let deployer = RecordingDeployer()
        let updates = ["refs/heads/a", "refs/heads/b"].map { ReceivedUpdate(oldOid: nil, newOid: sha, ref: $0) }
        let report = await PostReceive.run(repository: repository, updates: updates, config: RepositorySettings(), deployer: deployer)
        #expect(deployer.deployed == [])
        #expect(report.lines.count == 1)
        #expect(report.lines[0].hasPrefix("nothing deployed: no refs are configured for deploy"))
    }
}
