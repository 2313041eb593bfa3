@testable import Deploy
import Foundation
import Testing
import TestSupport

@Suite struct UnifiedDiffTests {
    @Test func identicalTextsHaveNoDiff() {
        #expect(UnifiedDiff.make(old: "a\nb\n", new: "a\nb\n", oldLabel: "x", newLabel: "y") == "")
    }

    @Test func aChangedLineIsShownWithContext() {
        let old = (1...10).map { "line \($0)" }.joined(separator: "\n") + "\n"
        let new = old.replacingOccurrences(of: "line 5\n", with: "line five\n")
        #expect(UnifiedDiff.make(old: old, new: new, oldLabel: "live/x", newLabel: "desired/x") == """
        --- live/x
        +++ desired/x
        @@ -2,7 +2,7 @@
         line 2
         line 3
         line 4
        -line 5
        +line five
         line 6
         line 7
         line 8

        """)
    }

    @Test(.enabled(if: Command.which("patch") != nil, "patch is not installed"))
    func patchTurnsTheOldTextIntoTheNewForGeneratedEdits() throws {
        var generator = SplitMix64(seed: 7)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("udiff-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        for round in 0..<40 {
            let old = (0..<Int(generator.next() % 40)).map { _ in "l\(generator.next() % 12)" }
            var new = old
            for _ in 0..<Int(generator.next() % 6) {
                let action = generator.next() % 3
                if action == 0, !new.isEmpty { new.remove(at: Int(generator.next() % UInt64(new.count))) }
                if action == 1 { new.insert("n\(generator.next() % 5)", at: Int(generator.next() % UInt64(new.count + 1))) }
                if action == 2, !new.isEmpty { new[Int(generator.next() % UInt64(new.count))] = "c\(round)" }
            }
            let oldText = old.map { $0 + "\n" }.joined(), newText = new.map { $0 + "\n" }.joined()
            let diff = UnifiedDiff.make(old: oldText, new: newText, oldLabel: "a", newLabel: "b")
            let file = dir.appendingPathComponent("f\(round)")
            try Data(oldText.utf8).write(to: file)
            if diff.isEmpty { #expect(oldText == newText); continue }
            let result = try Command.run(Command.which("patch")!, ["-s", file.path], input: Data(diff.utf8))
            #expect(result.status == 0, "patch failed on round \(round): \(result.stdoutText)\(result.stderrText)\n\(diff)")
            #expect(String(decoding: try Data(contentsOf: file), as: UTF8.self) == newText, "round \(round)")
        }
    }

    @Test func twoFarApartEditsInALargeTextGiveTwoSmallHunks() {
        // About 900KB in 40,000 lines, like a full ConfigMap's YAML; edits 20,000 lines apart.
        let old = (0..<40_000).map { "    line \($0) " + String(repeating: "x", count: 10) }
        var new = old
        new[10_000] = "    changed ten thousand"
        new[30_000] = "    changed thirty thousand"
        let diff = UnifiedDiff.make(old: old.joined(separator: "\n") + "\n", new: new.joined(separator: "\n") + "\n",
                                    oldLabel: "live/x", newLabel: "desired/x")
        let lines = diff.split(separator: "\n")
        #expect(lines.filter { $0.hasPrefix("@@") } == ["@@ -9998,7 +9998,7 @@", "@@ -29998,7 +29998,7 @@"])
        #expect(lines.count == 2 + 2 * 9)  // labels, then per hunk: header, 3 + 3 context, one - and one +
        #expect(lines.filter { $0.hasPrefix("-") && !$0.hasPrefix("---") } == ["-    line 10000 xxxxxxxxxx", "-    line 30000 xxxxxxxxxx"])
    }
}
