import Foundation
import WorkflowBundle

/// The working tree's secret files, opened the only way deploy may read them: a checked-out commit
/// controls which names are symbolic links, so every directory from the top of the working tree
/// down to `.secrets.yaml`, `.secrets/` and each file in it is opened without following a link,
/// and only regular files the deploying user owns are read, at most a Secret's worth of bytes.
enum SecretFiles {
    /// What the workflow directory holds.
    enum Found {
        case none
        case file([UInt8])
        /// `.secrets/`'s files, by name, in name order.
        case directory([(name: String, bytes: [UInt8])])
    }

    /// The most a Secret holds (`ValidateSecret`); no file is read past it.
    static let limit = SecretDigest.maxBytes

    /// Looks for `.secrets.yaml` and `.secrets/` in `workflowDirectory` (repository-relative) under
    /// the working tree `top`; messages name paths as `prefix` + name.
    static func find(top: String, workflowDirectory: String, prefix: String) throws -> Found {
        let components = workflowDirectory.isEmpty ? [] : workflowDirectory.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        if components.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }) {
            throw DeployError("\(workflowDirectory): secrets are read only from inside the working tree, and this workflow path has an empty, '.' or '..' component; deploy a workflow whose directory is a plain path")
        }
        // The top of the working tree is the user's own choice (it may be reached through a link).
        var directory = open(top, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard directory >= 0 else {
            if errno == ENOENT { return .none }
            throw DeployError("cannot open the working tree \(top): \(String(cString: strerror(errno)))")
        }
        defer { close(directory) }
        var walked = ""
        for component in components {
            walked += component + "/"
            guard let next = try openDirectory(component, in: directory, shown: walked) else { return .none }
            close(directory)
            directory = next
        }
        let file = try kind(of: ".secrets.yaml", in: directory, shown: prefix + ".secrets.yaml")
        let folder = try kind(of: ".secrets", in: directory, shown: prefix + ".secrets/")
        switch (folder == S_IFDIR, file) {
        case (false, nil):
            return .none
        case (true, .some):
            throw DeployError("both \(prefix).secrets/ and \(prefix).secrets.yaml exist; keep one of them")
        case (false, .some):
            var budget = limit
            return .file(try read(".secrets.yaml", in: directory, shown: prefix + ".secrets.yaml", budget: &budget))
        case (true, nil):
            return .directory(try readDirectory(in: directory, shown: prefix + ".secrets/"))
        }
    }

    /// `.secrets/`'s files in name order; it must be the user's own directory and hold only regular files.
    private static func readDirectory(in parent: Int32, shown: String) throws -> [(name: String, bytes: [UInt8])] {
        guard let descriptor = try openDirectory(".secrets", in: parent, shown: shown) else { return [] }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { close(descriptor); throw unreadable(shown) }
        guard status.st_uid == geteuid() else {
            close(descriptor)
            throw DeployError("\(shown) is owned by uid \(status.st_uid), not by uid \(geteuid()) running deploy; deploy reads only secrets you own: move it away and create your own \(shown)")
        }
        // fdopendir takes the descriptor over; closedir closes it.
        guard let stream = fdopendir(descriptor) else { close(descriptor); throw unreadable(shown) }
        defer { closedir(stream) }
        var names = [String]()
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name != "." && name != ".." { names.append(name) }
        }
        var budget = limit
        var files = [(name: String, bytes: [UInt8])]()
        for name in names.sorted() {
            if try kind(of: name, in: descriptor, shown: shown + name) == S_IFDIR {
                throw DeployError("\(shown)\(name) is a directory; \(shown) holds one file per secret key")
            }
            guard ConfigMapKey.isValidKey(name) else {
                throw DeployError("\(shown)\(name): not a valid Secret key; use letters, digits, '-', '_' and '.'")
            }
            files.append((name, try read(name, in: descriptor, shown: shown + name, budget: &budget)))
        }
        return files
    }

    /// The file type of `name` in `directory` without following a link (nil when there is none); a
    /// link is refused.
    private static func kind(of name: String, in directory: Int32, shown: String) throws -> mode_t? {
        var status = stat()
        guard fstatat(directory, name, &status, AT_SYMLINK_NOFOLLOW) == 0 else {
            if errno == ENOENT { return nil }
            throw unreadable(shown)
        }
        let type = status.st_mode & S_IFMT
        if type == S_IFLNK { throw symbolicLink(shown) }
        return type
    }

    /// Opens the directory `name` in `parent` without following a link; nil when there is none (or
    /// it is a file: then it holds no secrets either).
    private static func openDirectory(_ name: String, in parent: Int32, shown: String) throws -> Int32? {
        let descriptor = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        if descriptor >= 0 { return descriptor }
        let failure = errno
        if failure == ENOENT { return nil }
        if failure == ELOOP || failure == ENOTDIR {
            if try kind(of: name, in: parent, shown: shown) != S_IFLNK { return nil }
        }
        throw failure == ELOOP ? symbolicLink(shown) : unreadable(shown, failure)
    }

    /// The bytes of the regular file `name` in `directory`, owned by the effective user, at most
    /// `budget` bytes (taken from it). Opened non-blocking, so a FIFO cannot hold deploy up.
    private static func read(_ name: String, in directory: Int32, shown: String, budget: inout Int) throws -> [UInt8] {
        var before = stat()
        guard fstatat(directory, name, &before, AT_SYMLINK_NOFOLLOW) == 0 else { throw unreadable(shown) }
        if before.st_mode & S_IFMT == S_IFLNK { throw symbolicLink(shown) }
        let descriptor = openat(directory, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)
        guard descriptor >= 0 else { throw errno == ELOOP ? symbolicLink(shown) : unreadable(shown) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw unreadable(shown) }
        guard status.st_mode & S_IFMT == S_IFREG else {
            throw DeployError("\(shown) is not a regular file (a FIFO, socket or device); deploy reads secrets only from regular files: replace it with a file holding the value")
        }
        guard status.st_dev == before.st_dev, status.st_ino == before.st_ino else {
            throw DeployError("\(shown) was replaced while deploy read it; run the deploy again")
        }
        // Hard links are not refused: git never checks one out, and fs.protected_hardlinks keeps
        // another user from linking a file they could not write; the owner check covers the rest.
        guard status.st_uid == geteuid() else {
            throw DeployError("\(shown) is owned by uid \(status.st_uid), not by uid \(geteuid()) running deploy; deploy reads only secrets files you own: copy the value into a file of your own")
        }
        guard Int(status.st_size) <= budget else { throw tooLarge(shown) }
        var bytes = [UInt8](repeating: 0, count: Int(status.st_size) + 1)
        var count = 0
        while count < bytes.count {
            let got = bytes.withUnsafeMutableBytes { Foundation.read(descriptor, $0.baseAddress! + count, $0.count - count) }
            if got < 0 && errno == EINTR { continue }
            guard got >= 0 else { throw unreadable(shown) }
            if got == 0 { break }
            count += got
        }
        guard count <= Int(status.st_size) else {
            throw DeployError("\(shown) grew while deploy read it; run the deploy again")
        }
        budget -= count
        return Array(bytes[..<count])
    }

    private static func symbolicLink(_ shown: String) -> DeployError {
        DeployError("\(shown) is a symbolic link; deploy reads secrets only from files inside the working tree, never through a link: replace the link with the file or directory itself")
    }

    private static func tooLarge(_ shown: String) -> DeployError {
        DeployError("\(shown) takes the secrets past \(limit) bytes, the most a Secret holds (1 MiB); make them smaller")
    }

    private static func unreadable(_ shown: String, _ failure: Int32 = errno) -> DeployError {
        DeployError("\(shown): cannot be read (\(String(cString: strerror(failure))))")
    }
}
