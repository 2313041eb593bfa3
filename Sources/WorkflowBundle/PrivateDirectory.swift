#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A directory only the effective user can change, held open by descriptor, so that a cache under
/// a directory others can write (`XDG_CACHE_HOME=/tmp/shared`) can neither be redirected by a
/// planted link nor fed planted files. Every level below the cache's base is opened with
/// `O_NOFOLLOW` and trusted only when it is a directory the user owns that neither group nor others
/// may write; the base itself is the user's own setting and is only opened.
final class PrivateDirectory {
    let descriptor: Int32
    /// True when this call made the last level.
    let created: Bool

    private init(descriptor: Int32, created: Bool) {
        self.descriptor = descriptor
        self.created = created
    }

    deinit { close(descriptor) }

    /// Opens `components` below `base`, each a single name; with `create`, makes what is missing
    /// (mode 0700, and the base with its missing parents too). Nil when a level is missing, is a
    /// link, or is one the user does not control.
    static func open(base: String, components: [String], create: Bool) -> PrivateDirectory? {
        var current = Glibc.open(base, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if current < 0 && errno == ENOENT && create, makeBase(base) {
            current = Glibc.open(base, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        }
        guard current >= 0 else { return nil }
        var created = false
        for name in components {
            created = create && mkdirat(current, name, 0o700) == 0
            let next = openat(current, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            close(current)
            guard next >= 0, isPrivate(next, directory: true) else {
                if next >= 0 { close(next) }
                return nil
            }
            current = next
        }
        return PrivateDirectory(descriptor: current, created: created)
    }

    /// Whether the open `descriptor` is a directory (or a regular file) the effective user owns and
    /// neither group nor others can write.
    static func isPrivate(_ descriptor: Int32, directory: Bool) -> Bool {
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { return false }
        return status.st_mode & S_IFMT == (directory ? S_IFDIR : S_IFREG)
            && status.st_uid == geteuid() && status.st_mode & 0o022 == 0
    }

    /// The contents of the regular file `name` here, when the user owns it and it is at most
    /// `limit` bytes; never follows a link and never waits on a FIFO.
    func contents(of name: String, limit: Int) -> [UInt8]? {
        let file = openat(descriptor, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)
        guard file >= 0 else { return nil }
        defer { close(file) }
        guard Self.isPrivate(file, directory: false) else { return nil }
        var bytes = [UInt8](repeating: 0, count: limit + 1)
        var count = 0
        while count < bytes.count {
            let got = bytes.withUnsafeMutableBytes { read(file, $0.baseAddress! + count, $0.count - count) }
            if got < 0 && errno == EINTR { continue }
            guard got > 0 else { break }
            count += got
        }
        return count <= limit ? Array(bytes[..<count]) : nil
    }

    /// Writes `bytes` as `name` here: into a new file of a name nobody could have chosen (created
    /// with `O_EXCL|O_NOFOLLOW`, mode 0600), then renamed into place, so a reader sees all or nothing.
    func replace(_ name: String, with bytes: [UInt8]) -> Bool {
        let temporary = Self.temporaryPrefix + String(UInt64.random(in: 0...UInt64.max), radix: 16)
        let file = openat(descriptor, temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard file >= 0 else { return false }
        let written = bytes.withUnsafeBytes { write(file, $0.baseAddress, $0.count) }
        let closed = close(file) == 0
        if written == bytes.count, closed, renameat(descriptor, temporary, descriptor, name) == 0 { return true }
        unlinkat(descriptor, temporary, 0)
        return false
    }

    /// The start of the names `replace` writes before renaming.
    static let temporaryPrefix = ".tmp-"

    /// The names here (not `.` and `..`).
    func names() -> [String] {
        let copy = dup(descriptor)
        guard copy >= 0 else { return [] }
        guard let stream = fdopendir(copy) else { close(copy); return [] }
        defer { closedir(stream) }
        var names = [String]()
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// The status of `name` here, without following a link.
    func status(of name: String) -> stat? {
        var status = stat()
        return fstatat(descriptor, name, &status, AT_SYMLINK_NOFOLLOW) == 0 ? status : nil
    }

    /// The subdirectory `name`, when it is private too.
    func subdirectory(_ name: String) -> PrivateDirectory? {
        let next = openat(descriptor, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard next >= 0 else { return nil }
        guard Self.isPrivate(next, directory: true) else { close(next); return nil }
        return PrivateDirectory(descriptor: next, created: false)
    }

    /// Makes the base's missing directories, mode 0700 as the XDG base directory spec asks.
    private static func makeBase(_ path: String) -> Bool {
        var current = ""
        for component in path.split(separator: "/") {
            current += "/" + component
            if mkdir(current, 0o700) != 0 && errno != EEXIST { return false }
        }
        return true
    }
}
