/// A line-based unified diff (3 lines of context), computed with a longest-common-subsequence table.
enum UnifiedDiff {
    static func make(old: String, new: String, oldLabel: String, newLabel: String, context: Int = 3) -> String {
        let a = lines(old), b = lines(new)
        let script = editScript(a, b)
        guard script.contains(where: { $0.kind != .same }) else { return "" }
        var output = ["--- \(oldLabel)", "+++ \(newLabel)"]
        var index = 0
        while index < script.count {
            guard script[index].kind != .same else { index += 1; continue }
            // A hunk: from `context` lines before the change to `context` lines after the last nearby change.
            let start = max(0, index - context)
            var end = index
            var lastChange = index
            while end < script.count {
                if script[end].kind != .same { lastChange = end }
                if end - lastChange > 2 * context { break }
                end += 1
            }
            end = min(script.count, lastChange + context + 1)
            let hunk = script[start..<end]
            let oldStart = hunk.first(where: { $0.kind != .insert })?.oldIndex ?? (script[start].oldIndex)
            let newStart = hunk.first(where: { $0.kind != .delete })?.newIndex ?? (script[start].newIndex)
            let oldCount = hunk.filter { $0.kind != .insert }.count
            let newCount = hunk.filter { $0.kind != .delete }.count
            output.append("@@ -\(oldCount == 0 ? oldStart : oldStart + 1),\(oldCount) +\(newCount == 0 ? newStart : newStart + 1),\(newCount) @@")
            for step in hunk {
                switch step.kind {
                case .same: output.append(" " + step.text)
                case .delete: output.append("-" + step.text)
                case .insert: output.append("+" + step.text)
                }
            }
            index = end
        }
        return output.joined(separator: "\n") + "\n"
    }

    struct Step {
        enum Kind { case same, delete, insert }
        let kind: Kind
        let text: String
        /// Position in the old and new line lists at this step.
        let oldIndex: Int
        let newIndex: Int
    }

    static func lines(_ text: String) -> [String] {
        var result = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if result.last == "" { result.removeLast() }
        return result
    }

    static func editScript(_ a: [String], _ b: [String]) -> [Step] {
        // Trim the common prefix and suffix first: manifests differ in a few lines.
        var prefix = 0
        while prefix < a.count, prefix < b.count, a[prefix] == b[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < a.count - prefix, suffix < b.count - prefix, a[a.count - 1 - suffix] == b[b.count - 1 - suffix] { suffix += 1 }
        let midA = Array(a[prefix..<(a.count - suffix)]), midB = Array(b[prefix..<(b.count - suffix)])
        var steps = (0..<prefix).map { Step(kind: .same, text: a[$0], oldIndex: $0, newIndex: $0) }
        let offsetA = a.count - suffix, offsetB = b.count - suffix
        let tail = (0..<suffix).map { Step(kind: .same, text: a[offsetA + $0], oldIndex: offsetA + $0, newIndex: offsetB + $0) }
        // The table is quadratic; past a few million cells, show the middle as replaced whole.
        guard midA.count * midB.count <= 4_000_000 else {
            steps += midA.enumerated().map { Step(kind: .delete, text: $1, oldIndex: prefix + $0, newIndex: prefix) }
            steps += midB.enumerated().map { Step(kind: .insert, text: $1, oldIndex: offsetA, newIndex: prefix + $0) }
            return steps + tail
        }
        var table = Array(repeating: Array(repeating: 0, count: midB.count + 1), count: midA.count + 1)
        for i in stride(from: midA.count - 1, through: 0, by: -1) {
            for j in stride(from: midB.count - 1, through: 0, by: -1) {
                table[i][j] = midA[i] == midB[j] ? table[i + 1][j + 1] + 1 : max(table[i + 1][j], table[i][j + 1])
            }
        }
        var i = 0, j = 0
        while i < midA.count || j < midB.count {
            if i < midA.count, j < midB.count, midA[i] == midB[j] {
                steps.append(Step(kind: .same, text: midA[i], oldIndex: prefix + i, newIndex: prefix + j))
                i += 1; j += 1
            } else if i < midA.count, j == midB.count || table[i + 1][j] >= table[i][j + 1] {
                // Deletions before insertions, as diff -u prints them.
                steps.append(Step(kind: .delete, text: midA[i], oldIndex: prefix + i, newIndex: prefix + j))
                i += 1
            } else {
                steps.append(Step(kind: .insert, text: midB[j], oldIndex: prefix + i, newIndex: prefix + j))
                j += 1
            }
        }
        return steps + tail
    }
}
