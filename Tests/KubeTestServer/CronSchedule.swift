/// The standard 5-field cron format the CronJob API accepts (robfig/cron `ParseStandard`), with its error texts.
enum CronSchedule {
    private static let descriptors = ["@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"]
    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    private static let days = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]

    /// Nil when valid, else robfig/cron's message.
    static func problem(_ schedule: String) -> String? {
        var spec = schedule
        if spec.hasPrefix("TZ=") || spec.hasPrefix("CRON_TZ=") {
            guard let space = spec.firstIndex(of: " ") else { return "provided bad location \(spec.dropFirst(3)): unknown time zone" }
            spec = String(spec[spec.index(after: space)...])
        }
        if spec.hasPrefix("@") {
            if descriptors.contains(spec) || spec.hasPrefix("@every ") { return nil }
            return "unrecognized descriptor: \(spec)"
        }
        let fields = spec.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard fields.count == 5 else {
            return "expected exactly 5 fields, found \(fields.count): [\(fields.joined(separator: " "))]"
        }
        let bounds: [(Int, Int, [String])] = [(0, 59, []), (0, 23, []), (1, 31, []), (1, 12, months), (0, 6, days)]
        for (field, bound) in zip(fields, bounds) {
            for expression in field.split(separator: ",", omittingEmptySubsequences: false).map(String.init) {
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
        } else if rangeParts.count == 2 {
            return "too many hyphens: \(expression)"
        }
        if stepParts.count == 2 {
            switch number(stepParts[1], names: [], offset: 0) {
            case .failure(let message): return message.text
            case .success(let step) where step == 0: return "step of range should be a positive number: \(expression)"
            default: break
            }
        }
        if start < min { return "beginning of range (\(start)) below minimum (\(min)): \(expression)" }
        if end > max { return "end of range (\(end)) above maximum (\(max)): \(expression)" }
        if start > end { return "beginning of range (\(start)) beyond end of range (\(end)): \(expression)" }
        return nil
    }

    private struct Message: Error { let text: String }

    private static func number(_ text: String, names: [String], offset: Int) -> Result<Int, Message> {
        if let index = names.firstIndex(of: text.lowercased()) { return .success(index + (names.count == 12 ? 1 : 0)) }
        guard let value = Int(text), value >= 0 else {
            if text.hasPrefix("-") || Int(text) != nil { return .failure(Message(text: "negative number (\(text)) not allowed: \(text)")) }
            return .failure(Message(text: "failed to parse int from \(text): strconv.Atoi: parsing \(FieldError.goQuote(text)): invalid syntax"))
        }
        return .success(value)
    }
}

