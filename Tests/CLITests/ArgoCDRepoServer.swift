import Foundation
import TestSupport

/// What Argo CD's repo server holds and sends to a plugin, as its source does it.
struct ArgoCDRepoServer {
    /// The repo server's clone: `.git` and a detached checkout of the resolved commit.
    let root: URL

    /// The clone as argo-cd util/git/client.go makes it (`Init`: an empty repository with remote
    /// origin; `fetch`: `fetch origin --tags --force --prune`; `Checkout`: `checkout --force
    /// <sha>`): a detached HEAD, no local branch, the branches as refs/remotes/origin/*.
    static func clone(_ origin: String, at revision: String, into root: URL) throws -> ArgoCDRepoServer {
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        for arguments in [["init", "-q"], ["remote", "add", "origin", origin],
                          ["fetch", "-q", "origin", "--tags", "--force", "--prune"],
                          ["checkout", "-q", "--force", revision]] {
            let result = try Command.run("/usr/bin/env", ["git"] + arguments, in: root.path, environment: GitFixture.environment)
            guard result.status == 0 else { throw FixtureError("git \(arguments.joined(separator: " ")): \(result.stderrText)") }
        }
        return ArgoCDRepoServer(root: root)
    }

    enum Kind: Equatable { case directory, regular, symlink(String) }
    struct Entry: Equatable { let path: String; let kind: Kind }

    /// What `files.Tgz` puts in the stream sent from `source` (argo-cd util/io/files/tar.go
    /// `tgzFile`): `filepath.Walk` order; a directory whose relative path matches an exclusion is
    /// skipped whole, a file matching one is left out; `inclusions` (the CLI's `--local-include`)
    /// match a file's base name; only directories, regular files and symlinks are written.
    static func tar(_ source: URL, inclusions: [String]? = nil, exclusions: [String]) throws -> [Entry] {
        var entries: [Entry] = []
        try walk(source, relative: ".", inclusions: inclusions, exclusions: exclusions, into: &entries)
        // util/cmp/stream.go GetCompressedRepoAndMetadata refuses a stream without a regular file.
        guard entries.contains(where: { $0.kind == .regular }) else { throw FixtureError("no files to send(\(source.path))") }
        return entries
    }

    private static func walk(_ url: URL, relative: String, inclusions: [String]?, exclusions: [String],
                             into entries: inout [Entry]) throws {
        var info = stat()
        guard lstat(url.path, &info) == 0 else { throw FixtureError("lstat \(url.path) failed") }
        let type = info.st_mode & S_IFMT
        if let inclusions, type != S_IFDIR {
            guard try inclusions.contains(where: { try GoFilepath.match($0, url.lastPathComponent) }) else { return }
        }
        if try exclusions.contains(where: { try GoFilepath.match($0, relative) }) { return }
        switch type {
        case S_IFDIR:
            entries.append(Entry(path: relative, kind: .directory))
            for name in try FileManager.default.contentsOfDirectory(atPath: url.path).sorted(by: goLess) {
                try walk(url.appendingPathComponent(name), relative: relative == "." ? name : relative + "/" + name,
                         inclusions: inclusions, exclusions: exclusions, into: &entries)
            }
        case S_IFREG: entries.append(Entry(path: relative, kind: .regular))
        case S_IFLNK: entries.append(Entry(path: relative, kind: .symlink(try FileManager.default.destinationOfSymbolicLink(atPath: url.path))))
        default: break  // tar.go supportedFileMode: FIFOs, sockets and devices are not sent
        }
    }

    /// Go sorts directory names by bytes.
    private static func goLess(_ a: String, _ b: String) -> Bool { Array(a.utf8).lexicographicallyPrecedes(Array(b.utf8)) }

    /// What the cmp server unpacks into `destination` (tar.go `untar`, `preserveFileMode` false as
    /// plugin.yaml leaves it): directories 0755, regular files 0644 whatever their mode in git,
    /// symlinks relativised and refused when they resolve outside `destination`.
    static func untar(_ entries: [Entry], from source: URL, into destination: URL) throws {
        let files = FileManager.default
        for entry in entries where entry.path != "." {
            let target = destination.appendingPathComponent(entry.path)
            switch entry.kind {
            case .directory:
                try files.createDirectory(at: target, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
            case .regular:
                try files.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true,
                                          attributes: [.posixPermissions: 0o755])
                let content = try Data(contentsOf: source.appendingPathComponent(entry.path))
                guard files.createFile(atPath: target.path, contents: content, attributes: [.posixPermissions: 0o644]) else {
                    throw FixtureError("cannot create \(target.path)")
                }
            case .symlink(let link):
                let directory = target.deletingLastPathComponent().path
                let joined = goClean(directory + "/" + link)
                let resolved = realpath(joined, nil).map { pointer in
                    defer { free(pointer) }
                    return String(cString: pointer)
                } ?? joined
                guard resolved.hasPrefix(goClean(destination.path) + "/") else {
                    throw FixtureError("illegal filepath in symlink: \(joined)")
                }
                try files.createSymbolicLink(atPath: target.path, withDestinationPath: relative(resolved, from: directory))
            }
        }
    }

    /// Go's `filepath.Clean` of an absolute path.
    static func goClean(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/") where part != "." {
            if part == ".." { _ = parts.popLast() } else { parts.append(part) }
        }
        return "/" + parts.joined(separator: "/")
    }

    /// Go's `filepath.Rel` between two clean absolute paths.
    private static func relative(_ target: String, from base: String) -> String {
        let t = target.split(separator: "/"), b = base.split(separator: "/")
        let common = zip(t, b).prefix { $0 == $1 }.count
        let parts = Array(repeating: "..", count: b.count - common) + t.dropFirst(common).map(String.init)
        return parts.isEmpty ? "." : parts.joined(separator: "/")
    }

    /// The directory sent for an Application at `appPath` (reposerver/repository/utils.go
    /// `getApplicationRootPath`, used when `reposerver.plugin.use.manifest.generate.paths` is
    /// true): the deepest common directory of the app path and its annotation's paths (`;`
    /// separated, relative to the app path or, with a leading `/`, to the repository root).
    static func applicationRootPath(appPath: String, annotation: String?) -> String {
        let paths = (annotation ?? "").split(separator: ";").map { path in
            String(goClean(path.hasPrefix("/") ? String(path) : "/" + appPath + "/" + path).dropFirst())
        }
        guard !paths.isEmpty else { return "" }
        var common = appPath.split(separator: "/")
        for path in paths {
            let parts = path.split(separator: "/")
            common = Array(common.prefix(zip(common, parts).prefix { $0 == $1 }.count))
        }
        return common.joined(separator: "/")
    }
}
