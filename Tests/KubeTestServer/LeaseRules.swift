import Foundation

/// What the server checks in a `coordination.k8s.io/v1` Lease.
extension Validation {
    /// `ValidateLeaseSpec` (pkg/apis/coordination/validation/validation.go).
    static func lease(_ object: JSON) -> [FieldError] {
        var errors: [FieldError] = []
        let spec = object["spec"] ?? .object([:])
        if let duration = spec["leaseDurationSeconds"]?.int, duration <= 0 {
            errors.append(.invalid("spec.leaseDurationSeconds", number: duration, "must be greater than 0"))
        }
        if let transitions = spec["leaseTransitions"]?.int, transitions < 0 {
            errors.append(.invalid("spec.leaseTransitions", number: transitions, "must be greater than or equal to 0"))
        }
        let strategy = spec["strategy"]?.string
        if let strategy {
            // ValidateCoordinatedLeaseStrategy: a bare name must be a Kubernetes-defined one.
            if !strategy.contains("/") {
                if strategy != "OldestEmulationVersion" {
                    errors.append(.notSupported("spec.strategy.strategy", strategy, supported: ["OldestEmulationVersion"]))
                }
            } else {
                errors += NameRules.qualifiedName(strategy).map { .invalid("spec.strategy.strategy", strategy, $0) }
            }
        }
        if let holder = spec["preferredHolder"]?.string, !holder.isEmpty, (strategy ?? "").isEmpty {
            errors.append(.forbidden("spec.preferredHolder", "may only be specified if `strategy` is defined"))
        }
        return errors
    }
}

/// `metav1.MicroTime` as its `UnmarshalJSON` reads it: Go's `time.Parse` with layout
/// `2006-01-02T15:04:05.000000Z07:00` (staging/src/k8s.io/apimachinery/pkg/apis/meta/v1/micro_time.go),
/// which wants exactly six fractional digits.
enum MicroTime {
    static let layout = "2006-01-02T15:04:05.000000Z07:00"

    /// The value as `MarshalJSON` writes it back: `t.UTC().Format(RFC3339Micro)`, so an offset becomes `Z`.
    static func utc(_ value: String) -> String {
        guard problem(value) == nil, !value.hasSuffix("Z") else { return value }
        let head = String(value.prefix(19)), fraction = String(value.dropFirst(20).prefix(6)), zone = value.dropFirst(26)
        let sign = zone.first == "-" ? -1.0 : 1.0
        let hours = Double(zone.dropFirst().prefix(2)) ?? 0, minutes = Double(zone.suffix(2)) ?? 0
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ss"
        guard let local = formatter.date(from: head) else { return value }
        return formatter.string(from: local.addingTimeInterval(-sign * (hours * 3600 + minutes * 60))) + "." + fraction + "Z"
    }

    /// Go's `time.ParseError` text, or nil when the value parses.
    static func problem(_ value: String) -> String? {
        // The layout's elements in order: (element, kind). Digits elements take a fixed count.
        let elements: [(String, Kind)] = [("2006", .digits(4)), ("-", .literal), ("01", .digits(2)), ("-", .literal),
                                          ("02", .digits(2)), ("T", .literal), ("15", .digits(2)), (":", .literal),
                                          ("04", .digits(2)), (":", .literal), ("05", .digits(2)),
                                          (".000000", .fraction(6)), ("Z07:00", .zone)]
        var rest = Substring(value)
        for (element, kind) in elements {
            guard let consumed = kind.consume(element, rest) else {
                return "parsing time \(FieldError.goQuote(value)) as \(FieldError.goQuote(layout)): cannot parse "
                    + "\(FieldError.goQuote(String(rest))) as \(FieldError.goQuote(element))"
            }
            rest = rest.dropFirst(consumed)
        }
        if !rest.isEmpty {
            return "parsing time \(FieldError.goQuote(value)): extra text: \(FieldError.goQuote(String(rest)))"
        }
        return nil
    }

    enum Kind {
        case literal
        case digits(Int)
        case fraction(Int)
        case zone

        /// How many characters this element takes from the front of `text`, or nil when it does not match.
        func consume(_ element: String, _ text: Substring) -> Int? {
            func allDigits(_ s: Substring) -> Bool { s.allSatisfy { $0.isASCII && $0.isNumber } }
            switch self {
            case .literal: return text.hasPrefix(element) ? element.count : nil
            case .digits(let n): return text.count >= n && allDigits(text.prefix(n)) ? n : nil
            case .fraction(let n):
                guard text.first == "." else { return nil }
                return text.count > n && allDigits(text.dropFirst().prefix(n)) ? n + 1 : nil
            case .zone:
                if text.hasPrefix("Z") { return 1 }
                let offset = text.prefix(6)
                guard offset.count == 6, offset.first == "+" || offset.first == "-",
                      allDigits(offset.dropFirst().prefix(2)), offset.dropFirst(3).first == ":",
                      allDigits(offset.suffix(2)) else { return nil }
                return 6
            }
        }
    }
}
