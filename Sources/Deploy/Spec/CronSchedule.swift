/// The schedules a Kubernetes CronJob accepts, with the API server's own messages, so a schedule
/// the cluster would refuse fails at `check` time instead of after the first write.
///
/// Follows kube-apiserver's `validateScheduleFormat` (kubernetes/kubernetes
/// pkg/apis/batch/validation/validation.go): `cron.ParseStandard` from robfig/cron v3 (parser.go:
/// `Parse`, `normalizeFields`, `getRange`, `parseIntOrName`, `mustParseInt`, `parseDescriptor`),
/// then a refusal of any schedule containing `TZ` on create. Both errors are reported when both apply.
enum CronSchedule {
    static let descriptors = ["@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"]
    static let timeZoneMessage = "cannot use TZ or CRON_TZ in schedule, use timeZone field instead"

    private struct Bounds {
        let min: Int
        let max: Int
        let names: [String: Int]
    }

    private static let months: [String: Int] = [
        "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
        "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
    ]
    private static let days: [String: Int] = ["sun": 0, "mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6]
    /// minute, hour, day of month, month, day of week: `ParseStandard` has no seconds field.
    private static let fieldBounds = [
        Bounds(min: 0, max: 59, names: [:]), Bounds(min: 0, max: 23, names: [:]), Bounds(min: 1, max: 31, names: [:]),
        Bounds(min: 1, max: 12, names: months), Bounds(min: 0, max: 6, names: days),
    ]

    /// The server's messages for `schedule`, joined by "; ", or nil when a new CronJob would accept it.
    static func problem(in schedule: String) -> String? {
        var problems: [String] = []
        if let parse = parseStandard(schedule) { problems.append(parse) }
        if schedule.contains("TZ") { problems.append(timeZoneMessage) }
        return problems.isEmpty ? nil : problems.joined(separator: "; ")
    }

    /// robfig/cron v3 `ParseStandard`: nil when it parses, else its error text.
    private static func parseStandard(_ schedule: String) -> String? {
        if schedule.isEmpty { return "empty spec string" }
        var spec = Substring(schedule)
        if spec.hasPrefix("TZ=") || spec.hasPrefix("CRON_TZ=") {
            // Only UTC (and the empty name, which is UTC) is known on every machine; any zone is refused
            // anyway, by the TZ rule, so the parse goes on with the rest of the schedule.
            guard let space = spec.firstIndex(of: " ") else { return nil }
            spec = Substring(spec[space...].trimmingGoSpace())
        }
        if spec.hasPrefix("@") { return descriptorProblem(String(spec)) }
        let fields = spec.split(whereSeparator: \.isGoSpace).map(String.init)
        guard fields.count == 5 else {
            return "expected exactly 5 fields, found \(fields.count): [\(fields.joined(separator: " "))]"
        }
        for (field, bounds) in zip(fields, fieldBounds) {
            // `strings.FieldsFunc` drops empty items: `1,,2` is `1,2`.
            for expression in field.split(separator: ",") {
                if let problem = rangeProblem(String(expression), bounds) { return problem }
            }
        }
        return nil
    }

    private static func descriptorProblem(_ descriptor: String) -> String? {
        if descriptors.contains(descriptor) { return nil }
        let every = "@every "
        if descriptor.hasPrefix(every) {
            guard let problem = GoDuration.problem(in: String(descriptor.dropFirst(every.count))) else { return nil }
            return "failed to parse duration \(descriptor): \(problem)"
        }
        return "unrecognized descriptor: \(descriptor)"
    }

    /// `getRange`: `*`, `?`, `N`, `N-M`, each optionally followed by `/STEP`.
    private static func rangeProblem(_ expression: String, _ bounds: Bounds) -> String? {
        let rangeAndStep = expression.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        let lowAndHigh = rangeAndStep[0].split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        var start: Int, end: Int
        if lowAndHigh[0] == "*" || lowAndHigh[0] == "?" {
            (start, end) = (bounds.min, bounds.max)
        } else {
            switch intOrName(lowAndHigh[0], bounds.names) {
            case .failure(let problem): return problem.text
            case .success(let value): start = value
            }
            switch lowAndHigh.count {
            case 1: end = start
            case 2:
                switch intOrName(lowAndHigh[1], bounds.names) {
                case .failure(let problem): return problem.text
                case .success(let value): end = value
                }
            default: return "too many hyphens: \(expression)"
            }
        }
        var step = 1
        switch rangeAndStep.count {
        case 1: break
        case 2:
            switch nonNegativeInt(rangeAndStep[1]) {
            case .failure(let problem): return problem.text
            case .success(let value): step = value
            }
            // `N/step` means `N-max/step`.
            if lowAndHigh.count == 1 { end = bounds.max }
        default: return "too many slashes: \(expression)"
        }
        if start < bounds.min { return "beginning of range (\(start)) below minimum (\(bounds.min)): \(expression)" }
        if end > bounds.max { return "end of range (\(end)) above maximum (\(bounds.max)): \(expression)" }
        if start > end { return "beginning of range (\(start)) beyond end of range (\(end)): \(expression)" }
        if step == 0 { return "step of range should be a positive number: \(expression)" }
        return nil
    }

    private struct Problem: Error { let text: String }

    private static func intOrName(_ text: String, _ names: [String: Int]) -> Result<Int, Problem> {
        if let named = names[text.lowercased()] { return .success(named) }
        return nonNegativeInt(text)
    }

    /// `mustParseInt`: Go's `strconv.Atoi` (optional sign, ASCII digits, 64-bit), then no negatives.
    private static func nonNegativeInt(_ text: String) -> Result<Int, Problem> {
        let digits = text.hasPrefix("+") || text.hasPrefix("-") ? text.dropFirst() : Substring(text)
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            return .failure(Problem(text: "failed to parse int from \(text): strconv.Atoi: parsing \(goQuoted(text)): invalid syntax"))
        }
        guard let number = Int(text.hasPrefix("+") ? String(digits) : text) else {
            return .failure(Problem(text: "failed to parse int from \(text): strconv.Atoi: parsing \(goQuoted(text)): value out of range"))
        }
        if number < 0 { return .failure(Problem(text: "negative number (\(number)) not allowed: \(text)")) }
        return .success(number)
    }
}

/// Go's `strconv.Quote` for the printable text a schedule holds; other characters as `\u` escapes.
func goQuoted(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\t": out += "\\t"
        case "\n": out += "\\n"
        default:
            if scalar.value < 0x20 || scalar.value == 0x7F {
                out += "\\x" + String(scalar.value, radix: 16).leftPadded(to: 2)
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
    }
    return out + "\""
}

extension String {
    func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: Swift.max(0, width - count)) + self
    }
}

extension Character {
    /// `unicode.IsSpace`, which `strings.Fields` splits on.
    var isGoSpace: Bool {
        ["\t", "\n", "\u{0B}", "\u{0C}", "\r", " ", "\u{85}", "\u{A0}"].contains(self)
            || unicodeScalars.allSatisfy { $0.properties.isWhitespace }
    }
}

extension Substring {
    func trimmingGoSpace() -> Substring {
        guard let first = firstIndex(where: { !$0.isGoSpace }), let last = lastIndex(where: { !$0.isGoSpace }) else { return "" }
        return self[first...last]
    }
}
