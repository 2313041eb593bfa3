
/// One .gitattributes file, read line by line the way git's attr.c reads one from the index.
struct AttributesFile: Sendable {
    struct Rule: Sendable {
        let pattern: AttributePattern
        let assignments: [AttributeAssignment]
        /// 1-based line in the file, for messages.
        let line: Int
    }

    struct MacroDefinition: Sendable {
        let name: String
        let assignments: [AttributeAssignment]
    }

    /// The directory holding the file, "" for the root.
    let directory: String
    /// The file's repository path, for messages.
    let path: String
    /// `directory` as bytes, the base that patterns with a slash are relative to.
    let base: [UInt8]
    let depth: Int
    /// Pattern lines, in file order.
    let rules: [Rule]
    /// `[attr]` lines, in file order; only the root file may define macros.
    let macros: [MacroDefinition]
    /// git's warnings for the lines it ignored as too long.
    let warnings: [String]
    /// More than `maxRules` lines assigned something; the rest were not read.
    let isTruncated: Bool

    /// git ignores longer lines and larger files rather than parse them: attr.c's ATTR_MAX_LINE_LENGTH
    /// and ATTR_MAX_FILE_SIZE (git 2.39.1, "attr: ignore attribute lines exceeding 2048 bytes" and
    /// "attr: ignore overly large gitattributes files").
    static let maxLineLength = 2048
    static let maxFileSize = 100 * 1024 * 1024

    /// Lines that assign nothing are dropped (they cannot change any state); past `maxRules` of the
    /// others, reading stops and `isTruncated` is set.
    init(directory: String, contents: String, maxRules: Int = .max) {
        let directory = String(directory.drop { $0 == "/" }.reversed().drop { $0 == "/" }.reversed())
        self.directory = directory
        path = joinPath(directory, ".gitattributes")
        base = Array(directory.utf8)
        depth = directory.isEmpty ? 0 : directory.split(separator: "/").count

        var bytes = Array(contents.utf8)
        if bytes.count >= Self.maxFileSize { bytes = [] }
        // git reads the blob as a C string: anything after a NUL is never seen.
        if let nul = bytes.firstIndex(of: 0) { bytes.removeSubrange(nul...) }
        var rules = [Rule]()
        var macros = [MacroDefinition]()
        var warnings = [String]()
        var truncated = false
        // Many lines assign the same thing (`binary`): one list serves them all.
        var sharedAssignments = [ArraySlice<UInt8>: [AttributeAssignment]]()
        for (index, line) in bytes.split(separator: ASCII.newline, omittingEmptySubsequences: false).enumerated() {
            if line.count >= Self.maxLineLength {
                warnings.append("\(path): ignoring overly long attributes line \(index + 1), as git does")
                continue
            }
            switch Self.parse(line, macrosAllowed: directory.isEmpty, line: index + 1, shared: &sharedAssignments) {
            case .rule(let rule) where !rule.assignments.isEmpty:
                guard rules.count < maxRules else {
                    truncated = true
                    break
                }
                rules.append(rule)
            case .macro(let macro): macros.append(macro)
            case .rule, nil: break
            }
            if truncated { break }
        }
        self.rules = rules
        self.macros = macros
        self.warnings = warnings
        isTruncated = truncated
    }

    /// Whether this file's lines can apply to `path`: it sits in the root or an ancestor directory.
    func applies(to path: [UInt8]) -> Bool {
        base.isEmpty || (path.count > base.count && path[base.count] == ASCII.slash && path.starts(with: base))
    }

    private enum Line {
        case rule(Rule)
        case macro(MacroDefinition)
    }

    /// One line, or nil for blank lines, comments and every line git rejects as a whole.
    private static func parse(_ line: ArraySlice<UInt8>, macrosAllowed: Bool, line number: Int,
                              shared: inout [ArraySlice<UInt8>: [AttributeAssignment]]) -> Line? {
        let text = line.drop(while: isBlank)
        guard let first = text.first, first != ASCII.hash, line.count < maxLineLength else { return nil }

        let name: [UInt8]
        let rest: ArraySlice<UInt8>
        if first == ASCII.quote, let (unquoted, end) = unquoteC(text) {
            name = unquoted
            rest = text[end...]
        } else {
            let end = text.firstIndex(where: isBlank) ?? text.endIndex
            name = Array(text[..<end])
            rest = text[end...]
        }

        var assignments = [AttributeAssignment]()
        if let known = shared[rest] {
            assignments = known
        } else {
            for token in rest.split(whereSeparator: isBlank) {
                guard let assignment = parseAssignment(token) else { return nil }
                assignments.append(assignment)
            }
            shared[rest] = assignments
        }

        let macroPrefix = Array("[attr]".utf8)
        if name.count > macroPrefix.count && name.starts(with: macroPrefix) {
            // git refuses macro definitions outside the root file, dropping the whole line.
            guard macrosAllowed else { return nil }
            let macroName = name.dropFirst(macroPrefix.count).drop(while: isBlank).prefix { !isBlank($0) }
            guard isValidName(macroName) else { return nil }
            return .macro(MacroDefinition(name: String(decoding: macroName, as: UTF8.self), assignments: assignments))
        }
        let pattern = AttributePattern(name)
        // git ignores `!pattern` lines: negation is meaningless for attributes.
        if pattern.isNegative { return nil }
        return .rule(Rule(pattern: pattern, assignments: assignments, line: number))
    }

    /// `name` (set), `-name` (unset), `!name` (unspecified) or `name=value`; nil when the name is invalid.
    private static func parseAssignment(_ token: ArraySlice<UInt8>) -> AttributeAssignment? {
        let equals = token.firstIndex(of: ASCII.equals)
        var name = token[..<(equals ?? token.endIndex)]
        let state: AttributeState
        switch token.first {
        case ASCII.dash:
            state = .unset
            name = name.dropFirst()
        case ASCII.bang:
            state = .unspecified
            name = name.dropFirst()
        default:
            state = equals.map { .value(String(decoding: token[($0 + 1)...], as: UTF8.self)) } ?? .set
        }
        guard isValidName(name) else { return nil }
        return AttributeAssignment(name: String(decoding: name, as: UTF8.self), state: state)
    }

    /// Attribute names are `[-._A-Za-z0-9]+` and do not begin with '-'.
    private static func isValidName(_ name: some Collection<UInt8>) -> Bool {
        guard let first = name.first, first != ASCII.dash else { return false }
        return name.allSatisfy {
            $0.isASCIIDigit || $0.isASCIILetter || $0 == ASCII.dash || $0 == 0x2E || $0 == 0x5F
        }
    }

    private static func isBlank(_ byte: UInt8) -> Bool {
        byte == ASCII.space || byte == ASCII.tab || byte == ASCII.carriageReturn || byte == ASCII.newline
    }

    /// git's unquote_c_style(): a double-quoted pattern with C escapes. Returns the bytes and the
    /// index just past the closing quote, or nil when malformed (the line is then read unquoted).
    private static func unquoteC(_ text: ArraySlice<UInt8>) -> ([UInt8], Int)? {
        var index = text.startIndex + 1
        var bytes = [UInt8]()
        func next() -> UInt8? {
            guard index < text.endIndex else { return nil }
            defer { index += 1 }
            return text[index]
        }
        while let byte = next() {
            if byte == ASCII.quote { return (bytes, index) }
            guard byte == ASCII.backslash else {
                bytes.append(byte)
                continue
            }
            guard let escaped = next() else { return nil }
            switch escaped {
            case UInt8(ascii: "a"): bytes.append(0x07)
            case UInt8(ascii: "b"): bytes.append(0x08)
            case UInt8(ascii: "f"): bytes.append(0x0C)
            case UInt8(ascii: "n"): bytes.append(0x0A)
            case UInt8(ascii: "r"): bytes.append(0x0D)
            case UInt8(ascii: "t"): bytes.append(0x09)
            case UInt8(ascii: "v"): bytes.append(0x0B)
            case ASCII.backslash, ASCII.quote: bytes.append(escaped)
            case UInt8(ascii: "0")...UInt8(ascii: "3"):
                guard let middle = next(), (0x30...0x37).contains(middle),
                      let last = next(), (0x30...0x37).contains(last)
                else { return nil }
                bytes.append((escaped - 0x30) << 6 | (middle - 0x30) << 3 | (last - 0x30))
            default:
                return nil
            }
        }
        return nil
    }
}
