#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The entries of a git index file (format versions 2, 3 and 4), read straight from the file.
///
/// libgit2 builds a hash map and runs racy-clean checks when it loads an index, which costs
/// hundreds of milliseconds at 200,000 entries; the hooks need only each entry's path, mode, id
/// and stage, which one pass over the file gives. Extensions are not needed and not read, except
/// that an index git split or made sparse (entries that stand for whole directories) is refused.
struct IndexFile {
    struct Entry {
        /// Where the path sits in `paths`.
        let pathStart: Int
        let pathLength: Int
        let mode: UInt32
        /// Where the 20-byte object id sits in `bytes`.
        let oidOffset: Int
        let stage: UInt8
    }

    let bytes: [UInt8]
    /// Every entry's path, back to back (version 4 stores them prefix-compressed).
    let paths: [UInt8]
    /// In file order: sorted by path bytes, then stage.
    let entries: [Entry]

    enum Failure: Error {
        case unreadable(String)
        case malformed(String)
        case unsupported(String)
    }

    init(path: String) throws {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw Failure.unreadable(String(cString: strerror(errno))) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw Failure.unreadable(String(cString: strerror(errno))) }
        // One read into a buffer of the file's size: the index is read whole, once.
        let size = Int(status.st_size)
        var failure: Int32 = 0
        let data = [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
            count = 0
            while count < size {
                let got = read(descriptor, buffer.baseAddress! + count, size - count)
                if got <= 0 { failure = got < 0 ? errno : 0; break }
                count += got
            }
        }
        guard failure == 0 else { throw Failure.unreadable(String(cString: strerror(failure))) }
        try self.init(bytes: data)
    }

    init(bytes: [UInt8]) throws {
        self.bytes = bytes
        func word(_ at: Int) throws -> UInt32 {
            guard at + 4 <= bytes.count else { throw Failure.malformed("truncated") }
            return UInt32(bytes[at]) << 24 | UInt32(bytes[at + 1]) << 16 | UInt32(bytes[at + 2]) << 8 | UInt32(bytes[at + 3])
        }
        guard bytes.count >= 12, bytes[0..<4].elementsEqual("DIRC".utf8) else { throw Failure.malformed("no DIRC signature") }
        let version = try word(4)
        guard (2...4).contains(version) else { throw Failure.unsupported("index version \(version)") }
        let count = Int(try word(8))

        var entries = [Entry]()
        entries.reserveCapacity(count)
        var paths = [UInt8]()
        paths.reserveCapacity(count * 32)
        var previous = 0..<0
        var offset = 12
        for _ in 0..<count {
            // ctime, mtime, dev, ino (24 bytes), then mode, uid, gid, size, the id and the flags.
            let mode = try word(offset + 24)
            let oidOffset = offset + 40
            guard oidOffset + 22 <= bytes.count else { throw Failure.malformed("truncated entry") }
            let flags = UInt16(bytes[oidOffset + 20]) << 8 | UInt16(bytes[oidOffset + 21])
            var cursor = oidOffset + 22
            if flags & 0x4000 != 0 {
                guard version >= 3 else { throw Failure.malformed("extended flags in a version 2 index") }
                cursor += 2
            }
            if mode & 0o170000 == 0o040000 { throw Failure.unsupported("a sparse index (directory entries)") }
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
                guard let end = bytes[cursor...].firstIndex(of: 0) else { throw Failure.malformed("unterminated path") }
                paths.append(contentsOf: bytes[cursor..<end])
                offset = end + 1
            } else {
                guard let end = bytes[cursor...].firstIndex(of: 0) else { throw Failure.malformed("unterminated path") }
                paths.append(contentsOf: bytes[cursor..<end])
                // Entries are NUL-padded to a multiple of eight bytes, at least one NUL.
                offset += (cursor - offset + (end - cursor) + 8) & ~7
            }
            previous = pathStart..<paths.count
            entries.append(Entry(pathStart: pathStart, pathLength: paths.count - pathStart, mode: mode,
                                 oidOffset: oidOffset, stage: UInt8((flags >> 12) & 0x3)))
        }
        // A split index keeps most entries in a shared file; refuse rather than see half of it.
        var extensionOffset = offset
        while extensionOffset + 8 <= bytes.count - 20 {
            if bytes[extensionOffset..<(extensionOffset + 4)].elementsEqual("link".utf8) {
                throw Failure.unsupported("a split index (core.splitIndex)")
            }
            extensionOffset += 8 + Int(try word(extensionOffset + 4))
        }
        self.paths = paths
        self.entries = entries
    }

    func path(of entry: Entry) -> ArraySlice<UInt8> {
        paths[entry.pathStart..<(entry.pathStart + entry.pathLength)]
    }

    func oid(of entry: Entry) -> Oid {
        Oid(rawBytes: bytes[entry.oidOffset..<(entry.oidOffset + 20)])
    }

    /// The position of the first entry whose path is not below `prefix` in byte order (binary search).
    func firstIndex(notBelow prefix: [UInt8]) -> Int {
        var low = 0, high = entries.count
        while low < high {
            let middle = (low + high) / 2
            if path(of: entries[middle]).lexicographicallyPrecedes(prefix) { low = middle + 1 } else { high = middle }
        }
        return low
    }
}

extension Oid {
    init(rawBytes: ArraySlice<UInt8>) {
        let digits = Array("0123456789abcdef".utf8)
        var hex = [UInt8]()
        hex.reserveCapacity(40)
        for byte in rawBytes {
            hex.append(digits[Int(byte >> 4)])
            hex.append(digits[Int(byte & 0xF)])
        }
        self.init(hex: String(decoding: hex, as: UTF8.self))!
    }
}
