/// The string formats of apimachinery's `util/validation`, with its exact messages.
enum NameRules {
    static func maxLenError(_ n: Int) -> String { "must be no more than \(n) characters" }

    static func regexError(_ message: String, _ format: String, _ examples: String...) -> String {
        if examples.isEmpty { return message + " (regex used for validation is '\(format)')" }
        return message + " (e.g. " + examples.map { "'\($0)', " }.joined(separator: " or ")
            + "regex used for validation is '\(format)')"
    }

    private static func isLowerAlnum(_ c: Character) -> Bool { c.isASCII && (c.isLowercase || c.isNumber) }
    private static func isAlnum(_ c: Character) -> Bool { c.isASCII && (c.isLetter || c.isNumber) }

    /// `[a-z0-9]([-a-z0-9]*[a-z0-9])?`
    static func matchesDNS1123Label(_ s: String) -> Bool {
        guard let first = s.first, let last = s.last, isLowerAlnum(first), isLowerAlnum(last) else { return false }
        return s.allSatisfy { isLowerAlnum($0) || $0 == "-" }
    }

    static func matchesDNS1123Subdomain(_ s: String) -> Bool {
        s.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { matchesDNS1123Label(String($0)) }
    }

    static let labelFormat = "[a-z0-9]([-a-z0-9]*[a-z0-9])?"
    static let subdomainFormat = labelFormat + "(\\." + labelFormat + ")*"

    static func dns1123Label(_ s: String) -> [String] {
        var errors: [String] = []
        if s.utf8.count > 63 { errors.append(maxLenError(63)) }
        if !matchesDNS1123Label(s) {
            if matchesDNS1123Subdomain(s) {
                errors.append("must not contain dots")
            } else {
                errors.append(regexError("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
                                         labelFormat, "my-name", "123-abc"))
            }
        }
        return errors
    }

    static func dns1123Subdomain(_ s: String) -> [String] {
        var errors: [String] = []
        if s.utf8.count > 253 { errors.append(maxLenError(253)) }
        if !matchesDNS1123Subdomain(s) {
            errors.append(regexError("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
                                     subdomainFormat, "example.com"))
        }
        return errors
    }

    static func dns1035Label(_ s: String) -> [String] {
        var errors: [String] = []
        if s.utf8.count > 63 { errors.append(maxLenError(63)) }
        let valid = s.first.map { $0.isASCII && $0.isLowercase && $0.isLetter } == true && matchesDNS1123Label(s)
        if !valid {
            errors.append(regexError("a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character",
                                     "[a-z]([-a-z0-9]*[a-z0-9])?", "my-name", "abc-123"))
        }
        return errors
    }

    /// `([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]`
    private static func matchesQualifiedNamePart(_ s: String) -> Bool {
        guard let first = s.first, let last = s.last, isAlnum(first), isAlnum(last) else { return false }
        return s.allSatisfy { isAlnum($0) || $0 == "-" || $0 == "_" || $0 == "." }
    }

    static let qualifiedNameFormat = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]"
    static let qualifiedNameMessage = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"

    /// Label keys and (lowercased) annotation keys.
    static func qualifiedName(_ value: String) -> [String] {
        var errors: [String] = []
        let parts = value.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        let name: String
        switch parts.count {
        case 1: name = parts[0]
        case 2:
            name = parts[1]
            if parts[0].isEmpty {
                errors.append("prefix part must be non-empty")
            } else {
                errors += dns1123Subdomain(parts[0]).map { "prefix part " + $0 }
            }
        default:
            return ["a qualified name " + regexError(qualifiedNameMessage, qualifiedNameFormat, "MyName", "my.name", "123-abc")
                + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"]
        }
        if name.isEmpty {
            errors.append("name part must be non-empty")
        } else if name.utf8.count > 63 {
            errors.append("name part " + maxLenError(63))
        }
        if !matchesQualifiedNamePart(name) {
            errors.append("name part " + regexError(qualifiedNameMessage, qualifiedNameFormat, "MyName", "my.name", "123-abc"))
        }
        return errors
    }

    static func labelValue(_ value: String) -> [String] {
        var errors: [String] = []
        if value.utf8.count > 63 { errors.append(maxLenError(63)) }
        if !value.isEmpty && !matchesQualifiedNamePart(value) {
            errors.append(regexError("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
                                     "(" + qualifiedNameFormat + ")?", "MyValue", "my_value", "12345"))
        }
        return errors
    }

    /// ConfigMap and Secret keys.
    static func configMapKey(_ value: String) -> [String] {
        var errors: [String] = []
        if value.utf8.count > 253 { errors.append(maxLenError(253)) }
        let valid = !value.isEmpty && value.allSatisfy { isAlnum($0) || $0 == "-" || $0 == "_" || $0 == "." }
        if !valid {
            errors.append(regexError("a valid config key must consist of alphanumeric characters, '-', '_' or '.'",
                                     "[-._a-zA-Z0-9]+", "key.name", "KEY_NAME", "key-name"))
        }
        if value == "." { errors.append("must not be '.'") }
        else if value == ".." { errors.append("must not be '..'") }
        else if value.hasPrefix("..") { errors.append("must not start with '..'") }
        return errors
    }

    static let portRangeError = "must be between 1 and 65535, inclusive"
}
