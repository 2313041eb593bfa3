#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The questions a `Snapshot` of the index asks of the index file, answered from its sorted
/// entries: what libgit2's index snapshot and the hooks' fast path both list. Conflicted
/// (stage > 0) entries and modes git never records are left out; intent-to-add entries were
/// dropped when the file was read.
extension IndexFile {
    /// The entries at or below `directory` ("" for the root), in path order, without sizes (-1).
    package func unsizedEntries(under directory: String) -> [SnapshotEntry] {
        let prefix = directory.isEmpty ? [] : Array((directory + "/").utf8)
        var result = [SnapshotEntry]()
        var position = firstIndex(notBelow: prefix)
        while position < entries.count {
            let entry = entries[position]
            position += 1
            let bytes = path(of: entry)
            guard bytes.starts(with: prefix) else { break }
            guard entry.stage == 0, let kind = EntryKind(mode: entry.mode) else { continue }
            let (entryPath, valid) = decodePath(Array(bytes))
            result.append(SnapshotEntry(path: entryPath, pathIsUTF8: valid, kind: kind, oid: oid(of: entry), size: -1))
        }
        return result
    }

    /// The stage-0 entry at `path`, without its size (-1); nil when there is none.
    package func unsizedEntry(at path: String) -> SnapshotEntry? {
        guard !path.isEmpty else { return nil }
        let wanted = Array(path.utf8)
        var position = firstIndex(notBelow: wanted)
        while position < entries.count, self.path(of: entries[position]).elementsEqual(wanted) {
            let entry = entries[position]
            position += 1
            guard entry.stage == 0, let kind = EntryKind(mode: entry.mode) else { continue }
            return SnapshotEntry(path: path, kind: kind, oid: oid(of: entry), size: -1)
        }
        return nil
    }

    /// Directories ("" for the root) that directly hold a file called `name` (not a submodule), sorted.
    package func directories(containing name: String) -> [String] {
        let suffix = Array(("/" + name).utf8)
        var result = Set<String>()
        // One pass over every entry of what may be a very large index: the last bytes of each path
        // are compared in place, and only matches become Strings.
        paths.withUnsafeBufferPointer { all in
            suffix.withUnsafeBufferPointer { wanted in
                for entry in entries where entry.stage == 0 && entry.mode != 0o160000 {
                    let start = entry.pathStart, count = entry.pathLength
                    if count == wanted.count - 1 {
                        if memcmp(all.baseAddress! + start, wanted.baseAddress! + 1, count) == 0 { result.insert("") }
                    } else if count > wanted.count,
                              memcmp(all.baseAddress! + start + count - wanted.count, wanted.baseAddress!, wanted.count) == 0 {
                        result.insert(decodePath(Array(all[start..<(start + count - wanted.count)])).0)
                    }
                }
            }
        }
        return result.sorted()
    }
}

/// The index git is about to commit as a `Snapshot`, its objects read by `ObjectFiles` rather
/// than libgit2: what the pre-commit fast path checks. Opened by `StagedChange`, which refuses
/// the forms it does not read (sparse indexes, alternates, SHA-256), so every answer is the one
/// libgit2's `IndexSnapshot` gives.
package final class ObjectFilesIndexSnapshot: Snapshot, @unchecked Sendable {
    private let file: IndexFile
    private let objects: ObjectFiles

    package init(file: IndexFile, objects: ObjectFiles) {
        self.file = file
        self.objects = objects
    }

    package var label: String { "the index" }

    package func entries(under directory: String) throws -> [SnapshotEntry] {
        try file.unsizedEntries(under: directory).map(withSize)
    }

    package func entry(at path: String) throws -> SnapshotEntry? {
        try file.unsizedEntry(at: path).map(withSize)
    }

    package func directories(containing name: String) throws -> [String] {
        let found = file.directories(containing: name)
        try TreeNames.requireCleanWorkflowDirectories(found, in: label)
        return found
    }

    package func contents(of entry: SnapshotEntry) throws -> [UInt8] {
        guard let object = try objects.read(entry.oid.rawBytes), object.kind == .blob else { throw missing(entry) }
        return object.data
    }

    package func prefix(of entry: SnapshotEntry, maxBytes: Int) throws -> [UInt8] {
        guard let prefix = try objects.blobPrefix(entry.oid.rawBytes, maxBytes: maxBytes) else { throw missing(entry) }
        return prefix
    }

    private func withSize(_ entry: SnapshotEntry) throws -> SnapshotEntry {
        guard entry.kind != .submodule else {
            return SnapshotEntry(path: entry.path, pathIsUTF8: entry.pathIsUTF8, kind: entry.kind, oid: entry.oid, size: 0)
        }
        guard let header = try objects.header(entry.oid.rawBytes), header.kind == .blob else { throw missing(entry) }
        return SnapshotEntry(path: entry.path, pathIsUTF8: entry.pathIsUTF8, kind: entry.kind, oid: entry.oid, size: header.size)
    }

    private func missing(_ entry: SnapshotEntry) -> GitError {
        GitError(.notFound, "\(entry.path): blob \(entry.oid.short) is not in the object files")
    }
}
