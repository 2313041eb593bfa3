import Foundation
import GitShim
import Deploy
import Testing
import TestSupport

@Suite struct RepositorySettingsTests {
    @Test func defaultsWhenNothingIsConfigured() throws {
        let fixture = try GitFixture()
        let config = try RepositorySettings.load(from: Repository.open(containing: fixture.path))
        #expect(config == RepositorySettings(maxCodeBytes: 921_600, deployRefs: []))
    }

    @Test func bothKeysAreReadFromGitConfig() throws {
        let fixture = try GitFixture()
        try fixture.git(["config", "pipedreamer.maxCodeBytes", "500000"])
        try fixture.git(["config", "pipedreamer.deployRefs", "refs/tags/v*  refs/heads/main"])
        let config = try RepositorySettings.load(from: Repository.open(containing: fixture.path))
        #expect(config == RepositorySettings(maxCodeBytes: 500_000, deployRefs: ["refs/tags/v*", "refs/heads/main"]))
    }

    @Test func limitsTakeGitsUnitSuffixes() throws {
        #expect(try RepositorySettings.parseLimit("900k") == 921_600)
        #expect(try RepositorySettings.parseLimit("1M") == 1_048_576)
        #expect(try RepositorySettings.parseLimit(" 1048576 ") == 1_048_576)
    }

    @Test func aLimitAboveKubernetesIsRefusedNamingTheKey() {
        #expect(throws: DeployError("git config pipedreamer.maxCodeBytes is 1048577 (1048577 bytes), above the Kubernetes ConfigMap limit of 1048576 bytes: set at most 1048576 (the default is 921600)")) {
            try RepositorySettings.parseLimit("1048577")
        }
    }

    @Test(arguments: ["0", "-5", "abc", "", "1.5", "99999999999999999999", "k"])
    func aLimitThatIsNotAPositiveWholeNumberIsRefused(_ value: String) {
        #expect(throws: DeployError("git config pipedreamer.maxCodeBytes is '\(value)': give a whole number of bytes from 1 to 1048576, for example 921600 or 900k (git config pipedreamer.maxCodeBytes 921600)")) {
            try RepositorySettings.parseLimit(value)
        }
    }

    /// `pipedreamer.strict` is read with git's boolean rule, the one `Config.bool` holds: git itself
    /// (`git config --type=bool`) is the oracle for every spelling.
    @Test(arguments: ["true", "YES", "on", "1", "2", "-1", "false", "No", "OFF", "0", ""])
    func strictIsABooleanAsGitReadsOne(_ value: String) throws {
        let fixture = try GitFixture()
        try fixture.git(["config", "pipedreamer.strict", value])
        let gitSays = try fixture.gitText(["config", "--type=bool", "--get", "pipedreamer.strict"])
        let config = try RepositorySettings.load(from: Repository.open(containing: fixture.path))
        #expect(config.strict == (gitSays == "true"), "git reads '\(value)' as \(gitSays)")
    }

    @Test func strictWithoutAValueIsTrueAsGitReadsIt() throws {
        let fixture = try GitFixture()
        try fixture.write(".git/config", try String(contentsOfFile: fixture.path + "/.git/config", encoding: .utf8) + "[pipedreamer]\n\tstrict\n")
        #expect(try fixture.gitText(["config", "--type=bool", "--get", "pipedreamer.strict"]) == "true")
        #expect(try RepositorySettings.load(from: Repository.open(containing: fixture.path)).strict)
    }

    @Test func strictThatIsNotABooleanIsRefusedNamingTheKey() throws {
        let fixture = try GitFixture()
        try fixture.git(["config", "pipedreamer.strict", "maybe"])
        #expect(throws: (any Error).self) { try fixture.git(["config", "--type=bool", "--get", "pipedreamer.strict"]) }
        #expect {
            try RepositorySettings.load(from: Repository.open(containing: fixture.path))
        } throws: { "\($0)".contains("git config pipedreamer.strict is 'maybe', not a boolean: set true or false") }
    }

    @Test func theAllowListsAreEveryValueOfTheirKeysAndUnsetIsNil() throws {
        let fixture = try GitFixture()
        let unset = try RepositorySettings.load(from: Repository.open(containing: fixture.path))
        #expect(unset.allowedNamespaces == nil && unset.allowedImages == nil)
        #expect(unset.receiveTimeout == .seconds(300))
        try fixture.git(["config", "--add", "pipedreamer.allowedNamespaces", "team-*"])
        try fixture.git(["config", "--add", "pipedreamer.allowedNamespaces", "staging  qa"])
        try fixture.git(["config", "pipedreamer.allowedImages", ""])
        try fixture.git(["config", "pipedreamer.receiveTimeout", "90s"])
        let config = try RepositorySettings.load(from: Repository.open(containing: fixture.path))
        #expect(config.allowedNamespaces == ["team-*", "staging", "qa"])
        // Set but empty allows nothing: a server that means "any" leaves the key unset.
        #expect(config.allowedImages == [])
        #expect(config.receiveTimeout == .seconds(90))
    }

    @Test func aReceiveTimeoutOfZeroIsNoLimitAndAnythingElseNotADurationIsRefused() throws {
        #expect(try RepositorySettings.parseReceiveTimeout("0") == nil)
        #expect(try RepositorySettings.parseReceiveTimeout("2m") == .seconds(120))
        #expect(throws: DeployError("git config pipedreamer.receiveTimeout is 'soon': give a duration such as 90s, 5m or 0 for no limit (git config pipedreamer.receiveTimeout 5m)")) {
            try RepositorySettings.parseReceiveTimeout("soon")
        }
    }
}
