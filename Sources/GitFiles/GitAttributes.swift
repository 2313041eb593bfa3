
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
    private let files: [AttributesFile]
    /// Macro definitions in effect: the built-in `binary`, then the root files' `[attr]` lines.
    private let macros: [String: [AttributeAssignment]]

    /// `files`: the .gitattributes files in effect, each with the directory that holds it
    /// ("" for the repository root, otherwise e.g. "a/b"), and its text.
    public init(files: [(directory: String, contents: String)]) {
        let parsed = files.map { AttributesFile(directory: $0.directory, contents: $0.contents) }
        var macros = ["binary": AttributeAssignment.builtinBinary]
        for file in parsed where file.directory.isEmpty {
            for definition in file.macros { macros[definition.name] = definition.assignments }
        }
        // Highest precedence first: deeper directories, then later entries for the same directory.
        self.files = parsed.enumerated()
            .sorted { ($0.element.depth, $0.offset) > ($1.element.depth, $1.offset) }
            .map(\.element)
        self.macros = macros
    }

    /// The state of `attribute` for the file at `path` (repository-relative, '/'-separated).
    public func state(of attribute: String, for path: String) -> AttributeState {
        resolve(path)[attribute] ?? .unspecified
    }

    /// Every attribute `path` has that is not unspecified, as `git check-attr --all` lists them.
    public func specifiedStates(for path: String) -> [String: AttributeState] {
        resolve(path).filter { $0.value != .unspecified }
    }

    /// Reads the .gitattributes of the root and of every ancestor directory of `paths`
    /// from `snapshot` (via `snapshot.text(at:)`), each file read once.
    public static func load(from snapshot: Snapshot, for paths: [String]) throws -> GitAttributes {
        var directories: Set<String> = [""]
        for path in paths {
            var components = path.split(separator: "/", omittingEmptySubsequences: false).dropLast()
            while !components.isEmpty {
                directories.insert(components.joined(separator: "/"))
                components.removeLast()
            }
        }
        var files = [(directory: String, contents: String)]()
        for directory in directories.sorted() {
            if let text = try snapshot.text(at: joinPath(directory, ".gitattributes")) {
                files.append((directory, text))
            }
        }
        return GitAttributes(files: files)
    }

    /// git's fill(): walk matching lines from the highest precedence down, letting the first
    /// assignment of each attribute stand (`!attr` included) and expanding macros that end up set.
    private func resolve(_ path: String) -> [String: AttributeState] {
        let path = Array(path.utf8)
        let basename = path.lastIndex(of: ASCII.slash).map { path[($0 + 1)...] } ?? path[...]
        var states = [String: AttributeState]()

        func assign(_ assignments: [AttributeAssignment]) {
            for assignment in assignments.reversed() where states[assignment.name] == nil {
                states[assignment.name] = assignment.state
                if assignment.state == .set, let expansion = macros[assignment.name] { assign(expansion) }
            }
        }

        for file in files where file.applies(to: path) {
            for rule in file.rules.reversed() where rule.pattern.matches(path, basename: basename, base: file.base) {
                assign(rule.assignments)
            }
        }
        return states
    }
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

/// A path pattern from an attributes line, pre-digested as git's parse_path_pattern() does.
struct AttributePattern: Sendable {
    let bytes: [UInt8]
    /// Length of the leading part with no glob characters, compared literally before globbing.
    let literalPrefixLength: Int
    /// No slash: matched against the basename at any depth.
    let matchesBasename: Bool
    /// A trailing slash: matches only directories, so never a file.
    let matchesDirectoriesOnly: Bool
    /// Starts with `!`; git refuses these in attributes files.
    let isNegative: Bool

    init(_ raw: some Collection<UInt8>) {
        var pattern = Array(raw.prefix { $0 != 0 })
        isNegative = pattern.first == ASCII.bang
        if isNegative { pattern.removeFirst() }
        let literal = pattern.prefix { !$0.isGlobSpecial }.count
        matchesDirectoriesOnly = pattern.last == ASCII.slash
        if matchesDirectoriesOnly { pattern.removeLast() }
        matchesBasename = !pattern.contains(ASCII.slash)
        literalPrefixLength = min(literal, pattern.count)
        bytes = pattern
    }

    /// Whether the file at `path` matches, for a pattern read from the .gitattributes in `base`
    /// (its directory as bytes, empty for the root).
    func matches(_ path: [UInt8], basename: ArraySlice<UInt8>, base: [UInt8]) -> Bool {
        if matchesDirectoriesOnly { return false }
        if matchesBasename { return Wildmatch.matches(bytes, basename, pathname: false) }
        var pattern = bytes[...]
        var literal = literalPrefixLength
        if pattern.first == ASCII.slash {
            pattern = pattern.dropFirst()
            literal -= 1
        }
        var name = base.isEmpty ? path[...] : path.dropFirst(base.count + 1)
        if literal > 0 {
            guard literal <= name.count, name.starts(with: pattern.prefix(literal)) else { return false }
            pattern = pattern.dropFirst(literal)
            name = name.dropFirst(literal)
            if pattern.isEmpty && name.isEmpty { return true }
        }
        // Globbing only what follows the literal part matters: git does the same, and a `**`
        // right after it then counts as starting the pattern.
        return Wildmatch.matches(pattern, name, pathname: true)
    }
}
