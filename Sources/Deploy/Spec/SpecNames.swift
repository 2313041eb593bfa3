/// The character rules for names in workflow.yaml. Written out rather than as regexes so each
/// rule reads as the Kubernetes or engine rule it stands for.
enum SpecNames {
    private static func isLowerAlphanumeric(_ c: Character) -> Bool {
        c.isASCII && (c.isLowercase || c.isNumber)
    }

    /// `^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`: a workflow or trigger name.
    /// Also the shape of a DNS-1123 label, which namespaces must be.
    static func isKebabCase(_ name: String) -> Bool {
        guard let first = name.first, let last = name.last else { return false }
        return isLowerAlphanumeric(first) && isLowerAlphanumeric(last)
            && name.allSatisfy { isLowerAlphanumeric($0) || $0 == "-" }
    }

    /// `^[a-zA-Z_][a-zA-Z0-9_-]*$`: a node id.
    static func isNodeID(_ id: String) -> Bool {
        guard let first = id.first, first.isASCII, first.isLetter || first == "_" else { return false }
        return id.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }
    }

    static let maxLabelLength = 63
}
