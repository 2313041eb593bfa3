import Foundation
import GitFiles
import GitShim
import Deploy
import Hooks
import Testing
import TestSupport
import WorkflowBundle

/// The pre-commit fast path (`StagedCheck`, what pipedreamer-hook runs over GitFiles alone)
/// against the full check (`PreCommit`, libgit2 and the YAML spec reader) on the same real
/// index: the fast path may only ever pass what the full check passes silently, and it must pass
/// the ordinary good change, or it is no faster.
@Suite struct StagedCheckTests {
    /// A repository with a committed workflow at `wf` (two nodes) and one file outside it, plus a
    /// cache directory and a home directory of its own.
    final class Setup {
        let fixture: GitFixture
        let scratch: ScratchDirectory
        let cache: SpecVerdictCache
        var home: String { scratch.path + "/home" }

        init(workflows: [String] = ["wf"]) throws {
            fixture = try GitFixture()
            let scratch = try ScratchDirectory()
            self.scratch = scratch
            try FileManager.default.createDirectory(atPath: scratch.path + "/home", withIntermediateDirectories: true)
            // The test runner stands for the binary whose verdicts the cache holds.
            let cacheHome = scratch.path + "/cache"
            cache = try #require(SpecVerdictCache(executable: "/proc/self/exe", environment: { $0 == "XDG_CACHE_HOME" ? cacheHome : nil }))
            for (offset, directory) in workflows.enumerated() {
                try fixture.writeWorkflow(at: directory, name: "wf\(offset)",
                                          nodes: ["fetch": "export const a = 1;\n", "summarize": "export const b = 2;\n"])
            }
            try fixture.write("src/main.c", "int main(void) { return 0; }\n")
            try fixture.commitAll("start")
        }

        func environment(_ name: String) -> String? {
            switch name {
            case "GIT_DIR": return fixture.path + "/.git"
            case "HOME": return home
            default: return nil
            }
        }

        /// The full check of the index as it stands, with the clean specs recorded as the hook records them.
        func full(record: Bool = true) throws -> (passed: Bool, warnings: Int) {
            let repository = try Repository.open(containing: fixture.path)
            var warnings = 0
            let report = try PreCommit.run(repository: repository,
                                           index: IndexSnapshot(repository: repository, indexFile: fixture.path + "/.git/index"),
                                           warn: { _ in warnings += 1 }) {
                try RepositorySettings.load(from: repository)
            }
            if record { report.record(in: cache) }
            return (report.passed, warnings)
        }

        /// The fast path's answer for the index as it stands.
        func fast(variables: [(String, String)] = []) -> Bool {
            guard let change = StagedChange.open(environment: environment, currentDirectory: fixture.path) else { return false }
            return StagedCheck.passes(change, cache: cache, environment: environment, allVariables: variables)
        }

        /// Warms the cache the way a first commit through the hooks does: the full check of a change
        /// that touches every workflow.
        func warm(_ directories: [String] = ["wf"]) throws {
            for directory in directories {
                try fixture.write(directory + "/nodes/warm.ts", "export const warm = 0;\n")
            }
            try fixture.git(["add", "-A"])
            #expect(try full().passed)
            try fixture.git(["reset", "-q", "--hard"])
            try fixture.git(["clean", "-qfd"])
        }
    }

    /// A staged change, what the full check must say of it, and whether the fast path may answer.
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let fullPasses: Bool
        let fastAnswers: Bool
        let stage: @Sendable (GitFixture) throws -> Void
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "a node edited and one added", fullPasses: true, fastAnswers: true) { fixture in
            try fixture.write("wf/nodes/fetch.ts", "export const a = 3;\n")
            try fixture.write("wf/nodes/extra.ts", "export const c = 4;\n")
        },
        Case(name: "a node removed that workflow.yaml does not name", fullPasses: true, fastAnswers: true) { fixture in
            try fixture.write("wf/nodes/helper.ts", "export const h = 1;\n")
            try fixture.git(["add", "-A"])
            try fixture.git(["commit", "-qm", "helper", "--no-verify"])
            try fixture.remove("wf/nodes/helper.ts")
        },
        Case(name: "a node made executable and a README beside workflow.yaml", fullPasses: true, fastAnswers: true) { fixture in
            try fixture.write("wf/README.md", "# docs\n")
            try fixture.git(["add", "-A"])
            try fixture.git(["update-index", "--chmod=+x", "wf/nodes/fetch.ts"])
        },
        Case(name: "a node over the size limit", fullPasses: false, fastAnswers: false) { fixture in
            try fixture.write("wf/nodes/big.ts", String(repeating: "// padding line\n", count: 60_000))
        },
        Case(name: "a binary file under nodes", fullPasses: false, fastAnswers: false) { fixture in
            try fixture.write("wf/nodes/blob.ts", [0x61, 0x00, 0x62])
        },
        Case(name: "a NUL byte in a file under nodes that does not ship", fullPasses: false, fastAnswers: false) { fixture in
            try fixture.write("wf/nodes/diagram.png", [0x89, 0x50, 0x4e, 0x47, 0x00, 0x00])
        },
        Case(name: "a node marked binary in .gitattributes", fullPasses: false, fastAnswers: false) { fixture in
            try fixture.write(".gitattributes", "*.ts binary\n")
        },
        Case(name: "a git-lfs pointer", fullPasses: false, fastAnswers: false) { fixture in
            try fixture.write("wf/nodes/data.json", "version https://git-lfs.github.com/spec/v1\noid sha256:00\nsize 12\n")
        },
        Case(name: "a committed secret", fullPasses: false, fastAnswers: false) { fixture in
            try fixture.write("wf/.secrets.yaml", "token: x\n")
        },
        Case(name: "a symbolic link under nodes", fullPasses: false, fastAnswers: false) { fixture in
            try FileManager.default.createSymbolicLink(atPath: fixture.path + "/wf/nodes/link.ts", withDestinationPath: "fetch.ts")
        },
        Case(name: "a node that is not UTF-8", fullPasses: false, fastAnswers: false) { fixture in
            try fixture.write("wf/nodes/latin1.ts", [0x2f, 0x2f, 0x20, 0xe9, 0x0a])
        },
        Case(name: "a node workflow.yaml names removed", fullPasses: false, fastAnswers: false) { fixture in
            try fixture.remove("wf/nodes/summarize.ts")
        },
        Case(name: "a node workflow.yaml names renamed to a file that does not ship", fullPasses: false, fastAnswers: false) { fixture in
            try fixture.remove("wf/nodes/summarize.ts")
            try fixture.write("wf/nodes/summarize.ts.txt", "export const b = 2;\n")
        },
        Case(name: "a node named in NFC whose file is stored in NFD", fullPasses: false, fastAnswers: false) { fixture in
            // The pod's file system compares bytes: `café.ts` spelt one way does not open the other.
            try fixture.write("wf/nodes/cafe\u{301}.ts", "export const c = 1;\n")
            let yaml = try String(contentsOfFile: fixture.path + "/wf/workflow.yaml", encoding: .utf8)
            try fixture.write("wf/workflow.yaml", yaml + "  cafe: nodes/caf\u{e9}.ts\n")
        },
        Case(name: "a workflow.yaml this binary has not read", fullPasses: true, fastAnswers: false) { fixture in
            let yaml = try String(contentsOfFile: fixture.path + "/wf/workflow.yaml", encoding: .utf8)
            try fixture.write("wf/workflow.yaml", yaml.replacingOccurrences(of: "description: test workflow", with: "description: changed"))
        },
        Case(name: "a workflow.yaml with an unknown key (a warning)", fullPasses: true, fastAnswers: false) { fixture in
            let yaml = try String(contentsOfFile: fixture.path + "/wf/workflow.yaml", encoding: .utf8)
            try fixture.write("wf/workflow.yaml", yaml + "colour: blue\n")
        },
        Case(name: "a workflow.yaml that does not parse", fullPasses: false, fastAnswers: false) { fixture in
            try fixture.write("wf/workflow.yaml", "name: [unclosed\n")
        },
    ]

    @Test(arguments: cases)
    func answersOnlyWhatTheFullCheckPassesSilently(_ scenario: Case) throws {
        let setup = try Setup()
        try setup.warm()
        try scenario.stage(setup.fixture)
        try setup.fixture.git(["add", "-A"])
        let fast = setup.fast()
        let full = try setup.full(record: false)
        #expect(full.passed == scenario.fullPasses, "the full check's verdict")
        #expect(fast == scenario.fastAnswers, "whether the fast path answered")
        if fast { #expect(full.passed && full.warnings == 0, "the fast path passed what the full check does not pass silently") }
    }

    @Test func aChangedSpecIsAnsweredOnceTheFullCheckFoundItClean() throws {
        let setup = try Setup()
        try setup.warm()
        let yaml = try String(contentsOfFile: setup.fixture.path + "/wf/workflow.yaml", encoding: .utf8)
        try setup.fixture.write("wf/workflow.yaml", yaml.replacingOccurrences(of: "test workflow", with: "second"))
        try setup.fixture.git(["add", "-A"])
        #expect(!setup.fast())
        #expect(try setup.full().passed)
        #expect(setup.fast(), "the verdict the full check recorded answers the same spec next time")
    }

    @Test func aSpecWithAWarningIsNeverRecorded() throws {
        let setup = try Setup()
        let yaml = try String(contentsOfFile: setup.fixture.path + "/wf/workflow.yaml", encoding: .utf8)
        try setup.fixture.write("wf/workflow.yaml", yaml + "colour: blue\n")
        try setup.fixture.git(["add", "-A"])
        let full = try setup.full()
        #expect(full.passed && full.warnings == 1)
        #expect(!setup.fast(), "a spec with warnings goes to the full check, which prints them")
    }

    @Test func anyConfigurationNamingPipedreamerGoesToTheFullCheck() throws {
        let setup = try Setup()
        try setup.warm()
        try setup.fixture.write("wf/nodes/fetch.ts", "export const a = 5;\n")
        try setup.fixture.git(["add", "-A"])
        #expect(setup.fast())
        #expect(!setup.fast(variables: [("GIT_CONFIG_PARAMETERS", "'pipedreamer.maxcodebytes'='10'")]))
        #expect(!setup.fast(variables: [("GIT_CONFIG_COUNT", "1"), ("GIT_CONFIG_KEY_0", "PipeDreamer.Strict"), ("GIT_CONFIG_VALUE_0", "true")]))
        try setup.fixture.git(["config", "pipedreamer.maxCodeBytes", "100"])
        #expect(!setup.fast())
        // The full check agrees that these settings matter: at 100 bytes the change is refused.
        #expect(try !setup.full().passed)
    }

    @Test func nestedAndSeveralWorkflowsAreEachChecked() throws {
        let setup = try Setup(workflows: ["wf", "wf/inner", "other"])
        try setup.warm(["wf", "wf/inner", "other"])
        try setup.fixture.write("wf/inner/nodes/fetch.ts", "export const a = 9;\n")
        try setup.fixture.git(["add", "-A"])
        #expect(setup.fast())
        #expect(try setup.full(record: false).passed)
        // The outer workflow leaves the inner one out of its bundle, so an oversize inner node
        // concerns the inner workflow only, and both checks refuse it.
        try setup.fixture.write("wf/inner/nodes/big.ts", String(repeating: "// padding line\n", count: 60_000))
        try setup.fixture.git(["add", "-A"])
        #expect(!setup.fast())
        #expect(try !setup.full(record: false).passed)
    }

    @Test func theFirstCommitIsCheckedWhole() throws {
        let fixture = try GitFixture()
        let scratch = try ScratchDirectory()
        let cache = try #require(SpecVerdictCache(executable: "/proc/self/exe", environment: { $0 == "XDG_CACHE_HOME" ? scratch.path : nil }))
        try fixture.writeWorkflow(at: "wf")
        try fixture.git(["add", "-A"])
        let environment = { (name: String) -> String? in name == "GIT_DIR" ? fixture.path + "/.git" : nil }
        let change = try #require(StagedChange.open(environment: environment, currentDirectory: fixture.path))
        #expect(!StagedCheck.passes(change, cache: cache, environment: environment, allVariables: []), "no verdict recorded yet")
    }

    @Test func splitAndPackedIndexesAndObjectsGiveThePlainVerdicts() throws {
        let setup = try Setup()
        try setup.warm()
        try setup.fixture.git(["config", "core.splitIndex", "true"])
        try setup.fixture.git(["gc", "-q", "--aggressive"])
        try setup.fixture.write("wf/nodes/fetch.ts", "export const a = 6;\n")
        try setup.fixture.git(["add", "-A"])
        try setup.fixture.git(["update-index", "--split-index"])
        let shared = try FileManager.default.contentsOfDirectory(atPath: setup.fixture.path + "/.git").filter { $0.hasPrefix("sharedindex.") }
        #expect(!shared.isEmpty, "the index is split")
        #expect(setup.fast())
        try setup.fixture.write("wf/nodes/big.ts", String(repeating: "// padding line\n", count: 60_000))
        try setup.fixture.git(["add", "-A"])
        #expect(!setup.fast())
        #expect(try !setup.full(record: false).passed)
    }

    @Test func intentToAddEntriesAreLeftOutAsGitLeavesThemOut() throws {
        let setup = try Setup()
        try setup.warm()
        try setup.fixture.write("wf2/workflow.yaml", "")
        try setup.fixture.git(["add", "-N", "wf2/workflow.yaml"])
        try setup.fixture.write("wf/nodes/fetch.ts", "export const a = 7;\n")
        try setup.fixture.git(["add", "wf/nodes/fetch.ts"])
        #expect(try setup.full(record: false).passed)
        #expect(setup.fast())
    }

    @Test func aRepositoryExtensionTheFullCheckCannotOpenGoesToIt() throws {
        let setup = try Setup()
        try setup.warm()
        try setup.fixture.write("wf/nodes/fetch.ts", "export const a = 8;\n")
        try setup.fixture.git(["add", "-A"])
        try setup.fixture.git(["config", "core.repositoryformatversion", "1"])
        try setup.fixture.git(["config", "extensions.worktreeConfig", "true"])
        #expect(setup.fast(), "worktreeConfig is one libgit2 opens, as GitShim sets it up")
        #expect(try setup.full(record: false).passed)
        try setup.fixture.git(["config", "extensions.someFutureThing", "true"])
        #expect(!setup.fast())
        // git itself no longer runs in such a repository; take the line out of the file.
        let config = setup.fixture.path + "/.git/config"
        let text = try String(contentsOfFile: config, encoding: .utf8)
        try text.split(separator: "\n").filter { !$0.contains("someFutureThing") }.joined(separator: "\n")
            .appending("\n").write(toFile: config, atomically: true, encoding: .utf8)
        #expect(setup.fast())
    }

    @Test func theCacheIsKeyedByTheBinarysBuildID() throws {
        let scratch = try ScratchDirectory()
        let environment = { (name: String) -> String? in name == "XDG_CACHE_HOME" ? scratch.path : nil }
        let shell = URL(fileURLWithPath: "/bin/sh").resolvingSymlinksInPath().path
        let shells = try #require(SpecVerdictCache(executable: shell, environment: environment))
        #expect(shells.directory != SpecVerdictCache(executable: "/proc/self/exe", environment: environment)?.directory)
        // A copy is the same build; a file that is not an ELF executable has no build ID, so no cache.
        try FileManager.default.copyItem(atPath: shell, toPath: scratch.path + "/copy")
        #expect(SpecVerdictCache(executable: scratch.path + "/copy", environment: environment)?.directory == shells.directory)
        try "#!/bin/sh\n".write(toFile: scratch.path + "/script", atomically: true, encoding: .utf8)
        #expect(SpecVerdictCache(executable: scratch.path + "/script", environment: environment) == nil)
        // readelf, where installed, is the oracle for the ID itself.
        if let readelf = Command.which("readelf") {
            let notes = try Command.run(readelf, ["-n", shell]).stdoutText
            let id = try #require(notes.split(separator: "\n").first { $0.contains("Build ID:") }?.split(separator: " ").last)
            #expect(shells.directory.hasSuffix("/" + id))
        }
    }
}
