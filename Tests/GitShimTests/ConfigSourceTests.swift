import Foundation
import GitFiles
@testable import GitShim
import Testing
import TestSupport

/// Every source git reads configuration from, with `git config --get` as the oracle.
@Suite struct ConfigSourceTests {
    let fixture: GitFixture
    let home: String

    init() throws {
        fixture = try GitFixture()
        home = fixture.path + "/.home"
        try FileManager.default.createDirectory(atPath: home + "/.config/git", withIntermediateDirectories: true)
    }

    /// The process environment git and pipedreamer both get: the fixture's, changed by `changes` (nil removes).
    func environment(_ changes: [String: String?]) -> [String: String] {
        var result = GitFixture.environment
        result["HOME"] = home
        result["XDG_CONFIG_HOME"] = nil
        for (key, value) in changes { result[key] = value }
        return result
    }

    /// What git says, and what pipedreamer reads, for `key` in that environment.
    func both(_ key: String, _ changes: [String: String?] = [:], in directory: String? = nil) throws -> (git: String?, ours: String?) {
        let env = environment(changes)
        let result = try Command.run("/usr/bin/env", ["git", "config", "--get", key], in: directory ?? fixture.path, environment: env)
        let git = result.status == 0 ? String(result.stdoutText.dropLast()) : nil
        let repository = try Repository.open(containing: directory ?? fixture.path)
        let ours = try Config(repository: repository, environment: { env[$0] }).string(key)
        if git != nil, key.lowercased().hasPrefix("pipedreamer.") {
            // The pre-commit fast path assumes the default settings only where no source names them.
            #expect(mentions(env, in: directory ?? fixture.path), "ConfigMentions missed the source git read \(key) from")
        }
        return (git, ours)
    }

    /// What `ConfigMentions` (the pre-commit fast path's question) says in that environment.
    func mentions(_ env: [String: String], in directory: String) -> Bool {
        let gitDirectory = (try? Command.run("/usr/bin/env", ["git", "rev-parse", "--absolute-git-dir"], in: directory, environment: env))
            .map { String($0.stdoutText.dropLast()) } ?? directory + "/.git"
        let common = (try? Command.run("/usr/bin/env", ["git", "rev-parse", "--path-format=absolute", "--git-common-dir"], in: directory, environment: env))
            .map { String($0.stdoutText.dropLast()) } ?? gitDirectory
        return ConfigMentions.mayMention("pipedreamer", gitDirectory: gitDirectory, commonDirectory: common,
                                         environment: { env[$0] }, allVariables: env.map { ($0.key, $0.value) })
    }

    @Test func noSourceNamingPipedreamerLeavesTheFastPathOpen() throws {
        try fixture.git(["config", "user.name", "Someone"])
        try write(home + "/.gitconfig", "[include]\n\tpath = ~/.config/git/extra\n[includeIf \"gitdir:~/work/\"]\n\tpath = work.cfg\n")
        try write(home + "/.config/git/extra", "[core]\n\teditor = vi ; a comment\n")
        let env = environment(["GIT_CONFIG_GLOBAL": nil, "GIT_CONFIG_PARAMETERS": "'core.quotepath'='false'"])
        #expect(!mentions(env, in: fixture.path))
        // A file an include names (conditions aside) counts, as deep as includes go.
        try write(home + "/work.cfg", "[include]\n\tpath = \"deeper.cfg\"\n")
        try write(home + "/deeper.cfg", "[PipeDreamer]\n\tStrict = true\n")
        #expect(mentions(env, in: fixture.path))
        // An include it cannot resolve for certain counts as a mention.
        try write(home + "/work.cfg", "[include]\n\tpath = %(prefix)/etc/x\n")
        #expect(mentions(env, in: fixture.path))
    }

    func write(_ path: String, _ text: String) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    /// The GIT_CONFIG_PARAMETERS git itself exports for `git -c` arguments.
    func parameters(_ settings: [String]) throws -> String {
        let arguments = settings.flatMap { ["-c", $0] } + ["-c", "alias.show-parameters=!printenv GIT_CONFIG_PARAMETERS", "show-parameters"]
        let result = try Command.run("/usr/bin/env", ["git"] + arguments, in: fixture.path, environment: environment([:]))
        return String(result.stdoutText.dropLast())
            .replacingOccurrences(of: " 'alias.show-parameters'='!printenv GIT_CONFIG_PARAMETERS'", with: "")
    }

    @Test func theRepositoryFile() throws {
        try fixture.git(["config", "pipedreamer.maxCodeBytes", "500k"])
        let (git, ours) = try both("pipedreamer.maxCodeBytes")
        #expect(git == "500k")
        #expect(ours == git)
    }

    @Test func gitDashCOverridesTheRepositoryFile() throws {
        try fixture.git(["config", "pipedreamer.maxCodeBytes", "500k"])
        let value = try parameters(["pipedreamer.maxcodebytes=100k", "Section.SubSection.Key=it's \"quoted\""])
        #expect(value.contains("'pipedreamer.maxcodebytes'='100k'"))
        let (git, ours) = try both("pipedreamer.maxCodeBytes", ["GIT_CONFIG_PARAMETERS": value])
        #expect(git == "100k")
        #expect(ours == git)
        let quoted = try both("section.SubSection.key", ["GIT_CONFIG_PARAMETERS": value])
        #expect(quoted.git == "it's \"quoted\"")
        #expect(quoted.ours == quoted.git)
    }

    @Test func gitDashCWordsSeparatedByAnyWhitespace() throws {
        // git's parse_config_env_list skips isspace() between words, tabs and newlines included.
        let value = "'pipedreamer.strict'='true'\t'pipedreamer.maxcodebytes'='7k'\n 'core.x'='y'"
        let (git, ours) = try both("pipedreamer.maxCodeBytes", ["GIT_CONFIG_PARAMETERS": value])
        #expect(git == "7k")
        #expect(ours == git)
    }

    @Test func anIncludeGivenThroughTheEnvironmentIsRead() throws {
        // git -c include.path=FILE reads FILE with the command line's precedence (config.c).
        try fixture.git(["config", "pipedreamer.maxCodeBytes", "500k"])
        let included = fixture.path + "/included.cfg"
        try write(included, "[pipedreamer]\n\tmaxCodeBytes = 1k\n")
        let viaParameters = try both("pipedreamer.maxCodeBytes", ["GIT_CONFIG_PARAMETERS": "'include.path'='\(included)'"])
        #expect(viaParameters.git == "1k")
        #expect(viaParameters.ours == viaParameters.git)
        let viaCount = try both("pipedreamer.maxCodeBytes", ["GIT_CONFIG_COUNT": "1", "GIT_CONFIG_KEY_0": "include.path",
                                                            "GIT_CONFIG_VALUE_0": included])
        #expect(viaCount.git == "1k")
        #expect(viaCount.ours == viaCount.git)
        // A later setting still wins over the included one, as in git.
        let later = try both("pipedreamer.maxCodeBytes", ["GIT_CONFIG_PARAMETERS": "'include.path'='\(included)' 'pipedreamer.maxcodebytes'='2k'"])
        #expect(later.git == "2k")
        #expect(later.ours == later.git)
        // git refuses a relative include from the command line; so does pipedreamer, saying why.
        let relative = try Command.run("/usr/bin/env", ["git", "-c", "include.path=included.cfg", "config", "--get", "pipedreamer.maxcodebytes"],
                                       in: fixture.path, environment: environment([:]))
        #expect(relative.status != 0)
        let repository = try Repository.open(containing: fixture.path)
        #expect(throws: GitError.self) {
            try Config(repository: repository, environment: { $0 == "GIT_CONFIG_PARAMETERS" ? "'include.path'='included.cfg'" : nil })
        }
    }

    @Test func aMalformedGitDashCIsReportedWithoutItsValue() throws {
        let repository = try Repository.open(containing: fixture.path)
        let secret = "'http.extraheader'='Authorization: Bearer s3cr3t"
        #expect { try Config(repository: repository, environment: { $0 == "GIT_CONFIG_PARAMETERS" ? secret : nil }) } throws: { error in
            let text = "\(error)"
            return text.contains("GIT_CONFIG_PARAMETERS") && !text.contains("s3cr3t")
        }
    }

    @Test func gitConfigCountAndParametersInGitsOrder() throws {
        let count: [String: String?] = ["GIT_CONFIG_COUNT": "2", "GIT_CONFIG_KEY_0": "pipedreamer.maxCodeBytes", "GIT_CONFIG_VALUE_0": "1k",
                                        "GIT_CONFIG_KEY_1": "PipeDreamer.MaxCodeBytes", "GIT_CONFIG_VALUE_1": "2k"]
        let alone = try both("pipedreamer.maxCodeBytes", count)
        #expect(alone.git == "2k")
        #expect(alone.ours == alone.git)
        let withParameters = try both("pipedreamer.maxCodeBytes", count.merging(["GIT_CONFIG_PARAMETERS": "'pipedreamer.maxCodeBytes'='3k'"]) { $1 })
        #expect(withParameters.git == "3k")
        #expect(withParameters.ours == withParameters.git)
    }

    @Test func theWorktreeFileOverridesTheRepositoryFile() throws {
        try fixture.commitAll()
        try fixture.git(["config", "pipedreamer.maxCodeBytes", "500k"])
        try fixture.git(["config", "extensions.worktreeConfig", "true"])
        try fixture.git(["config", "--worktree", "pipedreamer.maxCodeBytes", "200k"])
        let (git, ours) = try both("pipedreamer.maxCodeBytes")
        #expect(git == "200k")
        #expect(ours == git)
        let linked = fixture.path + "-linked"
        defer { try? FileManager.default.removeItem(atPath: linked) }
        try fixture.git(["worktree", "add", "-q", "-b", "other", linked])
        _ = try Command.run("/usr/bin/env", ["git", "config", "--worktree", "pipedreamer.maxCodeBytes", "300k"], in: linked,
                            environment: environment([:]))
        let inLinked = try both("pipedreamer.maxCodeBytes", in: linked)
        #expect(inLinked.git == "300k")
        #expect(inLinked.ours == inLinked.git)
        #expect(try both("pipedreamer.maxCodeBytes").ours == "200k")
    }

    @Test func includesAndConditionalIncludes() throws {
        try write(fixture.path + "/.git/extra.cfg", "[pipedreamer]\n\tmaxCodeBytes = 300k\n")
        try write(fixture.path + "/.git/conditional.cfg", "[pipedreamer]\n\tdeployRefs = refs/tags/v*\n")
        try fixture.git(["config", "include.path", "extra.cfg"])
        try fixture.git(["config", "includeIf.gitdir:\(fixture.path)/.git.path", "conditional.cfg"])
        for key in ["pipedreamer.maxCodeBytes", "pipedreamer.deployRefs"] {
            let (git, ours) = try both(key)
            #expect(git != nil)
            #expect(ours == git)
        }
    }

    @Test func globalXDGAndSystemFilesWithGitsPrecedence() throws {
        try write(home + "/.config/git/config", "[pipedreamer]\n\tmaxCodeBytes = 10k\n\tdeployRefs = xdg\n")
        try write(home + "/.gitconfig", "[pipedreamer]\n\tmaxCodeBytes = 20k\n")
        try write(fixture.path + "/system.cfg", "[pipedreamer]\n\tmaxCodeBytes = 30k\n\tdeployRefs = system\n\tstrict = true\n")
        let unset: [String: String?] = ["GIT_CONFIG_GLOBAL": nil, "GIT_CONFIG_NOSYSTEM": nil, "GIT_CONFIG_SYSTEM": fixture.path + "/system.cfg"]
        for key in ["pipedreamer.maxCodeBytes", "pipedreamer.deployRefs", "pipedreamer.strict"] {
            let (git, ours) = try both(key, unset)
            #expect(git != nil, "\(key)")
            #expect(ours == git, "\(key)")
        }
        #expect(try both("pipedreamer.maxCodeBytes", unset).git == "20k")
        let explicit = try both("pipedreamer.maxCodeBytes", unset.merging(["GIT_CONFIG_GLOBAL": home + "/.config/git/config"]) { $1 })
        #expect(explicit.git == "10k")
        #expect(explicit.ours == explicit.git)
        let noSystem = try both("pipedreamer.strict", unset.merging(["GIT_CONFIG_NOSYSTEM": "1"]) { $1 })
        #expect(noSystem.git == nil)
        #expect(noSystem.ours == nil)
    }
}
