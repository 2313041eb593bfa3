/// One field-level validation failure, formatted as apimachinery's `field.Error` formats it.
struct FieldError: Sendable, Equatable {
    enum Kind: String, Sendable {
        case invalid = "FieldValueInvalid"
        case required = "FieldValueRequired"
        case notFound = "FieldValueNotFound"
        case duplicate = "FieldValueDuplicate"
        case notSupported = "FieldValueNotSupported"
        case forbidden = "FieldValueForbidden"
        case tooLong = "FieldValueTooLong"

        var title: String {
            switch self {
            case .invalid: "Invalid value"
            case .required: "Required value"
            case .notFound: "Not found"
            case .duplicate: "Duplicate value"
            case .notSupported: "Unsupported value"
            case .forbidden: "Forbidden"
            case .tooLong: "Too long"
            }
        }
    }

    /// How the rejected value is printed: Go's `%q` for strings, `%v` for numbers.
    enum Value: Sendable, Equatable {
        case none
        case string(String)
        case number(Int64)
        case raw(String)
    }

    let kind: Kind
    let field: String
    let value: Value
    let detail: String

    static func invalid(_ field: String, _ value: String, _ detail: String) -> FieldError {
        FieldError(kind: .invalid, field: field, value: .string(value), detail: detail)
    }
    static func invalid(_ field: String, number: Int64, _ detail: String) -> FieldError {
        FieldError(kind: .invalid, field: field, value: .number(number), detail: detail)
    }
    static func required(_ field: String, _ detail: String = "") -> FieldError {
        FieldError(kind: .required, field: field, value: .none, detail: detail)
    }
    static func notFound(_ field: String, _ value: String) -> FieldError {
        FieldError(kind: .notFound, field: field, value: .string(value), detail: "")
    }
    static func duplicate(_ field: String, _ value: String) -> FieldError {
        FieldError(kind: .duplicate, field: field, value: .string(value), detail: "")
    }
    static func notSupported(_ field: String, _ value: String, supported: [String]) -> FieldError {
        let quoted = supported.map { goQuote($0) }.joined(separator: ", ")
        return FieldError(kind: .notSupported, field: field, value: .string(value),
                          detail: supported.isEmpty ? "" : "supported values: \(quoted)")
    }
    static func forbidden(_ field: String, _ detail: String) -> FieldError {
        FieldError(kind: .forbidden, field: field, value: .none, detail: detail)
    }
    /// apimachinery ≥ 1.32 wording (`may not be more than N bytes`).
    static func tooLong(_ field: String, max: Int) -> FieldError {
        FieldError(kind: .tooLong, field: field, value: .none,
                   detail: "may not be more than \(max) \(max == 1 ? "byte" : "bytes")")
    }

    /// `ErrorBody()`: the message without the field name; the cause message in a Status.
    var body: String {
        var text: String
        switch (kind, value) {
        case (.required, _), (.forbidden, _), (.tooLong, _), (_, .none): text = kind.title
        case (_, .string(let s)): text = "\(kind.title): \(FieldError.goQuote(s))"
        case (_, .number(let n)): text = "\(kind.title): \(n)"
        case (_, .raw(let r)): text = "\(kind.title): \(r)"
        }
        if !detail.isEmpty { text += ": \(detail)" }
        return text
    }

    /// `Error()`: `field: body`.
    var message: String { "\(field): \(body)" }

    /// Go's `%q` for the strings these rules print.
    static func goQuote(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
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

    /// `utilerrors.NewAggregate(...).Error()`: one message alone, several deduplicated in brackets.
    static func aggregate(_ errors: [FieldError]) -> String {
        var seen: [String] = []
        for message in errors.map(\.message) where !seen.contains(message) { seen.append(message) }
        if errors.count == 1 || seen.count == 1 { return seen[0] }
        return "[" + seen.joined(separator: ", ") + "]"
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
