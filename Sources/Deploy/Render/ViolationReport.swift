import WorkflowBundle
/// Formats violations for people: what is wrong, then one line on how to fix it.
public enum ViolationReport {
    /// `notes` adds lines to a violation's message, before its fix (the hooks say how much a commit adds).
    public static func text(for check: WorkflowCheck, at label: String,
                            notes: (Violation) -> [String] = { _ in [] }) -> String {
        let count = check.violations.count
        var lines = ["workflow \(WorkflowLocator.shown(check.directory)) at \(label): \(count) problem\(count == 1 ? "" : "s")"]
        for violation in check.violations {
            lines.append("  ✗ " + violation.message.split(separator: "\n", omittingEmptySubsequences: false)
                .joined(separator: "\n    "))
            lines += notes(violation).map { "      " + $0 }
            lines.append("    fix: \(violation.fix)")
        }
        return lines.joined(separator: "\n")
    }

    /// "1234 of 921600 bytes (0.1%) in 3 files".
    public static func sizeLine(for bundle: CodeBundle) -> String {
        let permille = bundle.limit == 0 ? 0 : bundle.totalBytes * 1000 / bundle.limit
        return "\(bundle.totalBytes) of \(bundle.limit) bytes (\(permille / 10).\(permille % 10)%) in \(bundle.fileCount) file\(bundle.fileCount == 1 ? "" : "s")"
    }
}
