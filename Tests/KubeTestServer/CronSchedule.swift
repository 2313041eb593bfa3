import Foundation

/// The schedules kube-apiserver accepts for a new CronJob, with its error texts: `validateScheduleFormat`
/// in kubernetes/kubernetes pkg/apis/batch/validation/validation.go runs robfig/cron v3's `ParseStandard`
/// (parser.go) and, on create, refuses any schedule containing `TZ`; both errors are reported.
/// Written apart from the tool's own validator so each checks the other.
enum CronSchedule {
    static func problems(_ schedule: String) -> [String] {
        var found: [String] = []
        if let problem = problem(schedule) { found.append(problem) }
        if schedule.contains("TZ") { found.append("cannot use TZ or CRON_TZ in schedule, use timeZone field instead") }
        return found
    }

    private static let descriptors = ["@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"]
    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    private static let days = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]

    /// Nil when `ParseStandard` accepts it, else robfig/cron's message.
    static func problem(_ schedule: String) -> String? {
        if schedule.isEmpty { return "empty spec string" }
        var spec = schedule
        if spec.hasPrefix("TZ=") || spec.hasPrefix("CRON_TZ=") {
            // Without a space robfig slices out of range; the TZ rule refuses it either way.
            guard let space = spec.firstIndex(of: " ") else { return nil }
            spec = String(spec[space...]).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        if spec.hasPrefix("@") {
            if descriptors.contains(spec) { return nil }
            if spec.hasPrefix("@every ") {
                let duration = String(spec.dropFirst("@every ".count))
                return durationParses(duration) ? nil : "failed to parse duration \(spec): time: invalid duration \(FieldError.goQuote(duration))"
            }
            return "unrecognized descriptor: \(spec)"
        }
        let fields = spec.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard fields.count == 5 else {
            return "expected exactly 5 fields, found \(fields.count): [\(fields.joined(separator: " "))]"
        }
        let bounds: [(Int, Int, [String])] = [(0, 59, []), (0, 23, []), (1, 31, []), (1, 12, months), (0, 6, days)]
        for (field, bound) in zip(fields, bounds) {
            for expression in field.split(separator: ",").map(String.init) {
                if let problem = rangeProblem(expression, min: bound.0, max: bound.1, names: bound.2) { return problem }
            }
        }
        return nil
    }

    private static func rangeProblem(_ expression: String, min: Int, max: Int, names: [String]) -> String? {
        let stepParts = expression.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard stepParts.count <= 2 else { return "too many slashes: \(expression)" }
        let rangeParts = stepParts[0].split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        guard rangeParts.count <= 2 else { return "too many hyphens: \(expression)" }
        var start = min, end = max
        if rangeParts[0] != "*" && rangeParts[0] != "?" {
            switch number(rangeParts[0], names: names, offset: min) {
            case .failure(let message): return message.text
            case .success(let value): start = value; end = value
            }
            if rangeParts.count == 2 {
                switch number(rangeParts[1], names: names, offset: min) {
                case .failure(let message): return message.text
                case .success(let value): end = value
                }
            }
        }
        var step = 1
        if stepParts.count == 2 {
            switch number(stepParts[1], names: [], offset: 0) {
            case .failure(let message): return message.text
            case .success(let value): step = value
            }
            if rangeParts.count == 1 { end = max }
        }
        if start < min { return "beginning of range (\(start)) below minimum (\(min)): \(expression)" }
        if end > max { return "end of range (\(end)) above maximum (\(max)): \(expression)" }
        if start > end { return "beginning of range (\(start)) beyond end of range (\(end)): \(expression)" }
        if step == 0 { return "step of range should be a positive number: \(expression)" }
        return nil
    }

    private struct Message: Error { let text: String }

    private static func number(_ text: String, names: [String], offset: Int) -> Result<Int, Message> {
        if let index = names.firstIndex(of: text.lowercased()) { return .success(index + (names.count == 12 ? 1 : 0)) }
        let unsigned = text.hasPrefix("-") || text.hasPrefix("+") ? text.dropFirst() : Substring(text)
        guard !unsigned.isEmpty, unsigned.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            return .failure(Message(text: "failed to parse int from \(text): strconv.Atoi: parsing \(FieldError.goQuote(text)): invalid syntax"))
        }
        guard let value = Int(text) else {
            return .failure(Message(text: "failed to parse int from \(text): strconv.Atoi: parsing \(FieldError.goQuote(text)): value out of range"))
        }
        if value < 0 { return .failure(Message(text: "negative number (\(value)) not allowed: \(text)")) }
        return .success(value)
    }

    /// Go's `time.ParseDuration` grammar: `[-+]?` then `0`, or one or more `<decimal><unit>`.
    private static func durationParses(_ text: String) -> Bool {
        var rest = Substring(text)
        if let first = rest.first, first == "-" || first == "+" { rest = rest.dropFirst() }
        if rest == "0" { return true }
        if rest.isEmpty { return false }
        let units = ["ns", "us", "µs", "μs", "ms", "s", "m", "h"]
        while !rest.isEmpty {
            let number = rest.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
            guard number.contains(where: \.isNumber), number.filter({ $0 == "." }).count <= 1 else { return false }
            rest = rest.dropFirst(number.count)
            let unit = rest.prefix { !($0.isASCII && ($0.isNumber || $0 == ".")) }
            guard units.contains(String(unit)) else { return false }
            rest = rest.dropFirst(unit.count)
        }
        return true
    }
}

