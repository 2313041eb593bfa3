import CLibGit2
import GitFiles
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An open git repository: a working-tree repository, a linked worktree or a bare repository.
///
/// Owns its `git_repository`, freed in `deinit`. It holds no mutable state of its own: the object
/// database is borrowed from libgit2 per call (`withODB`), and libgit2 guards the repository's
/// caches and pack access itself, so one `Repository` can be read from several tasks.
public final class Repository: @unchecked Sendable {
    let pointer: OpaquePointer

    /// The directory that holds the repository's files (`.git`, or the bare repository itself).
    public let gitDirectory: String
    /// The working tree's top directory, or nil for a bare repository.
    public let workingDirectory: String?

    public var isBare: Bool { workingDirectory == nil }

    private init(pointer: OpaquePointer) {
        self.pointer = pointer
        gitDirectory = Repository.trimSlash(String(cString: git_repository_path(pointer)))
        if let workdir = git_repository_workdir(pointer) {
            workingDirectory = Repository.trimSlash(String(cString: workdir))
        } else {
            workingDirectory = nil
        }
    }

    deinit { git_repository_free(pointer) }

    /// Opens the repository containing `path` (any directory inside a working tree, a linked
    /// worktree, a `.git` directory or a bare repository).
    public static func open(containing path: String) throws -> Repository {
        LibGit2.ensureInitialised()
        var raw: OpaquePointer?
        let rc = git_repository_open_ext(&raw, path, 0, nil)
        if rc == GIT_ENOTFOUND.rawValue {
            throw GitError(.notARepository,
                           "not a git repository (or any parent up to /): \(path); run the command inside a repository or pass its path")
        }
        try checkOpened(rc, "cannot open the git repository at \(path)")
        return Repository(pointer: raw!)
    }

    /// Opens the repository the way git finds it: `$GIT_DIR` when set (as inside git hooks),
    /// otherwise by searching upwards from the current directory.
    public static func openFromEnvironment() throws -> Repository {
        if let gitDir = ProcessInfoLite.environment("GIT_DIR"), !gitDir.isEmpty {
            LibGit2.ensureInitialised()
            var raw: OpaquePointer?
            let flags = GIT_REPOSITORY_OPEN_NO_SEARCH.rawValue
            let rc = git_repository_open_ext(&raw, gitDir, flags, nil)
            if rc == GIT_ENOTFOUND.rawValue {
                throw GitError(.notARepository, "GIT_DIR=\(gitDir) is not a git repository")
            }
            try checkOpened(rc, "cannot open the git repository GIT_DIR=\(gitDir)")
            return Repository(pointer: raw!)
        }
        return try open(containing: ProcessInfoLite.currentDirectory())
    }

    /// The repository a git hook runs for (`openFromEnvironment`), with libgit2's ownership check
    /// left to git, which made it before running the hook (`safe.directory` from every source).
    public static func openInHook() throws -> Repository {
        LibGit2.trustGitsOwnershipCheck()
        return try openFromEnvironment()
    }

    /// libgit2 1.5 reads only SHA-1 repositories and refuses others by naming the extension; say what it means.
    private static func checkOpened(_ rc: Int32, _ action: String) throws {
        guard rc < 0 else { return }
        let error = GitError.last(rc, action)
        if error.message.lowercased().contains("extensions.objectformat") {
            throw GitError(.unsupportedObjectFormat, "\(action): the repository uses SHA-256 object names (extensions.objectFormat = sha256), which libgit2 1.5, the library pipedreamer reads git through, cannot read. Nothing in it was checked: pipedreamer's hooks refuse its commits and pushes, and check, render and deploy refuse it too. Use a SHA-1 repository for workflow code (git init --object-format=sha1, the default), or skip a hook with --no-verify knowing that nothing checked the code.")
        }
        throw error
    }

    /// True when HEAD names a branch that has no commit yet (a new repository).
    public var isHeadUnborn: Bool {
        git_repository_head_unborn(pointer) == 1
    }

    /// The branch HEAD points to (`refs/heads/main`), whether or not it has commits; nil when detached.
    public var headReferenceName: String? {
        var ref: OpaquePointer?
        guard git_reference_lookup(&ref, pointer, "HEAD") == 0, let ref else { return nil }
        defer { git_reference_free(ref) }
        guard git_reference_type(ref) == GIT_REFERENCE_SYMBOLIC, let target = git_reference_symbolic_target(ref)
        else { return nil }
        return String(cString: target)
    }

    /// Runs `body` with the repository's object database. libgit2 opens it once per repository
    /// (atomically) and counts references, so borrowing it per call costs a reference count.
    func withODB<T>(_ body: (OpaquePointer) throws -> T) throws -> T {
        var raw: OpaquePointer?
        try GitError.check(git_repository_odb(&raw, pointer), "cannot open the object database")
        defer { git_odb_free(raw) }
        return try body(raw!)
    }

    /// The size in bytes of a blob, read from the object header without inflating its content.
    public func blobSize(_ oid: Oid) throws -> Int {
        var length = 0
        var type = GIT_OBJECT_INVALID
        var raw = oid.raw
        try withODB { odb in
            try GitError.check(git_odb_read_header(&length, &type, odb, &raw), "cannot read the header of object \(oid.short)")
        }
        return length
    }

    /// The whole content of a blob.
    public func blobContents(_ oid: Oid) throws -> [UInt8] {
        let blob = try Blob(repository: self, oid: oid)
        return blob.bytes()
    }

    /// At most `maxBytes` leading bytes of a blob. Loose objects are streamed and packed ones that
    /// are stored whole are read from the pack, so a large blob is never inflated whole; a packed
    /// delta, which only libgit2 can resolve, is read whole up to `SnapshotLimits.maxWholeReadForPrefix` bytes, and
    /// above that its prefix is empty (and `CodeBundle` refuses such a file under nodes/, since it
    /// cannot be shown to be text).
    public func blobPrefix(_ oid: Oid, maxBytes: Int) throws -> [UInt8] {
        let streamed: [UInt8]? = try withODB { odb in
            var stream: UnsafeMutablePointer<git_odb_stream>?
            var length = 0
            var type = GIT_OBJECT_INVALID
            var raw = oid.raw
            guard git_odb_open_rstream(&stream, &length, &type, odb, &raw) == 0, let stream else { return nil }
            defer { git_odb_stream_free(stream) }
            var result = [UInt8]()
            result.reserveCapacity(min(maxBytes, length))
            var chunk = [CChar](repeating: 0, count: 16 * 1024)
            while result.count < maxBytes {
                let want = min(chunk.count, maxBytes - result.count)
                let got = chunk.withUnsafeMutableBufferPointer { git_odb_stream_read(stream, $0.baseAddress, want) }
                if got < 0 { throw GitError.last(got, "cannot stream object \(oid.short)") }
                if got == 0 { break }
                result.append(contentsOf: chunk[0..<Int(got)].map { UInt8(bitPattern: $0) })
            }
            return result
        }
        if let streamed { return streamed }
        git_error_clear()
        if let prefix = PackedBlobPrefix.read(oid, objectsDirectory: String(cString: git_repository_commondir(pointer)) + "objects",
                                              maxBytes: maxBytes) {
            return prefix
        }
        // A packed delta only libgit2 can resolve, whole: bounded, so memory never follows a large blob.
        guard try blobSize(oid) <= SnapshotLimits.maxWholeReadForPrefix else { return [] }
        let all = try blobContents(oid)
        return Array(all.prefix(maxBytes))
    }

    private static func trimSlash(_ path: String) -> String {
        path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
    }
}
