/// A line-based unified diff (3 lines of context), as `diff -u` prints it.
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

    /// The edit script from the standard library's Myers difference: time and space grow with the
    /// number of changed lines, not with the product of the texts' lengths, so two small edits in a
    /// 900KB ConfigMap give two small hunks.
    static func editScript(_ a: [String], _ b: [String]) -> [Step] {
        var removed = Set<Int>(), inserted = Set<Int>()
        for change in b.difference(from: a) {
            switch change {
            case .remove(let offset, _, _): removed.insert(offset)
            case .insert(let offset, _, _): inserted.insert(offset)
            }
        }
        var steps = [Step]()
        steps.reserveCapacity(max(a.count, b.count))
        var i = 0, j = 0
        while i < a.count || j < b.count {
            // Deletions before insertions, as diff -u prints them.
            if i < a.count, removed.contains(i) {
                steps.append(Step(kind: .delete, text: a[i], oldIndex: i, newIndex: j))
                i += 1
            } else if j < b.count, inserted.contains(j) {
                steps.append(Step(kind: .insert, text: b[j], oldIndex: i, newIndex: j))
                j += 1
            } else {
                steps.append(Step(kind: .same, text: a[i], oldIndex: i, newIndex: j))
                i += 1; j += 1
            }
        }
        return steps
    }
}
