import Foundation
import GitFiles
import Testing
import TestSupport
import WorkflowBundle

/// The verdict cache under an `XDG_CACHE_HOME` another user can write: it must not follow what
/// they plant there (a link to `~/.ssh` for the clean-up, a link to `~/.bashrc` at a temporary
/// name) nor believe a verdict they wrote. The tests run as root and stand another user in with
/// uid 65534, or a directory every user may write.
@Suite struct SpecVerdictCacheSafetyTests {
    let scratch: ScratchDirectory
    let cache: SpecVerdictCache
    let blob = Oid(hex: String(repeating: "ab", count: 20))!
    /// The victim's own files: a directory (`~/.ssh`) and a file (`~/.bashrc`).
    var ssh: String { scratch.path + "/home/.ssh" }
    var bashrc: String { scratch.path + "/home/.bashrc" }
    var builds: String { (cache.directory as NSString).deletingLastPathComponent }

    init() throws {
        scratch = try ScratchDirectory()
        let base = scratch.path + "/cache"
        cache = try #require(SpecVerdictCache(executable: "/proc/self/exe", environment: { $0 == "XDG_CACHE_HOME" ? base : nil }))
        try FileManager.default.createDirectory(atPath: ssh, withIntermediateDirectories: true)
        try "ssh-ed25519 AAAA victim\n".write(toFile: ssh + "/id_ed25519", atomically: true, encoding: .utf8)
        try "export PS1='$ '\n".write(toFile: bashrc, atomically: true, encoding: .utf8)
    }

    func mode(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) ?? -1
    }

    /// The one entry file in the build's directory.
    func entry() throws -> String {
        let names = try FileManager.default.contentsOfDirectory(atPath: cache.directory)
        return cache.directory + "/" + (try #require(names.count == 1 ? names.first : nil))
    }

    func makeOld(_ path: String) throws {
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: -30 * 24 * 3600)], ofItemAtPath: path)
    }

    @Test func directoriesAreMadeForTheUserAloneAndEntriesReadOnlyByThem() throws {
        cache.record(blob: blob, path: "wf/workflow.yaml", nodePaths: ["nodes/a.ts"])
        #expect(try mode(cache.directory) == 0o700)
        #expect(try mode(builds) == 0o700)
        #expect(try mode(scratch.path + "/cache/pipedreamer") == 0o700)
        #expect(try mode(try entry()) == 0o600)
        #expect(cache.nodePaths(blob: blob, path: "wf/workflow.yaml") == ["nodes/a.ts"])
    }

    @Test func aVerdictInADirectoryAnotherUserOwnsIsNotBelieved() throws {
        cache.record(blob: blob, path: "wf/workflow.yaml", nodePaths: [])
        #expect(chown(cache.directory, 65534, 65534) == 0)
        #expect(cache.nodePaths(blob: blob, path: "wf/workflow.yaml") == nil)
    }

    @Test func aVerdictInADirectoryOthersCanWriteIsNotBelieved() throws {
        cache.record(blob: blob, path: "wf/workflow.yaml", nodePaths: [])
        #expect(chmod(scratch.path + "/cache/pipedreamer", 0o777) == 0)
        #expect(cache.nodePaths(blob: blob, path: "wf/workflow.yaml") == nil)
    }

    @Test func aVerdictFileAnotherUserOwnsIsNotBelieved() throws {
        cache.record(blob: blob, path: "wf/workflow.yaml", nodePaths: [])
        #expect(chown(try entry(), 65534, 65534) == 0)
        #expect(cache.nodePaths(blob: blob, path: "wf/workflow.yaml") == nil)
    }

    @Test func aCacheLevelThatIsALinkIsNotFollowed() throws {
        cache.record(blob: blob, path: "wf/workflow.yaml", nodePaths: [])
        let elsewhere = scratch.path + "/elsewhere"
        try FileManager.default.moveItem(atPath: builds, toPath: elsewhere)
        try FileManager.default.createSymbolicLink(atPath: builds, withDestinationPath: elsewhere)
        #expect(cache.nodePaths(blob: blob, path: "wf/workflow.yaml") == nil)
        cache.record(blob: Oid(hex: String(repeating: "cd", count: 20))!, path: "wf/workflow.yaml", nodePaths: [])
        #expect(try FileManager.default.contentsOfDirectory(atPath: elsewhere + "/" + (cache.directory as NSString).lastPathComponent).count == 1)
    }

    @Test func cleanUpNeverFollowsALinkPlantedAsAnOldBuild() throws {
        try FileManager.default.createDirectory(atPath: builds, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        try FileManager.default.createSymbolicLink(atPath: builds + "/0123456789abcdef", withDestinationPath: ssh)
        try makeOld(ssh)
        cache.record(blob: blob, path: "wf/workflow.yaml", nodePaths: [])
        #expect(try FileManager.default.contentsOfDirectory(atPath: ssh) == ["id_ed25519"])
        #expect(cache.nodePaths(blob: blob, path: "wf/workflow.yaml") == [])
    }

    @Test func aPlantedBuildsDirectoryOfAnotherUserTurnsTheCacheOff() throws {
        // The other user owns spec-verdicts/ and links an old build to the victim's ~/.ssh.
        try FileManager.default.createDirectory(atPath: builds, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o777])
        try FileManager.default.createSymbolicLink(atPath: builds + "/0123456789abcdef", withDestinationPath: ssh)
        try makeOld(ssh)
        #expect(chown(builds, 65534, 65534) == 0)
        cache.record(blob: blob, path: "wf/workflow.yaml", nodePaths: [])
        #expect(try FileManager.default.contentsOfDirectory(atPath: ssh) == ["id_ed25519"])
        #expect(!FileManager.default.fileExists(atPath: cache.directory))
        #expect(cache.nodePaths(blob: blob, path: "wf/workflow.yaml") == nil)
    }

    @Test func staleBuildsLoseOnlyWhatTheCacheMade() throws {
        cache.record(blob: blob, path: "wf/workflow.yaml", nodePaths: [])
        let name = (try entry() as NSString).lastPathComponent
        for old in ["00aa", "00bb"] {
            try FileManager.default.createDirectory(atPath: builds + "/" + old, withIntermediateDirectories: false)
            try "x".write(toFile: builds + "/\(old)/\(name)", atomically: false, encoding: .utf8)
        }
        try "notes".write(toFile: builds + "/00bb/notes.txt", atomically: false, encoding: .utf8)
        try makeOld(builds + "/00aa")
        try makeOld(builds + "/00bb")
        // A new build's first entry does the clean-up.
        try FileManager.default.removeItem(atPath: cache.directory)
        cache.record(blob: blob, path: "wf/workflow.yaml", nodePaths: [])
        let left = try FileManager.default.contentsOfDirectory(atPath: builds).sorted()
        #expect(left == ["00bb", (cache.directory as NSString).lastPathComponent].sorted())
        #expect(try FileManager.default.contentsOfDirectory(atPath: builds + "/00bb") == ["notes.txt"])
    }

    @Test func aLinkPlantedAtTheOldTemporaryNameOverwritesNothing() throws {
        cache.record(blob: Oid(hex: String(repeating: "cd", count: 20))!, path: "wf/workflow.yaml", nodePaths: [])
        let other = try entry()
        let final = other.replacingOccurrences(of: "/" + String(repeating: "cd", count: 20), with: "/" + blob.hex)
        try FileManager.default.createSymbolicLink(atPath: "\(final).\(getpid()).tmp", withDestinationPath: bashrc)
        cache.record(blob: blob, path: "wf/workflow.yaml", nodePaths: ["nodes/a.ts"])
        #expect(try String(contentsOfFile: bashrc, encoding: .utf8) == "export PS1='$ '\n")
        #expect(cache.nodePaths(blob: blob, path: "wf/workflow.yaml") == ["nodes/a.ts"])
    }

    @Test func aDirectoryOthersCanWriteIsNeverWrittenTo() throws {
        cache.record(blob: Oid(hex: String(repeating: "cd", count: 20))!, path: "wf/workflow.yaml", nodePaths: [])
        #expect(chmod(cache.directory, 0o777) == 0)
        let before = try FileManager.default.contentsOfDirectory(atPath: cache.directory)
        cache.record(blob: blob, path: "wf/workflow.yaml", nodePaths: [])
        #expect(try FileManager.default.contentsOfDirectory(atPath: cache.directory) == before)
    }
}
