/// A tree entry git's fsck refuses (fsck.c `fsck_tree`). git accepts such trees on push unless
/// the server sets `receive.fsckObjects`, and libgit2 reads them without complaint; checked out or
/// shipped, their names escape the directory (`..`), reach into `.git`, or make one path name two
/// files (duplicates, `/a.ts` beside `a.ts`).
public struct TreeFault: Sendable, Hashable {
    /// fsck.c's message ids (`git fsck` prints them, `fsck.<id>` configures them).
    public enum Rule: String, Sendable, Hashable {
        case fullPathname
        case emptyName
        case hasDot
        case hasDotdot
        case hasDotgit
        case duplicateEntries

        /// The words fsck.c reports the rule with.
        public var gitMessage: String {
            switch self {
            case .fullPathname: "contains full pathnames"
            case .emptyName: "contains empty pathname"
            case .hasDot: "contains '.'"
            case .hasDotdot: "contains '..'"
            case .hasDotgit: "contains '.git'"
            case .duplicateEntries: "contains duplicate file entries"
            }
        }
    }

    /// The entry's path: its tree's path, `/`, and its name as stored (which may itself hold `/`).
    public let path: [UInt8]
    public let rule: Rule

    public init(path: [UInt8], rule: Rule) {
        self.path = path
        self.rule = rule
    }

    /// The path as text (bytes that are not UTF-8 replaced), for `Violation.path`.
    public var pathText: String { String(decoding: path, as: UTF8.self) }

    /// What is wrong, naming the path (quoted as git quotes it) and git's rule.
    public var message: String {
        "\(PathQuoting.quoted(bytes: path)): a tree entry git fsck refuses (\(rule.rawValue): tree \(rule.gitMessage))"
    }

    /// What to do about it.
    public var fix: String {
        "rewrite the commit without this entry (`git fsck` names the broken tree, `git ls-tree` shows its entries); "
            + "git cannot check such a tree out, and a server with receive.fsckObjects=true refuses it"
    }
}

/// The names fsck.c refuses in a tree, and the same rules over an index's flat paths.
public enum TreeNames {
    /// The rule a single tree entry name breaks, or nil (fsck.c `fsck_tree`'s has_* flags, with
    /// git's `is_hfs_dotgit` (utf8.c) and `is_ntfs_dotgit` (path.c) for `.git`).
    public static func rule(forName name: some Collection<UInt8>) -> TreeFault.Rule? {
        if name.isEmpty { return .emptyName }
        if name.contains(UInt8(ascii: "/")) { return .fullPathname }
        if name.elementsEqual([0x2e]) { return .hasDot }
        if name.elementsEqual([0x2e, 0x2e]) { return .hasDotdot }
        let bytes = Array(name)
        if isHFSDotGit(bytes) || isNTFSDotGit(bytes) { return .hasDotgit }
        return nil
    }

    /// The faults among the entries of one tree at `directory` (its path bytes, empty for the root):
    /// each bad name, and each name that occurs more than once (blob or tree alike, as fsck.c's
    /// `verify_ordered` counts them).
    public static func faults(inTree names: [[UInt8]], at directory: [UInt8]) -> [TreeFault] {
        var result = [TreeFault]()
        var seen = Set<[UInt8]>()
        var reported = Set<[UInt8]>()
        for name in names {
            let path = directory.isEmpty ? name : directory + [UInt8(ascii: "/")] + name
            if let rule = rule(forName: name) { result.append(TreeFault(path: path, rule: rule)) }
            if !seen.insert(name).inserted, reported.insert(name).inserted {
                result.append(TreeFault(path: path, rule: .duplicateEntries))
            }
        }
        return result
    }

    /// The faults a tree written from these flat paths would hold (an index's entries, sorted by
    /// bytes): bad components, a path listed twice, and a path that is both a file and a directory.
    public static func faults(inPaths paths: [[UInt8]]) -> [TreeFault] {
        var result = [TreeFault]()
        var reported = Set<TreeFault>()
        let files = Set(paths)
        var previous: [UInt8]?
        func report(_ path: [UInt8], _ rule: TreeFault.Rule) {
            let fault = TreeFault(path: path, rule: rule)
            if reported.insert(fault).inserted { result.append(fault) }
        }
        for path in paths {
            if path == previous { report(path, .duplicateEntries) }
            previous = path
            var start = 0
            for (index, byte) in path.enumerated() where byte == UInt8(ascii: "/") {
                let prefix = Array(path[..<index])
                if let rule = rule(forName: path[start..<index]) { report(prefix, rule) }
                if files.contains(prefix) { report(prefix, .duplicateEntries) }
                start = index + 1
            }
            if let rule = rule(forName: path[start...]) { report(path, rule) }
        }
        return result
    }

    /// The first fault among the components of a `/`-separated path, or nil.
    public static func fault(inComponentsOf path: String) -> TreeFault? {
        let bytes = Array(path.utf8)
        guard !bytes.isEmpty else { return nil }
        var start = 0
        for index in 0...bytes.count where index == bytes.count || bytes[index] == UInt8(ascii: "/") {
            if let rule = rule(forName: bytes[start..<index]) { return TreeFault(path: Array(bytes[..<index]), rule: rule) }
            start = index + 1
        }
        return nil
    }

    /// Refuses a list of workflow directories (a discovery's answer) when one has a component git
    /// fsck refuses, or is listed twice (reached through duplicate tree entries): such a directory
    /// is never handed on, so nothing joins `..` onto the work tree.
    public static func requireCleanWorkflowDirectories(_ directories: [String], in label: String) throws {
        var seen = Set<[UInt8]>()
        for directory in directories {
            if let fault = fault(inComponentsOf: directory) { throw refusal(fault, directory: directory, in: label) }
            if !seen.insert(Array(directory.utf8)).inserted {
                throw refusal(TreeFault(path: Array(directory.utf8), rule: .duplicateEntries), directory: directory, in: label)
            }
        }
    }

    /// The error for a workflow directory reached through `fault`.
    public static func refusal(_ fault: TreeFault, directory: String, in label: String) -> GitError {
        GitError(.invalidPath, "workflow directory \(PathQuoting.quoted(directory)) in \(label) is reached through "
                    + "\(fault.message); fix: \(fault.fix)")
    }

    /// utf8.c `is_hfs_dotgit`: `.git` once HFS+ has dropped the code points it ignores and folded case.
    static func isHFSDotGit(_ name: [UInt8]) -> Bool {
        var scalars = [UInt32]()
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = name.makeIterator()
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded):
                let value = Unicode.UTF8.decode(encoded).value
                if !hfsIgnored.contains(value) { scalars.append(value) }
            case .error: return false  // malformed UTF-8 cannot be .git (git: next_hfs_char returns 0)
            case .emptyInput:
                guard scalars.count == 4, scalars[0] == 0x2e else { return false }
                return zip(scalars.dropFirst(), "git".unicodeScalars).allSatisfy { c, wanted in
                    c < 128 && (c | 0x20) == wanted.value
                }
            }
        }
    }

    /// The code points utf8.c's `next_hfs_char` skips.
    private static let hfsIgnored: Set<UInt32> = [
        0x200c, 0x200d, 0x200e, 0x200f, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e,
        0x206a, 0x206b, 0x206c, 0x206d, 0x206e, 0x206f, 0xfeff,
    ]

    /// path.c `is_ntfs_dotgit`: `.git` or its short name `git~1`, any case, followed only by spaces
    /// and periods up to the end or an NTFS stream or path separator (`:`, `\`).
    static func isNTFSDotGit(_ name: [UInt8]) -> Bool {
        func lower(_ byte: UInt8) -> UInt8 { byte | 0x20 }
        let rest: ArraySlice<UInt8>
        if name.count >= 4, name[0] == 0x2e, lower(name[1]) == UInt8(ascii: "g"), lower(name[2]) == UInt8(ascii: "i"),
           lower(name[3]) == UInt8(ascii: "t") {
            rest = name[4...]
        } else if name.count >= 5, lower(name[0]) == UInt8(ascii: "g"), lower(name[1]) == UInt8(ascii: "i"),
                  lower(name[2]) == UInt8(ascii: "t"), name[3] == UInt8(ascii: "~"), name[4] == UInt8(ascii: "1") {
            rest = name[5...]
        } else {
            return false
        }
        for byte in rest {
            if byte == UInt8(ascii: "\\") || byte == UInt8(ascii: "/") || byte == UInt8(ascii: ":") { return true }
            if byte != UInt8(ascii: ".") && byte != UInt8(ascii: " ") { return false }
        }
        return true
    }
}
