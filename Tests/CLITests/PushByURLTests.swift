import Foundation
import Testing
import TestSupport

/// `git push <url> <ref>`: when the URL is a configured remote's, that remote's tracking refs count
/// as what it has, so commits it already has are not checked again.
@Suite struct PushByURLTests {
    let repository: HookedRepository
    let remote: GitFixture
    let bad: String

    /// The remote has a commit that cannot ship (pushed without the hook) on main.
    init() throws {
        repository = try HookedRepository()
        remote = try GitFixture(bare: true)
        try repository.fixture.git(["remote", "add", "origin", remote.path])
        try repository.commitWorkflow()
        try repository.fixture.write("wf/.env", "A=1\n")
        bad = try repository.fixture.commitAll("secret")
        try repository.fixture.git(["push", "-q", "--no-verify", "origin", "main"])
        try repository.fixture.git(["checkout", "-q", "-b", "b"])
        try repository.fixture.write("README.md", "docs\n")
        try repository.fixture.commitAll("docs")
    }

    @Test(arguments: ["", "/", "/../" ])
    func aPushByTheURLOfAConfiguredRemoteSkipsWhatItHas(suffix: String) throws {
        let url = suffix == "/../" ? remote.path + "/../" + remote.root.lastPathComponent : remote.path + suffix
        let result = try repository.git(["push", "-q", url, "b"])
        #expect(result.status == 0, "\(result.stderrText)")
        #expect(result.stderrText == "")
    }

    @Test func aPushByAnUnknownURLChecksWhatOnlyItsRefsShow() throws {
        let other = try GitFixture(bare: true)
        try repository.fixture.git(["push", "-q", "--no-verify", other.path, "main"])
        // Nothing configured names this URL, so commits it has under other refs are checked again.
        let result = try repository.git(["push", "-q", other.path, "b"])
        #expect(result.status != 0)
        #expect(result.stderrText.contains("commit \(bad.prefix(12)) \"secret\", pushed to refs/heads/b:\n"))
        // What the pushed ref's remote side already has is not.
        try repository.fixture.git(["push", "-q", "--no-verify", other.path, "b"])
        try repository.fixture.write("README.md", "more docs\n")
        try repository.fixture.commitAll("more docs")
        let again = try repository.git(["push", "-q", other.path, "b"])
        #expect(again.status == 0, "\(again.stderrText)")
    }
}
