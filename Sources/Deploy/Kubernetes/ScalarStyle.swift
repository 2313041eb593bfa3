import Yams

/// Chooses how each string is written so that every YAML reader kubectl may meet reads it back
/// byte for byte and as a string: Go's `sigs.k8s.io/yaml` (YAML 1.1), libyaml, PyYAML.
enum ScalarStyle {
    /// Multi-line text asks for a literal block (`|`); libyaml itself falls back to double quotes
    /// when a block cannot hold the value exactly (tabs, trailing spaces, control characters).
    /// Plain style only for strings no YAML 1.1 reader types otherwise; the rest are quoted.
    static func style(for string: String) -> Yams.Node.Scalar.Style {
        var multiline = false
        var previous: (UInt8, UInt8) = (0, 0)
        // CR, NEL, LS and PS are folded or normalised inside blocks and quotes, and readers drop a
        // BOM: escaped in double quotes they survive. One pass over the UTF-8 bytes, as this runs
        // over every byte of a 900KB bundle.
        for byte in string.utf8 {
            switch byte {
            case 0x0A: multiline = true
            case 0x0D: return .doubleQuoted
            case 0x85 where previous.1 == 0xC2: return .doubleQuoted
            case 0xA8, 0xA9: if previous == (0xE2, 0x80) { return .doubleQuoted }
            case 0xBF: if previous == (0xEF, 0xBB) { return .doubleQuoted }
            default: break
            }
            previous = (previous.1, byte)
        }
        if multiline { return .literal }
        return isPlainSafe(string) ? .any : .singleQuoted
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
