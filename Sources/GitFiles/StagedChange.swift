#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The index git is about to commit and HEAD's tree, read from the repository's files alone,
/// without libgit2: enough to tell cheaply that a directory's staged content is HEAD's (the
/// index's cache-tree records a directory's tree id until an entry below it is staged). Every
/// question answers "unchanged" only when that is certain; anything else is left to libgit2.
public final class StagedChange {
    private let index: IndexFile
    private let objects: ObjectFiles
    private let headTree: [UInt8]?
    /// Keyed by the directory's bytes: Swift's String equality is canonical equivalence, under
    /// which byte-different names (NFC and NFD, U+212A and K) would share an entry.
    private let cacheTree: [[UInt8]: [UInt8]]
    /// The repository's git directory (a worktree's own) and its common directory.
    package let gitDirectory: String
    package let commonDirectory: String

    /// Opens the repository as git does inside a hook (`$GIT_DIR`, else the `.git` above the current
    /// directory; `$GIT_INDEX_FILE`, else its index); nil when any part is in a form not read here
    /// (a SHA-256 repository, alternates, another object or common directory, a sparse index, no index).
    public static func open() -> StagedChange? {
        open(environment: ProcessInfoLite.environment, currentDirectory: ProcessInfoLite.currentDirectory())
    }

    package static func open(environment: (String) -> String?, currentDirectory cwd: String) -> StagedChange? {
        func absolute(_ path: String, from base: String) -> String { path.hasPrefix("/") ? path : "\(base)/\(path)" }
        // These move parts of the repository where the full check (libgit2) would not look.
        guard environment("GIT_OBJECT_DIRECTORY") == nil, environment("GIT_ALTERNATE_OBJECT_DIRECTORIES") == nil,
              environment("GIT_COMMON_DIR") == nil,
              let gitDirectory = environment("GIT_DIR").map({ absolute($0, from: cwd) }) ?? findGitDirectory(from: cwd)
        else { return nil }
        var common = gitDirectory
        if let text = FileBytes.contents(of: gitDirectory + "/commondir") {
            common = absolute(String(decoding: text, as: UTF8.self).trimmingNewlines, from: gitDirectory)
        }
        // Object names other than SHA-1 change every format read here.
        guard let config = FileBytes.contents(of: common + "/config"),
              !String(decoding: config, as: UTF8.self).lowercased().contains("objectformat"),
              let objects = ObjectFiles(directory: common + "/objects") else { return nil }
        let indexPath = environment("GIT_INDEX_FILE").flatMap { $0.isEmpty ? nil : absolute($0, from: cwd) } ?? gitDirectory + "/index"
        let head: [UInt8]?
        do { head = try headCommit(gitDirectory: gitDirectory, common: common) } catch { return nil }
        guard let index = try? IndexFile(path: indexPath, gitDirectory: gitDirectory), !index.hasSparseDirectories else { return nil }
        var headTree: [UInt8]?
        if let head {
            guard let commit = try? objects.read(head), commit.kind == .commit,
                  commit.data.starts(with: Array("tree ".utf8)), commit.data.count >= 45,
                  let oid = Oid(hex: String(decoding: commit.data[5..<45], as: UTF8.self)) else { return nil }
            headTree = oid.rawBytes
        }
        let change = StagedChange(index: index, objects: objects, headTree: headTree, cacheTree: CacheTree.parse(index.cacheTree ?? []),
                                  gitDirectory: gitDirectory, commonDirectory: common)
        change.hasOnlyReadableExtensions = Self.extensionsAreReadable(config)
        return change
    }

    private init(index: IndexFile, objects: ObjectFiles, headTree: [UInt8]?, cacheTree: [[UInt8]: [UInt8]],
                 gitDirectory: String, commonDirectory: String) {
        self.gitDirectory = gitDirectory
        self.commonDirectory = commonDirectory
        self.index = index
        self.objects = objects
        self.headTree = headTree
        self.cacheTree = cacheTree
    }

    /// True when the repository's config sets no `extensions.*` but those libgit2 1.5 opens with
    /// (as GitShim configures it): the full check can then open the repository.
    package private(set) var hasOnlyReadableExtensions = false

    /// The repository extensions GitShim has libgit2 1.5 open besides those it knows itself
    /// (`noop`, `objectformat`): they change nothing for a reader that never fetches, packs or
    /// prunes. `worktreeConfig` (Config reads config.worktree itself), `partialClone` (objects that
    /// are not here fail to read, with a message) and `preciousObjects`.
    package static let extensionsGitShimEnables = ["worktreeconfig", "partialclone", "preciousobjects"]

    /// Whether every key of the config's `[extensions]` sections is `noop` or one GitShim enables;
    /// anything not certain (another spelling of the section) counts as unreadable.
    static func extensionsAreReadable(_ config: [UInt8]) -> Bool {
        let readable = Set(["noop"] + extensionsGitShimEnables)
        var inExtensions = false
        for raw in String(decoding: config, as: UTF8.self).lowercased().split(whereSeparator: { $0 == "\n" || $0 == "\r" }) {
            let line = raw.drop { $0 == " " || $0 == "\t" }
            if line.hasPrefix("[") {
                let header = line.prefix { $0 != "]" }.dropFirst().filter { $0 != " " && $0 != "\t" }
                inExtensions = header.hasPrefix("extensions")
                if inExtensions && header != "extensions" { return false }
                let rest = line.drop { $0 != "]" }.dropFirst().drop { $0 == " " || $0 == "\t" }
                if inExtensions && !rest.isEmpty && !rest.hasPrefix("#") && !rest.hasPrefix(";") { return false }
                continue
            }
            guard inExtensions, !line.isEmpty, !line.hasPrefix("#"), !line.hasPrefix(";") else { continue }
            let key = line.prefix { $0 != "=" && $0 != " " && $0 != "\t" }
            if !readable.contains(String(key)) { return false }
        }
        return true
    }

    /// True when HEAD has a commit.
    public var hasHead: Bool { headTree != nil }

    private var directoriesHolding: [String: [String]] = [:]

    /// Directories ("" for the root) that directly hold a file called `name` in the index, sorted
    /// (found once per name: the scan visits every entry).
    public func directories(containing name: String) -> [String] {
        if let known = directoriesHolding[name] { return known }
        let found = index.directories(containing: name)
        directoriesHolding[name] = found
        return found
    }

    /// The index as a `Snapshot` whose objects are read from the object files.
    package var snapshot: ObjectFilesIndexSnapshot { ObjectFilesIndexSnapshot(file: index, objects: objects) }

    /// True when the index's content at `directory` is certainly HEAD's tree there.
    public func isUnchanged(directory: String) -> Bool {
        guard let staged = cacheTree[Array(directory.utf8)] else { return false }
        do { return try headID(at: directory) == staged } catch { return false }
    }

    /// True when the index's entry at `path` (stage 0) and HEAD's are the same object, or both absent.
    public func isUnchanged(file path: String) -> Bool {
        let wanted = Array(path.utf8)
        var staged: [UInt8]?
        var position = index.firstIndex(notBelow: wanted)
        while position < index.entries.count, index.path(of: index.entries[position]).elementsEqual(wanted) {
            if index.entries[position].stage == 0 { staged = Array(index.oidBytes(of: index.entries[position])) }
            position += 1
        }
        do { return try headID(at: path) == staged } catch { return false }
    }

    /// The id of HEAD's tree or file at `path` ("" for the root tree), nil when there is none.
    private func headID(at path: String) throws -> [UInt8]? {
        guard var current = headTree else { return nil }
        for component in path.split(separator: "/") {
            guard let tree = try objects.read(current), tree.kind == .tree,
                  let child = Self.entry(named: Array(component.utf8), in: tree.data) else { return nil }
            current = child
        }
        return current
    }

    /// The id of the entry called `name` in a tree's raw content (`<mode> <name>\0<20-byte id>` each).
    private static func entry(named name: [UInt8], in tree: [UInt8]) -> [UInt8]? {
        var cursor = 0
        while cursor < tree.count {
            guard let space = tree[cursor...].firstIndex(of: 0x20), let nul = tree[space...].firstIndex(of: 0),
                  nul + 21 <= tree.count else { return nil }
            if tree[(space + 1)..<nul].elementsEqual(name) { return Array(tree[(nul + 1)..<(nul + 21)]) }
            cursor = nul + 21
        }
        return nil
    }

    private static func findGitDirectory(from start: String) -> String? {
        var directory = start
        while true {
            let candidate = directory == "/" ? "/.git" : directory + "/.git"
            var status = stat()
            if stat(candidate, &status) == 0 {
                if (status.st_mode & S_IFMT) == S_IFDIR { return candidate }
                guard let text = FileBytes.contents(of: candidate) else { return nil }
                let line = String(decoding: text, as: UTF8.self).trimmingNewlines
                guard line.hasPrefix("gitdir: ") else { return nil }
                let target = String(line.dropFirst(8))
                return target.hasPrefix("/") ? target : "\(directory)/\(target)"
            }
            guard directory != "/", let slash = directory.lastIndex(of: "/") else { return nil }
            directory = slash == directory.startIndex ? "/" : String(directory[..<slash])
        }
    }

    /// HEAD's commit id: nil for an unborn branch; throws when a ref cannot be followed.
    private static func headCommit(gitDirectory: String, common: String) throws -> [UInt8]? {
        var name = "HEAD"
        for _ in 0..<8 {
            let text = (FileBytes.contents(of: "\(gitDirectory)/\(name)") ?? FileBytes.contents(of: "\(common)/\(name)"))
                .map { String(decoding: $0, as: UTF8.self).trimmingNewlines } ?? packedRef(name, common: common)
            guard let text else { return nil }
            if text.hasPrefix("ref: ") { name = String(text.dropFirst(5)); continue }
            guard let oid = Oid(hex: text) else { throw GitError(.notFound, "cannot read \(name)") }
            return oid.rawBytes
        }
        throw GitError(.notFound, "HEAD's symbolic references go round in a circle")
    }

    private static func packedRef(_ name: String, common: String) -> String? {
        guard let bytes = FileBytes.contents(of: common + "/packed-refs") else { return nil }
        for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") where line.hasSuffix(" " + name) {
            let hex = line.prefix(40)
            if line.count == 41 + name.count, !hex.hasPrefix("#") { return String(hex) }
        }
        return nil
    }
}

/// The index's cache-tree extension: for each directory git has a valid tree id for, that id.
package enum CacheTree {
    /// `<path component>\0<entry count> <subtree count>\n[<20-byte id> when the count is not -1]`, depth first.
    package static func parse(_ bytes: [UInt8]) -> [[UInt8]: [UInt8]] {
        var result = [[UInt8]: [UInt8]]()
        var cursor = 0
        func number(until terminator: UInt8) -> Int? {
            guard let end = bytes[cursor...].firstIndex(of: terminator) else { return nil }
            defer { cursor = end + 1 }
            return Int(String(decoding: bytes[cursor..<end], as: UTF8.self))
        }
        func node(prefix: [UInt8]?) -> Bool {
            guard let nul = bytes[cursor...].firstIndex(of: 0) else { return false }
            let name = Array(bytes[cursor..<nul])
            cursor = nul + 1
            guard let entries = number(until: 0x20), let subtrees = number(until: 0x0A) else { return false }
            let path = prefix.map { $0.isEmpty ? name : $0 + [UInt8(ascii: "/")] + name } ?? []
            if entries >= 0 {
                guard cursor + 20 <= bytes.count else { return false }
                result[path] = Array(bytes[cursor..<(cursor + 20)])
                cursor += 20
            }
            for _ in 0..<max(0, subtrees) {
                if !node(prefix: path) { return false }
            }
            return true
        }
        if !bytes.isEmpty, !node(prefix: nil) { return [:] }
        return result
    }
}

extension String {
    package var trimmingNewlines: String {
        var text = Substring(self)
        while text.last == "\n" || text.last == "\r" || text.last == " " { text = text.dropLast() }
        return String(text)
    }
}

extension StagedChange {
    /// True only when the staged change certainly leaves every directory that holds a file called
    /// `name` (a workflow directory, for `workflow.yaml`) exactly as HEAD has it, together with
    /// every `.gitattributes` above it: the index holds no such file, or the cache-tree shows each
    /// such directory with HEAD's tree. False means "not known", never "changed for sure".
    public func certainlyLeavesUnchanged(directoriesHolding name: String) -> Bool {
        let directories = directories(containing: name)
        if directories.isEmpty { return true }
        // The full check refuses a workflow whose path git fsck would refuse, changed or not.
        guard (try? TreeNames.requireCleanWorkflowDirectories(directories, in: "the index")) != nil else { return false }
        return directories.allSatisfy(certainlyUnchanged)
    }

    /// True only when the index holds `directory` exactly as HEAD has it, together with every
    /// `.gitattributes` above it. False means "not known".
    public func certainlyUnchanged(directory: String) -> Bool {
        hasHead && isUnchanged(directory: directory) && attributeFiles(above: directory).allSatisfy { isUnchanged(file: $0) }
    }
}
