#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The entries of a git index as git will commit it, read straight from the file: format versions
/// 2, 3 and 4, a split index merged with its shared index, and a sparse index's directory entries
/// (kept as entries of mode 040000; `IndexSnapshot` expands them). Intent-to-add entries are left
/// out, as git leaves them out of the commit.
///
/// libgit2 builds a hash map and runs racy-clean checks when it loads an index, which costs
/// hundreds of milliseconds at 200,000 entries; the hooks need only each entry's path, mode, id
/// and stage, which one pass over the file gives.
package struct IndexFile {
    package struct Entry {
        // 32-bit offsets keep an entry at 20 bytes: an index is read on every commit, and a large
        // one has hundreds of thousands of entries (git itself caps an index below 4 GiB).
        private let pathOffset: UInt32
        private let pathCount: UInt32
        package let mode: UInt32
        private let oidOffset: UInt32
        package let stage: UInt8
        /// The extended flags (version 3 and later), 0 when there are none.
        package let extendedFlags: UInt16

        init(pathStart: Int, pathLength: Int, mode: UInt32, oidStart: Int, stage: UInt8, extendedFlags: UInt16) {
            pathOffset = UInt32(truncatingIfNeeded: pathStart)
            pathCount = UInt32(truncatingIfNeeded: pathLength)
            self.mode = mode
            oidOffset = UInt32(truncatingIfNeeded: oidStart)
            self.stage = stage
            self.extendedFlags = extendedFlags
        }

        /// Where the path sits in `paths`.
        package var pathStart: Int { Int(pathOffset) }
        package var pathLength: Int { Int(pathCount) }
        /// Where the 20-byte object id sits in `oids`.
        package var oidStart: Int { Int(oidOffset) }

        package var isSparseDirectory: Bool { mode & 0o170000 == 0o040000 }
        package var isIntentToAdd: Bool { extendedFlags & 0x2000 != 0 }
    }

    /// Every entry's path, back to back (version 4 stores them prefix-compressed on disk).
    package private(set) var paths = [UInt8]()
    package private(set) var oids = [UInt8]()
    /// Sorted by path bytes, then stage, as git keeps them.
    package private(set) var entries = [Entry]()
    /// The `link` extension's content: the shared index's id and the delete and replace bitmaps.
    package var link: [UInt8]?
    /// The cache-tree (`TREE`) extension's content, when present.
    package var cacheTree: [UInt8]?

    package var hasSparseDirectories: Bool { entries.contains { $0.isSparseDirectory } }

    package enum Failure: Error {
        case unreadable(String)
        case malformed(String)
        case unsupported(String)
    }

    package init() {}

    /// Reads the index at `path`; a split index's shared part is looked for in `gitDirectory`, then beside `path`.
    package init(path: String, gitDirectory: String) throws {
        var file = try IndexFile(mapped: try Self.readFile(path))
        if let link = file.link {
            guard link.count >= 20 else { throw Failure.malformed("truncated link extension") }
            let shared = Oid(rawBytes: link[0..<20])
            if !shared.hex.allSatisfy({ $0 == "0" }) {
                let directory = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? "."
                let candidates = ["\(gitDirectory)/sharedindex.\(shared.hex)", "\(directory)/sharedindex.\(shared.hex)"]
                guard let found = candidates.first(where: { access($0, R_OK) == 0 }) else {
                    throw Failure.unreadable("its shared index sharedindex.\(shared.hex) is missing (core.splitIndex)")
                }
                let base = try IndexFile(mapped: try Self.readFile(found))
                file = try SplitIndex.merge(split: file, shared: base, link: Array(link[20...]))
            }
        }
        self = file.droppingIntentToAdd()
    }

    /// The file mapped into memory: nothing is copied before the parse, which reads it once.
    private static func readFile(_ path: String) throws -> FileBytes {
        if let mapped = FileBytes.map(path) { return mapped }
        var status = stat()
        if stat(path, &status) == 0 && status.st_size == 0 { throw Failure.malformed("the file is empty") }
        throw Failure.unreadable(String(cString: strerror(errno)))
    }

    /// Parses one index file as it is on disk (a split index's own part stays unmerged).
    package init(bytes: [UInt8]) throws {
        self = try bytes.withUnsafeBufferPointer { try IndexFile(buffer: $0) }
    }

    private init(mapped file: FileBytes) throws {
        self = try IndexFile(buffer: UnsafeBufferPointer(start: file.base, count: file.count))
    }

    private init(buffer bytes: UnsafeBufferPointer<UInt8>) throws {
        guard bytes.count >= 12, bytes[0..<4].elementsEqual("DIRC".utf8) else { throw Failure.malformed("no DIRC signature") }
        // One pass over raw memory: this runs on every commit, over every entry of a large index.
        let parsed = try Self.parse(bytes)
        (entries, paths, oids) = (parsed.entries, parsed.paths, parsed.oids)
        // Extensions: a four-byte signature and a 32-bit size each, up to the trailing checksum.
        var extensionOffset = parsed.end
        while extensionOffset + 8 <= bytes.count - 20 {
            let size = Int(Self.word(bytes, extensionOffset + 4))
            let data = extensionOffset + 8
            guard data + size <= bytes.count - 20 else { throw Failure.malformed("truncated extension") }
            let signature = UnsafeBufferPointer(rebasing: bytes[extensionOffset..<data - 4])
            if signature.elementsEqual("link".utf8) { link = Array(bytes[data..<(data + size)]) }
            if signature.elementsEqual("TREE".utf8) { cacheTree = Array(bytes[data..<(data + size)]) }
            extensionOffset = data + size
        }
    }

    private static func word(_ bytes: UnsafeBufferPointer<UInt8>, _ at: Int) -> UInt32 {
        UInt32(bytes[at]) << 24 | UInt32(bytes[at + 1]) << 16 | UInt32(bytes[at + 2]) << 8 | UInt32(bytes[at + 3])
    }

    private static func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws
        -> (entries: [Entry], paths: [UInt8], oids: [UInt8], end: Int) {
        let base = bytes.baseAddress!
        let version = word(bytes, 4)
        guard (2...4).contains(version) else { throw Failure.unsupported("index version \(version)") }
        let count = Int(word(bytes, 8))
        var entries = [Entry]()
        entries.reserveCapacity(count)
        var paths = [UInt8]()
        paths.reserveCapacity(count * 40)
        var oids = [UInt8]()
        oids.reserveCapacity(count * 20)
        var previous = 0..<0
        var offset = 12
        for _ in 0..<count {
            // ctime, mtime, dev, ino (24 bytes), then mode, uid, gid, size, the id and the flags.
            let oidOffset = offset + 40
            guard oidOffset + 22 <= bytes.count else { throw Failure.malformed("truncated entry") }
            let mode = word(bytes, offset + 24)
            let flags = UInt16(bytes[oidOffset + 20]) << 8 | UInt16(bytes[oidOffset + 21])
            var cursor = oidOffset + 22
            var extended: UInt16 = 0
            if flags & 0x4000 != 0 {
                guard version >= 3, cursor + 2 <= bytes.count else { throw Failure.malformed("bad extended flags") }
                extended = UInt16(bytes[cursor]) << 8 | UInt16(bytes[cursor + 1])
                cursor += 2
            }
            let pathStart = paths.count
            if version == 4 {
                // A varint of how many bytes to drop from the previous path, then the rest, NUL-terminated.
                var drop = 0
                var byte: UInt8
                repeat {
                    guard cursor < bytes.count else { throw Failure.malformed("truncated path") }
                    byte = bytes[cursor]
                    cursor += 1
                    drop = (drop << 7) | Int(byte & 0x7F)
                    if byte & 0x80 != 0 { drop += 1 }
                } while byte & 0x80 != 0
                guard drop <= previous.count else { throw Failure.malformed("bad path prefix") }
                paths.append(contentsOf: paths[previous.lowerBound..<(previous.upperBound - drop)])
            }
            guard cursor < bytes.count, let nul = memchr(base + cursor, 0, bytes.count - cursor) else {
                throw Failure.malformed("unterminated path")
            }
            let end = base.distance(to: nul.assumingMemoryBound(to: UInt8.self))
            paths.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[cursor..<end]))
            // Version 4 entries end at the NUL; earlier ones are NUL-padded to a multiple of eight bytes.
            offset = version == 4 ? end + 1 : offset + ((end - offset) + 8) & ~7
            previous = pathStart..<paths.count
            entries.append(Entry(pathStart: pathStart, pathLength: paths.count - pathStart, mode: mode,
                                 oidStart: oids.count, stage: UInt8((flags >> 12) & 0x3), extendedFlags: extended))
            oids.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[oidOffset..<(oidOffset + 20)]))
        }
        return (entries, paths, oids, offset)
    }

    /// Appends an entry; callers keep the order sorted.
    package mutating func append<P: Collection<UInt8>, O: Collection<UInt8>>(path: P, mode: UInt32, oid: O, stage: UInt8, extendedFlags: UInt16) {
        entries.append(Entry(pathStart: paths.count, pathLength: path.count, mode: mode, oidStart: oids.count,
                             stage: stage, extendedFlags: extendedFlags))
        paths.append(contentsOf: path)
        oids.append(contentsOf: oid)
    }

    package mutating func append(_ entry: Entry, from file: IndexFile, path: ArraySlice<UInt8>? = nil) {
        append(path: path ?? file.path(of: entry), mode: entry.mode, oid: file.oidBytes(of: entry),
               stage: entry.stage, extendedFlags: entry.extendedFlags)
    }

    /// The same entries sorted as git sorts them (path bytes, then stage); for equal keys the later one wins.
    package func sorted() -> IndexFile {
        let order = entries.indices.sorted { a, b in
            let (left, right) = (path(of: entries[a]), path(of: entries[b]))
            if !left.elementsEqual(right) { return left.lexicographicallyPrecedes(right) }
            if entries[a].stage != entries[b].stage { return entries[a].stage < entries[b].stage }
            return a < b
        }
        var result = IndexFile()
        for (position, index) in order.enumerated() {
            if position + 1 < order.count, entries[order[position + 1]].stage == entries[index].stage,
               path(of: entries[order[position + 1]]).elementsEqual(path(of: entries[index])) { continue }
            result.append(entries[index], from: self)
        }
        result.cacheTree = cacheTree
        return result
    }

    private func droppingIntentToAdd() -> IndexFile {
        guard entries.contains(where: \.isIntentToAdd) else { return self }
        var result = IndexFile()
        for entry in entries where !entry.isIntentToAdd { result.append(entry, from: self) }
        result.cacheTree = cacheTree
        return result
    }

    package func path(of entry: Entry) -> ArraySlice<UInt8> {
        paths[entry.pathStart..<(entry.pathStart + entry.pathLength)]
    }

    package func oidBytes(of entry: Entry) -> ArraySlice<UInt8> {
        oids[entry.oidStart..<(entry.oidStart + 20)]
    }

    package func oid(of entry: Entry) -> Oid {
        Oid(rawBytes: oidBytes(of: entry))
    }

    /// The position of the first entry whose path is not below `prefix` in byte order (binary search).
    package func firstIndex(notBelow prefix: [UInt8]) -> Int {
        var low = 0, high = entries.count
        while low < high {
            let middle = (low + high) / 2
            if path(of: entries[middle]).lexicographicallyPrecedes(prefix) { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
