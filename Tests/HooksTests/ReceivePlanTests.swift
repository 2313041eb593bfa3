import GitShim
import Deploy
import Hooks
import Testing
import TestSupport
import GitFiles

/// One push of several deploy refs deploys each workflow once, at the newest commit the push
/// brings for it, oldest commit first, whatever order the ref names sort to.
@Suite struct ReceivePlanTests {
    let fixture: GitFixture
    let repository: Repository

    init() throws {
        fixture = try GitFixture()
        repository = try Repository.open(containing: fixture.path)
    }

    func commit(_ message: String, _ change: () throws -> Void) throws -> Oid {
        try change()
        return try #require(Oid(hex: try fixture.commitAll(message)))
    }

    func run(_ updates: [(String, Oid)], deployer: RecordingDeployer) async -> PostReceiveReport {
        await PostReceive.run(repository: repository, updates: updates.map { ReceivedUpdate(oldOid: nil, newOid: $0.1, ref: $0.0) },
                              config: RepositorySettings(deployRefs: ["refs/tags/v*"]), deployer: deployer)
    }

    @Test func threeTagsOfOneLineDeployTheNewestOnceWhateverTheirNamesSortTo() async throws {
        let v100 = try commit("v1.0.0") { try fixture.writeWorkflow(at: "wf") }
        let v190 = try commit("v1.9.0") { try fixture.write("wf/nodes/fetch.ts", "export default async () => 19;\n") }
        let v1100 = try commit("v1.10.0") { try fixture.write("wf/nodes/fetch.ts", "export default async () => 110;\n") }
        let deployer = RecordingDeployer()
        // git lists the refs by name: v1.10.0 sorts before v1.9.0.
        let report = await run([("refs/tags/v1.0.0", v100), ("refs/tags/v1.10.0", v1100), ("refs/tags/v1.9.0", v190)], deployer: deployer)
        #expect(deployer.deployed == ["refs/tags/v1.10.0 at \(v1100.short): wf"])
        #expect(report.lines == [
            "refs/tags/v1.0.0 at \(v100.short): workflow wf skipped: refs/tags/v1.10.0 at \(v1100.short) is newer in this push and deploys it",
            "refs/tags/v1.9.0 at \(v190.short): workflow wf skipped: refs/tags/v1.10.0 at \(v1100.short) is newer in this push and deploys it",
            "deployed refs/tags/v1.10.0 at \(v1100.short): wf",
        ])
    }

    @Test func aWorkflowTheNewestCommitRemovedIsNotDeployedFromAnOlderOne() async throws {
        let older = try commit("two workflows") {
            try fixture.writeWorkflow(at: "wf")
            try fixture.writeWorkflow(at: "old", name: "old")
        }
        let newer = try commit("drop old") { try fixture.git(["rm", "-r", "-q", "old"]) }
        let deployer = RecordingDeployer()
        let report = await run([("refs/tags/v2", newer), ("refs/tags/v1", older)], deployer: deployer)
        #expect(deployer.deployed == ["refs/tags/v2 at \(newer.short): wf"])
        #expect(report.lines == [
            "refs/tags/v1 at \(older.short): workflow old skipped: refs/tags/v2 at \(newer.short), newer in this push, no longer has it",
            "refs/tags/v1 at \(older.short): workflow wf skipped: refs/tags/v2 at \(newer.short) is newer in this push and deploys it",
            "deployed refs/tags/v2 at \(newer.short): wf",
        ])
    }

    @Test func commitsOfTwoLinesOfHistoryDeployEachOfTheirWorkflowsOnceInCommitTimeOrder() async throws {
        let base = try commit("base") { try fixture.writeWorkflow(at: "wf") }
        try fixture.git(["checkout", "-q", "-b", "team-b"])
        let teamB = try commit("team b") { try fixture.writeWorkflow(at: "b", name: "bee") }
        try fixture.git(["checkout", "-q", "main"])
        // A later committer date: GitFixture's environment fixes it, so set it for this commit.
        try fixture.write("wf/nodes/fetch.ts", "export default async () => 'main';\n")
        try fixture.git(["add", "-A"])
        try fixture.git(["-c", "user.name=T", "commit", "-q", "-m", "main moves on", "--date", "2026-02-01T00:00:00Z"],
                        environment: ["GIT_COMMITTER_DATE": "2026-02-01T00:00:00Z"])
        let mainTip = try #require(Oid(hex: try fixture.gitText(["rev-parse", "HEAD"])))
        let deployer = RecordingDeployer()
        let report = await run([("refs/tags/va", mainTip), ("refs/tags/vb", teamB)], deployer: deployer)
        // b exists only on team-b's line: it deploys there; wf deploys once, at the later commit.
        #expect(deployer.deployed == ["refs/tags/vb at \(teamB.short): b", "refs/tags/va at \(mainTip.short): wf"])
        #expect(report.lines.first == "deployed refs/tags/vb at \(teamB.short): b")
        #expect(report.lines.contains("refs/tags/vb at \(teamB.short): workflow wf skipped: refs/tags/va at \(mainTip.short) is newer in this push and deploys it"))
        _ = base
    }
}
