import Yams

/// Chooses how each string is written so that every YAML reader kubectl may meet reads it back
/// byte for byte and as a string: Go's `sigs.k8s.io/yaml` (YAML 1.1), libyaml, PyYAML.
enum ScalarStyle {
    /// Multi-line text asks for a literal block (`|`); libyaml itself falls back to double quotes
    /// when a block cannot hold the value exactly (tabs, trailing spaces, control characters).
    /// Plain style only for strings no YAML 1.1 reader types otherwise; the rest are quoted.
    static func style(for string: String) -> Yams.Node.Scalar.Style {
        let scalars = string.unicodeScalars
        if scalars.contains(where: isExotic) { return .doubleQuoted }
        if scalars.contains("\n") { return .literal }
        return isPlainSafe(string) ? .any : .singleQuoted
    }

    /// Breaks YAML 1.1 folds or normalises inside blocks and quotes, and a BOM readers drop;
    /// escaped, they survive.
    private static func isExotic(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "\r" || scalar == "\u{85}" || scalar == "\u{2028}" || scalar == "\u{2029}"
            || scalar == "\u{FEFF}"
    }

    /// YAML 1.1 readers (go-yaml v2 included) type plain `y`, `off`, `~`, `0x1F`, `+.5`, `_1`, `2024-01-01`...
    /// Rather than mirror each resolver, refuse anything that starts like a number or is a keyword.
    static func isPlainSafe(_ string: String) -> Bool {
        guard let first = string.unicodeScalars.first else { return false }
        if "0123456789+-._~=<".unicodeScalars.contains(first) { return false }
        return !keywords.contains(string.lowercased())
    }

    private static let keywords: Set<String> = [
        "y", "n", "yes", "no", "true", "false", "on", "off", "null",
        ".inf", ".nan",
    ]
}
