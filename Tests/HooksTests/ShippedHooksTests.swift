import Foundation
import Deploy
import Hooks
import Testing

/// The files in `hooks/` (what install.sh installs and a server administrator copies by hand) are
/// the scripts `install-hooks` writes, with no recorded binary path.
@Suite struct ShippedHooksTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test(arguments: HookName.allCases)
    func shippedFileIsTheInstalledScript(hook: HookName) throws {
        let shipped = try String(contentsOf: Self.root.appendingPathComponent("hooks/\(hook.rawValue)"), encoding: .utf8)
        #expect(shipped == HookShim.script(for: hook, binary: nil))
    }

    @Test func pipedreamerHookAndTheFullCheckAgreeOnTheirNames() throws {
        // pipedreamer-hook does not link Hooks, so it spells the variable out; it must be the same.
        let source = try String(contentsOf: Self.root.appendingPathComponent("Sources/pipedreamer-hook/main.swift"), encoding: .utf8)
        #expect(source.contains("setenv(\"\(PreCommitShortcut.askedVariable)\", \"1\", 1)"))
    }
}
