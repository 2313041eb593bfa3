/// Label selectors: the `spec.selector` object form and the `?labelSelector=` query form.
enum LabelSelector {
    enum Requirement: Equatable {
        case equals(String, String)
        case notEquals(String, String)
        case exists(String)
        case notExists(String)
        case isIn(String, [String])
        case notIn(String, [String])

        func matches(_ labels: [String: String]) -> Bool {
            switch self {
            case .equals(let k, let v): labels[k] == v
            case .notEquals(let k, let v): labels[k] != v
            case .exists(let k): labels[k] != nil
            case .notExists(let k): labels[k] == nil
            case .isIn(let k, let values): labels[k].map(values.contains) ?? false
            case .notIn(let k, let values): labels[k].map { !values.contains($0) } ?? true
            }
        }
    }

    static func isEmpty(_ selector: JSON) -> Bool {
        (selector["matchLabels"]?.object ?? [:]).isEmpty && (selector["matchExpressions"]?.array ?? []).isEmpty
    }

    /// `metav1.LabelSelector` semantics.
    static func matches(_ selector: JSON, labels: [String: JSON]) -> Bool {
        let plain = labels.compactMapValues(\.string)
        for (key, value) in selector["matchLabels"]?.object ?? [:] where plain[key] != value.string { return false }
        for expression in selector["matchExpressions"]?.array ?? [] {
            let key = expression["key"]?.string ?? ""
            let values = (expression["values"]?.array ?? []).compactMap(\.string)
            let requirement: Requirement
            switch expression["operator"]?.string ?? "" {
            case "In": requirement = .isIn(key, values)
            case "NotIn": requirement = .notIn(key, values)
            case "Exists": requirement = .exists(key)
            case "DoesNotExist": requirement = .notExists(key)
            default: return false
            }
            if !requirement.matches(plain) { return false }
        }
        return true
    }

    /// Parses `a=b,c!=d,e,!f,g in (x,y)`; nil when malformed.
    static func parse(_ text: String) -> [Requirement]? {
        var terms: [String] = []
        var depth = 0, current = ""
        for c in text {
            if c == "(" { depth += 1 } else if c == ")" { depth -= 1 }
            if c == "," && depth == 0 { terms.append(current); current = "" } else { current.append(c) }
        }
        if !current.isEmpty || !terms.isEmpty { terms.append(current) }
        var requirements: [Requirement] = []
        for raw in terms {
            let term = raw.trimmingCharacters(in: .whitespaces)
            if term.isEmpty { return nil }
            if let range = term.range(of: " notin ") ?? term.range(of: " in ") {
                let key = term[..<range.lowerBound].trimmingCharacters(in: .whitespaces)
                let list = term[range.upperBound...].trimmingCharacters(in: .whitespaces)
                guard list.hasPrefix("("), list.hasSuffix(")") else { return nil }
                let values = list.dropFirst().dropLast().split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                requirements.append(term[range].contains("notin") ? .notIn(key, values) : .isIn(key, values))
            } else if let range = term.range(of: "!=") {
                requirements.append(.notEquals(trim(term[..<range.lowerBound]), trim(term[range.upperBound...])))
            } else if let range = term.range(of: "==") ?? term.range(of: "=") {
                requirements.append(.equals(trim(term[..<range.lowerBound]), trim(term[range.upperBound...])))
            } else if term.hasPrefix("!") {
                requirements.append(.notExists(trim(term.dropFirst())))
            } else {
                requirements.append(.exists(term))
            }
        }
        return requirements
    }

    private static func trim(_ s: Substring) -> String { s.trimmingCharacters(in: .whitespaces) }
}

import Foundation
