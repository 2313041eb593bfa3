/// Go's `time.ParseDuration`, which kubectl and client-go use for every duration flag: one or more
/// decimal numbers, each with an optional fraction and a unit (`ns`, `us`/`µs`/`μs`, `ms`, `s`,
/// `m`, `h`), such as `300ms`, `1.5h` or `2h45m`, with an optional sign; `0` alone needs no unit.
/// Follows `src/time/format.go` (`ParseDuration`, `leadingInt`, `leadingFraction`), including
/// its overflow limit of 2^63-1 nanoseconds.
public enum GoDuration {
    public struct Invalid: Error, Equatable, CustomStringConvertible {
        /// Go's own message, for example `time: missing unit in duration "5"`.
        public let description: String
    }

    private static let units: [([UInt8], UInt64)] = [
        (Array("ns".utf8), 1), (Array("us".utf8), 1_000), (Array("µs".utf8), 1_000), (Array("μs".utf8), 1_000),
        (Array("ms".utf8), 1_000_000), (Array("s".utf8), 1_000_000_000),
        (Array("m".utf8), 60_000_000_000), (Array("h".utf8), 3_600_000_000_000),
    ]

    /// The duration in nanoseconds, negative for a leading `-`.
    public static func nanoseconds(_ text: String) throws(Invalid) -> Int64 {
        let quoted = goQuote(text)
        let invalid = Invalid(description: "time: invalid duration \(quoted)")
        var s = ArraySlice(Array(text.utf8))
        var negative = false
        if let first = s.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
            negative = first == UInt8(ascii: "-")
            s = s.dropFirst()
        }
        if s.elementsEqual("0".utf8) { return 0 }
        if s.isEmpty { throw invalid }
        let limit: UInt64 = 1 << 63
        var total: UInt64 = 0
        func isDigit(_ c: UInt8) -> Bool { c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") }
        while !s.isEmpty {
            guard let c = s.first, c == UInt8(ascii: ".") || isDigit(c) else { throw invalid }
            // leadingInt: digits before the point; more than 2^63 is an error.
            var whole: UInt64 = 0
            let before = s.count
            while let c = s.first, isDigit(c) {
                if whole > limit / 10 { throw invalid }
                whole = whole * 10 + UInt64(c - UInt8(ascii: "0"))
                if whole > limit { throw invalid }
                s = s.dropFirst()
            }
            let pre = s.count != before
            // leadingFraction: digits after the point; precision beyond 2^63 is dropped, not an error.
            var fraction: UInt64 = 0
            var scale = 1.0
            var post = false
            if s.first == UInt8(ascii: ".") {
                s = s.dropFirst()
                let start = s.count
                var overflowed = false
                while let c = s.first, isDigit(c) {
                    if !overflowed {
                        if fraction > (limit - 1) / 10 {
                            overflowed = true
                        } else {
                            let next = fraction * 10 + UInt64(c - UInt8(ascii: "0"))
                            if next > limit { overflowed = true } else { fraction = next; scale *= 10 }
                        }
                    }
                    s = s.dropFirst()
                }
                post = s.count != start
            }
            if !pre && !post { throw invalid }
            var unitLength = 0
            for c in s { if c == UInt8(ascii: ".") || isDigit(c) { break }; unitLength += 1 }
            if unitLength == 0 { throw Invalid(description: "time: missing unit in duration \(quoted)") }
            let unitBytes = Array(s.prefix(unitLength))
            s = s.dropFirst(unitLength)
            guard let unit = units.first(where: { $0.0 == unitBytes })?.1 else {
                throw Invalid(description: "time: unknown unit \(goQuote(String(decoding: unitBytes, as: UTF8.self))) in duration \(quoted)")
            }
            if whole > limit / unit { throw invalid }
            var value = whole * unit
            if fraction > 0 {
                value += UInt64(Double(fraction) * (Double(unit) / scale))
                if value > limit { throw invalid }
            }
            total += value
            if total > limit { throw invalid }
        }
        if negative { return total == limit ? Int64.min : -Int64(total) }
        if total > limit - 1 { throw invalid }
        return Int64(total)
    }

    /// `strconv.Quote` for the texts a flag can hold: quotes and backslashes escaped, control characters as `\xNN`.
    static func goQuote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7f {
                    out += "\\x" + String(scalar.value, radix: 16).leftPadded(to: 2)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}

private extension String {
    func leftPadded(to width: Int) -> String { count >= width ? self : String(repeating: "0", count: width - count) + self }
}
