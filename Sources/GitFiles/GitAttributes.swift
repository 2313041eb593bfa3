
/// What a path's attribute is, in gitattributes(5) terms.
public enum AttributeState: Equatable, Sendable {
    /// `attr`
    case set
    /// `-attr`
    case unset
    /// `attr=value`
    case value(String)
    /// Not mentioned, or reset with `!attr`.
    case unspecified
}

/// The attributes that committed (or staged) `.gitattributes` files give to paths, evaluated the
/// way git does. Only in-tree files count: `$GIT_DIR/info/attributes` and `core.attributesFile`
/// are machine-local, so honouring them would make a deploy depend on whose machine ran it.
public struct GitAttributes: Sendable {
    /// Matching one path against every pattern may take at most this many wildmatch steps: git's
    /// matcher backtracks without bound on patterns such as `*a*a*a…b`, so a committed file could
    /// otherwise keep a hook busy forever. Ordinary patterns take a few steps per byte of the path.
    public static let maxStepsPerPath = 10_000_000
    /// git reads attribute files up to 100 MiB; a file this size is already far more than any
    /// project writes, and reading more would let a file that does not ship fill the memory.
    public static let maxReadBytes = 4 * 1024 * 1024
    /// Lines that assign something, over all files; each one costs memory and a match per path.
    public static let maxRules = 200_000

    private let files: [AttributesFile]
    /// Macro definitions in effect: the built-in `binary`, then the root files' `[attr]` lines.
    private let macros: [String: [AttributeAssignment]]
    /// What git would warn about while reading the files (`ignoring overly long attributes line`).
    public let warnings: [String]

    /// `files`: the .gitattributes files in effect, each with the directory that holds it
    /// ("" for the repository root, otherwise e.g. "a/b"), and its text.
    public init(files: [(directory: String, contents: String)]) {
        self.init(parsed: files.map { AttributesFile(directory: $0.directory, contents: $0.contents) }, warnings: [])
    }

    private init(parsed: [AttributesFile], warnings: [String]) {
        var macros = ["binary": AttributeAssignment.builtinBinary]
        for file in parsed where file.directory.isEmpty {
            for definition in file.macros { macros[definition.name] = definition.assignments }
        }
        // Highest precedence first: deeper directories, then later entries for the same directory.
        self.files = parsed.enumerated()
            .sorted { ($0.element.depth, $0.offset) > ($1.element.depth, $1.offset) }
            .map(\.element)
        self.macros = macros
        self.warnings = warnings + parsed.flatMap(\.warnings)
    }

    /// The state of `attribute` for the file at `path` (repository-relative, '/'-separated).
    public func state(of attribute: String, for path: String) throws(AttributesRefusal) -> AttributeState {
        try resolve(path, until: attribute)[attribute] ?? .unspecified
    }

    /// Every attribute `path` has that is not unspecified, as `git check-attr --all` lists them.
    public func specifiedStates(for path: String) throws(AttributesRefusal) -> [String: AttributeState] {
        try resolve(path, until: nil).filter { $0.value != .unspecified }
    }

    /// Reads the .gitattributes of the root and of every ancestor directory of `paths`
    /// from `snapshot`, each file read once and judged by its object header before it is read.
    public static func load(from snapshot: Snapshot, for paths: [String]) throws -> GitAttributes {
        var directories: Set<String> = [""]
        for path in paths {
            var components = path.split(separator: "/", omittingEmptySubsequences: false).dropLast()
            while !components.isEmpty {
                directories.insert(components.joined(separator: "/"))
                components.removeLast()
            }
        }
        var files = [AttributesFile]()
        var warnings = [String]()
        var rulesLeft = maxRules
        for directory in directories.sorted() {
            let path = joinPath(directory, ".gitattributes")
            guard let entry = try snapshot.entry(at: path), entry.kind == .file || entry.kind == .executable else { continue }
            // git's attr.c (read_attr_from_blob, since 2.39.1): ATTR_MAX_FILE_SIZE and over is ignored.
            if entry.size >= AttributesFile.maxFileSize {
                warnings.append("ignoring overly large gitattributes blob '\(path)' (\(entry.size) bytes), as git does")
                continue
            }
            guard entry.size <= maxReadBytes else {
                throw AttributesRefusal(file: path, line: nil, message: "\(path): \(entry.size) bytes; pipedreamer reads "
                    + "attributes files of at most \(maxReadBytes) bytes", fix: "shorten \(path): merge its patterns (`*.png binary` covers every PNG)")
            }
            let file = AttributesFile(directory: directory, contents: String(decoding: try snapshot.contents(of: entry), as: UTF8.self),
                                      maxRules: rulesLeft)
            guard !file.isTruncated else {
                throw AttributesRefusal(file: path, line: nil, message: "\(path): the .gitattributes files hold more than "
                    + "\(maxRules) pattern lines", fix: "shorten \(path): merge its patterns (`*.png binary` covers every PNG)")
            }
            rulesLeft -= file.rules.count
            files.append(file)
        }
        return GitAttributes(parsed: files, warnings: warnings)
    }

    /// git's fill(): walk matching lines from the highest precedence down, letting the first
    /// assignment of each attribute stand (`!attr` included) and expanding macros that end up set.
    /// With `attribute`, stops once that one is decided: nothing of lower precedence can change it.
    private func resolve(_ path: String, until attribute: String?) throws(AttributesRefusal) -> [String: AttributeState] {
        let target = AttributePattern.Target(path)
        var states = [String: AttributeState]()
        var stepsLeft = Self.maxStepsPerPath

        func assign(_ assignments: [AttributeAssignment]) {
            for assignment in assignments.reversed() where states[assignment.name] == nil {
                states[assignment.name] = assignment.state
                if assignment.state == .set, let expansion = macros[assignment.name] { assign(expansion) }
            }
        }

        for file in files where file.applies(to: target.bytes) {
            // Walked through a buffer so that no rule is copied (and retained) just to be tried.
            let outcome = file.rules.withUnsafeBufferPointer { rules -> (matched: [Int], exhausted: Int?) in
                var matched = [Int]()
                var index = rules.count
                while index > 0 {
                    index -= 1
                    switch rules[index].pattern.matches(target, base: file.base, stepsLeft: &stepsLeft) {
                    case nil: return (matched, index)
                    case true?: matched.append(index)
                    case false?: break
                    }
                }
                return (matched, nil)
            }
            for index in outcome.matched {
                assign(file.rules[index].assignments)
                if let attribute, states[attribute] != nil { return states }
            }
            if let index = outcome.exhausted {
                let rule = file.rules[index]
                throw AttributesRefusal(
                    file: file.path, line: rule.line,
                    message: "\(file.path):\(rule.line): matching the pattern \(quotedForTerminal(rule.pattern.text)) "
                        + "against \(quotedForTerminal(path)) takes more than \(Self.maxStepsPerPath) steps",
                    fix: "simplify the pattern on line \(rule.line) of \(file.path): each `*` followed by more text multiplies the work")
            }
        }
        return states
    }
}

/// Attributes that cannot be evaluated within pipedreamer's bounds: the file (and line) and what to do.
public struct AttributesRefusal: Error, CustomStringConvertible, Equatable, Sendable {
    /// The .gitattributes file, repository-relative.
    public let file: String
    public let line: Int?
    public let message: String
    public let fix: String

    public init(file: String, line: Int?, message: String, fix: String) {
        self.file = file
        self.line = line
        self.message = message
        self.fix = fix
    }

    public var description: String { "\(message)\n  fix: \(fix)" }
}

/// `"text"` with control characters written as C escapes (as git's quote_c_style does), so a
/// name cannot move the terminal's cursor.
func quotedForTerminal(_ text: String) -> String {
    var bytes: [UInt8] = [0x27]
    for byte in text.utf8 {
        if byte < 0x20 || byte == 0x7F {
            let octal = Array(String(byte, radix: 8).utf8)
            bytes += [ASCII.backslash] + Array(repeating: 0x30, count: 3 - octal.count) + octal
        } else {
            bytes.append(byte)
        }
    }
    return String(decoding: bytes + [0x27], as: UTF8.self)
}

/// One `name`, `-name`, `!name` or `name=value` on an attributes line.
struct AttributeAssignment: Sendable {
    let name: String
    let state: AttributeState

    /// git's built-in `[attr]binary -diff -merge -text`.
    static let builtinBinary = [
        AttributeAssignment(name: "diff", state: .unset),
        AttributeAssignment(name: "merge", state: .unset),
        AttributeAssignment(name: "text", state: .unset),
    ]
}

/// A path pattern from an attributes line, pre-digested as git's parse_path_pattern() (dir.c) does,
/// so that most patterns are decided by comparing bytes, as match_basename() and match_pathname() do.
struct AttributePattern: Sendable {
    /// The pattern followed by a 0 byte, which the matcher reads as C's terminator.
    let terminated: [UInt8]
    /// Length without the terminator.
    let length: Int
    /// Length of the leading part with no glob characters (git's `nowildcardlen`), compared literally.
    let literalPrefixLength: Int
    /// No slash: matched against the basename at any depth (git's PATTERN_FLAG_NODIR).
    let matchesBasename: Bool
    /// `*` and then a literal (git's PATTERN_FLAG_ENDSWITH): a comparison of the basename's end.
    let endsWithLiteral: Bool
    /// A trailing slash: matches only directories, so never a file.
    let matchesDirectoriesOnly: Bool
    /// Starts with `!`; git refuses these in attributes files.
    let isNegative: Bool

    /// A path to match, parsed once for every pattern: its bytes followed by a 0, and where its basename starts.
    struct Target {
        let bytes: [UInt8]
        let basenameStart: Int
        var length: Int { bytes.count - 1 }

        init(_ path: String) {
            bytes = Array(path.utf8) + [0]
            basenameStart = bytes.dropLast().lastIndex(of: ASCII.slash).map { $0 + 1 } ?? 0
        }
    }

    init(_ raw: some Collection<UInt8>) {
        var pattern = Array(raw.prefix { $0 != 0 })
        isNegative = pattern.first == ASCII.bang
        if isNegative { pattern.removeFirst() }
        let literal = pattern.prefix { !$0.isGlobSpecial }.count
        endsWithLiteral = pattern.first == ASCII.star && !pattern.dropFirst().contains { $0.isGlobSpecial }
        matchesDirectoriesOnly = pattern.last == ASCII.slash
        if matchesDirectoriesOnly { pattern.removeLast() }
        matchesBasename = !pattern.contains(ASCII.slash)
        literalPrefixLength = min(literal, pattern.count)
        length = pattern.count
        terminated = pattern + [0]
    }

    /// The pattern as written (after `!`), for messages.
    var text: String { String(decoding: terminated.dropLast(), as: UTF8.self) }

    /// Whether the file `target` matches, for a pattern read from the .gitattributes in `base` (its
    /// directory as bytes, empty for the root); nil when globbing ran out of `stepsLeft`.
    func matches(_ target: Target, base: [UInt8], stepsLeft: inout Int) -> Bool? {
        if matchesDirectoriesOnly { return false }
        if matchesBasename {
            let start = target.basenameStart
            let nameLength = target.length - start
            if literalPrefixLength == length {
                return nameLength == length && Self.equal(target.bytes, from: start, terminated, from: 0, count: length)
            }
            if endsWithLiteral {
                return length - 1 <= nameLength
                    && Self.equal(target.bytes, from: target.length - (length - 1), terminated, from: 1, count: length - 1)
            }
            // The bytes before the first glob character can only match themselves: a cheap refusal
            // before globbing, for the same answer.
            let literal = literalPrefixLength
            guard literal <= nameLength, Self.equal(target.bytes, from: start, terminated, from: 0, count: literal) else {
                return false
            }
            return Wildmatch.match(terminated[...], target.bytes[start...], pathname: false, stepsLeft: &stepsLeft)
        }
        var p = 0
        var literal = literalPrefixLength
        if terminated[0] == ASCII.slash {
            p = 1
            literal -= 1
        }
        var n = base.isEmpty ? 0 : base.count + 1
        if literal > 0 {
            guard literal <= target.length - n, Self.equal(target.bytes, from: n, terminated, from: p, count: literal) else { return false }
            p += literal
            n += literal
            if p == length && n == target.length { return true }
        }
        // Globbing only what follows the literal part matters: git does the same, and a `**`
        // right after it then counts as starting the pattern.
        return Wildmatch.match(terminated[p...], target.bytes[n...], pathname: true, stepsLeft: &stepsLeft)
    }

    private static func equal(_ a: [UInt8], from i: Int, _ b: [UInt8], from j: Int, count: Int) -> Bool {
        var k = 0
        while k < count {
            if a[i + k] != b[j + k] { return false }
            k += 1
        }
        return true
    }
}
