/// Go's `time.ParseDuration`, which robfig/cron uses for `@every <duration>`: `[-+]?([0-9]*(\.[0-9]*)?[a-z]+)+`
/// with units ns, us (µs, μs), ms, s, m, h, or a bare `0`. Only whether it parses, and Go's message when not.
enum GoDuration {
    private static let units = ["ns", "us", "µs", "μs", "ms", "s", "m", "h"]

    static func problem(in text: String) -> String? {
        let original = goQuoted(text)
        var rest = Substring(text)
        if rest.first == "-" || rest.first == "+" { rest = rest.dropFirst() }
        if rest == "0" { return nil }
        if rest.isEmpty { return "time: invalid duration \(original)" }
        while !rest.isEmpty {
            let digits = rest.prefix(while: \.isGoDigit)
            rest = rest.dropFirst(digits.count)
            var fraction: Substring = ""
            if rest.first == "." {
                rest = rest.dropFirst()
                fraction = rest.prefix(while: \.isGoDigit)
                rest = rest.dropFirst(fraction.count)
            }
            guard !digits.isEmpty || !fraction.isEmpty else { return "time: invalid duration \(original)" }
            let unit = rest.prefix { !$0.isGoDigit && $0 != "." }
            rest = rest.dropFirst(unit.count)
            if unit.isEmpty { return "time: missing unit in duration \(original)" }
            guard units.contains(String(unit)) else { return "time: unknown unit \(goQuoted(String(unit))) in duration \(original)" }
            // Go refuses durations beyond ±2^63 ns (about 292 years).
            if let whole = Double(digits.isEmpty ? "0" : String(digits)), whole * scale(String(unit)) > 9.223372036854775807e18 {
                return "time: invalid duration \(original)"
            }
        }
        return nil
    }

    private static func scale(_ unit: String) -> Double {
        switch unit {
        case "ns": 1
        case "us", "µs", "μs": 1e3
        case "ms": 1e6
        case "s": 1e9
        case "m": 60e9
        default: 3600e9
        }
    }
}

private extension Character {
    var isGoDigit: Bool { isASCII && isNumber }
}
