import Foundation

/// The cron syntax a Kubernetes CronJob accepts: five fields or a macro. Checked here so a bad
/// schedule fails before anything is applied, with a message saying which field is wrong.
enum CronSchedule {
    static let macros = ["@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"]

    private struct Field {
        let name: String
        let range: ClosedRange<Int>
        /// Three-letter names, the first standing for `range.lowerBound`.
        let names: [String]
    }

    private static let fields = [
        Field(name: "minute", range: 0...59, names: []),
        Field(name: "hour", range: 0...23, names: []),
        Field(name: "day-of-month", range: 1...31, names: []),
        Field(
            name: "month", range: 1...12,
            names: ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]),
        // 7 is Sunday too.
        Field(
            name: "day-of-week", range: 0...7,
            names: ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]),
    ]

    /// What is wrong with `schedule`, or nil when a CronJob would accept it.
    static func problem(in schedule: String) -> String? {
        let trimmed = schedule.trimmingCharacters(in: .whitespaces)
        if trimmed.hasPrefix("@") {
            if macros.contains(trimmed) { return nil }
            return "unknown macro '\(trimmed)'; expected five fields or one of \(macros.joined(separator: ", "))"
        }
        let parts = trimmed.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard parts.count == fields.count else {
            return "expected five fields (minute hour day-of-month month day-of-week) "
                + "or one of \(macros.joined(separator: ", ")); got \(parts.count)"
        }
        for (part, field) in zip(parts, fields) {
            if let problem = problem(in: part, of: field) { return "\(field.name) field '\(part)': \(problem)" }
        }
        return nil
    }

    private static func problem(in part: String, of field: Field) -> String? {
        for item in part.split(separator: ",", omittingEmptySubsequences: false) {
            if let problem = problem(inItem: String(item), of: field) { return problem }
        }
        return nil
    }

    /// One comma-separated item: `*`, `?`, `N`, `A-B`, each optionally followed by `/STEP`.
    private static func problem(inItem item: String, of field: Field) -> String? {
        if item.isEmpty { return "empty list item" }
        let slashParts = item.split(separator: "/", omittingEmptySubsequences: false)
        guard slashParts.count <= 2 else { return "more than one '/' in '\(item)'" }
        if slashParts.count == 2 {
            guard let step = Int(slashParts[1]), slashParts[1].allSatisfy(\.isASCII) else {
                return "step '\(slashParts[1])' is not a number"
            }
            if step < 1 { return "step must be at least 1" }
            if step > field.range.upperBound { return "step \(step) is larger than \(field.range.upperBound)" }
        }
        let base = String(slashParts[0])
        if base == "*" || base == "?" {
            if base == "?" && !["day-of-month", "day-of-week"].contains(field.name) {
                return "'?' is only allowed in day-of-month and day-of-week"
            }
            return nil
        }
        let bounds = base.split(separator: "-", omittingEmptySubsequences: false)
        guard bounds.count <= 2 else { return "'\(base)' is not a value or a range" }
        var values: [Int] = []
        for bound in bounds {
            switch value(String(bound), of: field) {
            case .success(let value): values.append(value)
            case .failure(let problem): return problem.message
            }
        }
        if values.count == 2 && values[0] > values[1] {
            return "range \(base) runs backwards"
        }
        return nil
    }

    private struct Problem: Error { let message: String }

    private static func value(_ text: String, of field: Field) -> Result<Int, Problem> {
        if text.isEmpty { return .failure(Problem(message: "missing value")) }
        if text.allSatisfy({ $0.isASCII && $0.isNumber }) {
            guard let number = Int(text), field.range.contains(number) else {
                return .failure(Problem(message: "\(text) is out of range \(field.range.lowerBound)-\(field.range.upperBound)"))
            }
            return .success(number)
        }
        if let index = field.names.firstIndex(of: text.uppercased()) {
            return .success(field.range.lowerBound + index)
        }
        if field.names.isEmpty {
            return .failure(Problem(message: "'\(text)' is not a number"))
        }
        return .failure(Problem(message: "'\(text)' is not a number or one of \(field.names.joined(separator: ", "))"))
    }
}
