import Foundation
import GitFiles
import Testing
import TestSupport

/// Paths reach a terminal as git's `core.quotePath` quoting prints them.
@Suite struct PathQuotingTests {
    /// git is the oracle for C0 controls, DEL, quotes and backslashes: `git ls-files` with
    /// core.quotePath=false prints exactly what `PathQuoting.quoted` does.
    @Test func controlCharactersAreQuotedAsGitQuotesThem() throws {
        let fixture = try GitFixture()
        let names = ["nodes/\u{1B}[1A\u{1B}[2Kok.ts", "nodes/a\rb.ts", "nodes/tab\there.ts", "nodes/bell\u{07}\u{08}\u{0B}\u{0C}.ts",
                     "nodes/line\nbreak.ts", "nodes/q\"uote.ts", "nodes/back\\slash.ts", "nodes/del\u{7F}.ts", "nodes/\u{01}.ts",
                     "nodes/café.ts", "nodes/plain.ts"]
        for name in names { try fixture.write(name, "x\n") }
        try fixture.git(["add", "-A"])
        let listed = String(decoding: try fixture.git(["-c", "core.quotePath=false", "ls-files"]), as: UTF8.self)
            .split(separator: "\n").map(String.init)
        let ours = names.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }.map(PathQuoting.quoted)
        #expect(listed == ours)
        #expect(PathQuoting.quoted("nodes/\u{1B}[1A\u{1B}[2Kok.ts") == "\"nodes/\\033[1A\\033[2Kok.ts\"")
        #expect(PathQuoting.quoted("nodes/café.ts") == "nodes/café.ts")
    }

    /// Terminals obey C1 controls too (U+009B is CSI), which git passes raw with core.quotePath=false.
    @Test func c1ControlsAndInvalidBytesAreEscapedInOctal() {
        #expect(PathQuoting.quoted("a\u{9B}2Kb") == "\"a\\302\\2332Kb\"")
        #expect(PathQuoting.quoted(bytes: Array("caf".utf8) + [0xE9] + Array(".ts".utf8)) == "\"caf\\351.ts\"")
        #expect(PathQuoting.quoted("\u{A0}é") == "\u{A0}é")
    }
}
