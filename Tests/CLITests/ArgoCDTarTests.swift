import Foundation
import Testing
import TestSupport

/// The simulation's ports of what Argo CD does to a repository on its way to a plugin.
@Suite struct ArgoCDTarTests {
    /// Cases from go src/path/filepath/match_test.go (`matchTests`).
    @Test(arguments: [
        ("abc", "abc", true), ("*", "abc", true), ("*c", "abc", true), ("a*", "a", true), ("a*", "ab/c", false),
        ("a*/b", "abc/b", true), ("a*/b", "a/c/b", false), ("a*b*c*d*e*/f", "axbxcxdxe/f", true),
        ("a*b*c*d*e*/f", "axbxcxdxexxx/f", true), ("a*b*c*d*e*/f", "axbxcxdxe/xxx/f", false),
        ("a*b?c*x", "abxbbxdbxebxczzx", true), ("a*b?c*x", "abxbbxdbxebxczzy", false),
        ("ab[c]", "abc", true), ("ab[b-d]", "abc", true), ("ab[e-g]", "abc", false), ("ab[^c]", "abc", false),
        ("ab[^b-d]", "abc", false), ("ab[^e-g]", "abc", true), ("a\\*b", "a*b", true), ("a\\*b", "ab", false),
        ("a?b", "a☺b", true), ("a[^a]b", "a☺b", true), ("a???b", "a☺b", false), ("[a-ζ]*", "α", true),
        ("*[a-ζ]", "A", false), ("a?b", "a/b", false), ("a*b", "a/b", false), ("[\\]a]", "]", true),
        ("[\\-]", "-", true), ("[x\\-]", "z", false), ("[\\-x]", "-", true), ("*x", "xxx", true),
        (".git/*", ".git", false), (".git/*", ".git/objects", true), (".git/*", ".git/objects/pack", false),
        (".git", ".git", true), ("*", ".", true),
    ])
    func goFilepathMatchAgreesWithGo(pattern: String, name: String, matches: Bool) throws {
        #expect(try GoFilepath.match(pattern, name) == matches)
    }

    /// Go returns ErrBadPattern for these, even where the name fails before the bad part.
    @Test(arguments: [
        ("[]a]", "]"), ("[-]", "-"), ("[x-]", "x"), ("[\\", "a"), ("[^", "a"), ("[^bc", "a"), ("a[", "a"),
        ("a[", "ab"), ("a[", "x"), ("a/b[", "x"), ("*x[", "a"), ("[a-b-c]", "a"), ("\\", "a"),
    ])
    func goFilepathMatchRefusesWhatGoRefuses(pattern: String, name: String) {
        #expect(throws: GoFilepath.BadPattern.self) { try GoFilepath.match(pattern, name) }
    }

    @Test func theReceivedTreeHasOnlyDirectoriesRegularFilesAndSymlinksWithTheModesUntarWrites() throws {
        let fixture = try GitFixture()
        let scratch = try Integrations.scratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        try fixture.write("tools/run.sh", "#!/bin/sh\n")
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: fixture.path + "/tools/run.sh")
        try FileManager.default.createSymbolicLink(atPath: fixture.path + "/tools/latest", withDestinationPath: "run.sh")
        let commit = try fixture.commitAll("tools")
        let repo = try ArgoCDRepoServer.clone(fixture.path, at: commit, into: scratch.appendingPathComponent("repo")).root
        #expect(mkfifo(repo.appendingPathComponent("tools/pipe").path, 0o644) == 0)

        let entries = try ArgoCDRepoServer.tar(repo, exclusions: [".git"])
        #expect(entries == [.init(path: ".", kind: .directory), .init(path: "tools", kind: .directory),
                            .init(path: "tools/latest", kind: .symlink("run.sh")), .init(path: "tools/run.sh", kind: .regular)])
        let received = scratch.appendingPathComponent("cmp")
        try FileManager.default.createDirectory(at: received, withIntermediateDirectories: true)
        try ArgoCDRepoServer.untar(entries, from: repo, into: received)
        let files = FileManager.default
        #expect(try files.attributesOfItem(atPath: received.path + "/tools")[.posixPermissions] as? Int == 0o755)
        #expect(try files.attributesOfItem(atPath: received.path + "/tools/run.sh")[.posixPermissions] as? Int == 0o644)
        #expect(try files.destinationOfSymbolicLink(atPath: received.path + "/tools/latest") == "run.sh")
        #expect(!files.fileExists(atPath: received.path + "/tools/pipe"))
    }

    @Test func theCloneIsDetachedWithNoLocalBranchAndTheBranchesAsRemoteRefs() throws {
        let fixture = try GitFixture()
        let scratch = try Integrations.scratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        try fixture.write("README.md", "x\n")
        let commit = try fixture.commitAll("one")
        try fixture.git(["tag", "v1"])
        let repo = try ArgoCDRepoServer.clone(fixture.path, at: commit, into: scratch.appendingPathComponent("repo")).root
        let refs = try Command.run("/usr/bin/env", ["git", "for-each-ref", "--format=%(refname)"], in: repo.path,
                                   environment: GitFixture.environment)
        #expect(refs.stdoutText == "refs/remotes/origin/main\nrefs/tags/v1\n")
        let head = try Command.run("/usr/bin/env", ["git", "symbolic-ref", "-q", "HEAD"], in: repo.path, environment: GitFixture.environment)
        #expect(head.status == 1)
    }
}
