#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Objects read straight from a repository's `objects/` directory, loose or packed (pack index
/// version 2, offset and reference deltas), without libgit2: starting libgit2 loads the system's
/// certificate store, which costs more than the questions the pre-commit hook asks first.
/// Refuses (`nil`) object directories it does not fully understand (alternates).
package final class ObjectFiles {
    private let directory: String
    private var packs: [Pack]?

    package init?(directory: String) {
        if access(directory + "/info/alternates", F_OK) == 0 { return nil }
        self.directory = directory
    }

    package enum Kind: Int { case commit = 1, tree = 2, blob = 3, tag = 4 }

    /// The object's kind and content, or nil when it is in none of the object files.
    package func read(_ oid: [UInt8]) throws -> (kind: Kind, data: [UInt8])? {
        try read(oid, depth: 0)
    }

    /// `depth`: how many deltas led here; reference deltas come back through this, so a cycle of
    /// them ends at the same limit as a chain of offset deltas.
    func read(_ oid: [UInt8], depth: Int) throws -> (kind: Kind, data: [UInt8])? {
        let hex = Oid(rawBytes: oid[...]).hex
        if let bytes = FileBytes.contents(of: loosePath(hex)) { return try Self.parseLoose(Inflate.all(bytes[...]), hex: hex) }
        for pack in try allPacks() {
            if let offset = pack.offset(of: oid) { return try pack.object(at: offset, in: self, depth: depth) }
        }
        return nil
    }

    /// The object's kind and inflated size, read from its header without inflating its content
    /// (for a delta, only the delta's own header); nil when it is in none of the object files.
    package func header(_ oid: [UInt8]) throws -> (kind: Kind, size: Int)? {
        try header(oid, depth: 0)
    }

    func header(_ oid: [UInt8], depth: Int) throws -> (kind: Kind, size: Int)? {
        let hex = Oid(rawBytes: oid[...]).hex
        if let bytes = FileBytes.contents(of: loosePath(hex)) {
            let head = try Inflate.prefix(64, of: bytes[...])
            guard let space = head.firstIndex(of: 0x20), let nul = head.firstIndex(of: 0), space < nul,
                  let size = Int(String(decoding: head[(space + 1)..<nul], as: UTF8.self)) else {
                throw GitError(.notFound, "object \(hex) is damaged")
            }
            return (try Self.parseLoose(head, hex: hex).kind, size)
        }
        for pack in try allPacks() {
            if let offset = pack.offset(of: oid) { return try pack.objectHeader(at: offset, in: self, depth: depth) }
        }
        return nil
    }

    /// At most `maxBytes` leading bytes of a blob, inflating no more than that of a loose or whole
    /// packed object; a delta is applied whole, up to `maxDeltaBytes` of result, and gives an empty
    /// prefix above that (as `Snapshot.prefix` promises). Nil when absent.
    package func blobPrefix(_ oid: [UInt8], maxBytes: Int,
                            maxDeltaBytes: Int = SnapshotLimits.maxWholeReadForPrefix) throws -> [UInt8]? {
        let hex = Oid(rawBytes: oid[...]).hex
        if let bytes = FileBytes.contents(of: loosePath(hex)) {
            let head = try Inflate.prefix(64 + maxBytes, of: bytes[...])
            guard let nul = head.firstIndex(of: 0), head.starts(with: Array("blob ".utf8)) else {
                throw GitError(.notFound, "object \(hex) is not a blob")
            }
            return Array(head[(nul + 1)...].prefix(maxBytes))
        }
        if let prefix = try packedBlobPrefix(oid, maxBytes: maxBytes) { return prefix }
        guard let header = try header(oid) else { return nil }
        guard header.kind == .blob else { throw GitError(.notFound, "object \(hex) is not a blob") }
        guard header.size <= maxDeltaBytes else { return [] }
        return try read(oid).map { Array($0.data.prefix(maxBytes)) }
    }

    /// At most `maxBytes` leading bytes of a blob stored whole (not as a delta) in one of the packs;
    /// nil when no pack holds it undeltified. Only the start of its compressed stream is inflated.
    package func packedBlobPrefix(_ oid: [UInt8], maxBytes: Int) throws -> [UInt8]? {
        for pack in try allPacks() {
            // Another pack may hold the same object whole where this one holds a delta.
            if let offset = pack.offset(of: oid), let prefix = try pack.wholeBlobPrefix(at: offset, maxBytes: maxBytes) {
                return prefix
            }
        }
        return nil
    }

    /// Where git keeps the object `hex` loose: `objects/<first two digits>/<the rest>`.
    private func loosePath(_ hex: String) -> String {
        "\(directory)/\(hex.prefix(2))/\(hex.dropFirst(2))"
    }

    private func allPacks() throws -> [Pack] {
        if let packs { return packs }
        var found = [Pack]()
        for name in directoryNames(directory + "/pack") where name.hasSuffix(".idx") {
            let base = "\(directory)/pack/\(name.dropLast(4))"
            if let pack = Pack(index: base + ".idx", pack: base + ".pack") { found.append(pack) }
        }
        packs = found
        return found
    }

    private static func parseLoose(_ bytes: [UInt8], hex: String) throws -> (kind: Kind, data: [UInt8]) {
        guard let space = bytes.firstIndex(of: 0x20), let nul = bytes.firstIndex(of: 0) else {
            throw GitError(.notFound, "object \(hex) is damaged")
        }
        let names: [String: Kind] = ["commit": .commit, "tree": .tree, "blob": .blob, "tag": .tag]
        guard let kind = names[String(decoding: bytes[..<space], as: UTF8.self)] else { throw GitError(.notFound, "object \(hex) is damaged") }
        return (kind, Array(bytes[(nul + 1)...]))
    }

    /// One pack: its `.idx` (fan-out, sorted ids, CRCs, offsets) and `.pack`, both mapped into memory.
    package final class Pack {
        let index: FileBytes
        let pack: FileBytes
        let count: Int
        /// Objects already inflated, by offset: the bases that delta chains share (git's delta base
        /// cache, which `core.deltaBaseCacheLimit` bounds; here a fixed 32 MiB).
        private var inflated: [Int: (kind: Kind, data: [UInt8])] = [:]
        private var inflatedBytes = 0
        private static let inflatedLimit = 32 << 20

        init?(index indexPath: String, pack packPath: String) {
            guard let index = FileBytes.map(indexPath), let pack = FileBytes.map(packPath),
                  index.count >= 8 + 1024, index.word(0) == 0xff74_4f63, index.word(4) == 2 else { return nil }
            self.index = index
            self.pack = pack
            count = Int(index.word(8 + 255 * 4))
        }

        func offset(of oid: [UInt8]) -> Int? {
            let first = Int(oid[0])
            var low = first == 0 ? 0 : Int(index.word(8 + (first - 1) * 4))
            var high = Int(index.word(8 + first * 4))
            let names = 8 + 1024
            while low < high {
                let middle = (low + high) / 2
                let order = index.compare(at: names + middle * 20, with: oid)
                if order == 0 {
                    let offsets = names + count * 24
                    let small = index.word(offsets + middle * 4)
                    guard small & 0x8000_0000 != 0 else { return Int(small) }
                    let large = offsets + count * 4 + Int(small & 0x7fff_ffff) * 8
                    return Int(index.word(large)) << 32 | Int(index.word(large + 4))
                }
                if order < 0 { low = middle + 1 } else { high = middle }
            }
            return nil
        }

        /// An entry's type, inflated size and where its data starts.
        func header(at offset: Int) throws -> (type: Int, size: Int, data: Int) {
            guard offset >= 0, offset < pack.count else { throw GitError(.notFound, "a pack's delta chain is damaged") }
            var cursor = offset
            var byte = pack[cursor]
            let type = Int(byte >> 4) & 7
            var size = Int(byte & 0x0f)
            var shift = 4
            while byte & 0x80 != 0 {
                cursor += 1
                guard cursor < pack.count else { throw GitError(.notFound, "a pack is truncated") }
                byte = pack[cursor]
                size |= Int(byte & 0x7f) << shift
                shift += 7
            }
            return (type, size, cursor + 1)
        }

        /// Where an offset delta's base starts and its own delta data starts, from the distance
        /// encoded at `cursor` (git's "offset encoding": big-endian, plus one per extra byte).
        private func offsetDeltaBase(of offset: Int, at cursor: Int) throws -> (base: Int, data: Int) {
            var cursor = cursor
            func next() throws -> UInt8 {
                guard cursor < pack.count else { throw GitError(.notFound, "a pack is truncated") }
                defer { cursor += 1 }
                return pack[cursor]
            }
            var byte = try next()
            var distance = Int(byte & 0x7f)
            while byte & 0x80 != 0 {
                guard distance < Int.max >> 8 else { throw GitError(.notFound, "a pack's delta chain is damaged") }
                byte = try next()
                distance = ((distance + 1) << 7) | Int(byte & 0x7f)
            }
            guard distance > 0, distance <= offset else { throw GitError(.notFound, "a pack's delta chain is damaged") }
            return (offset - distance, cursor)
        }

        /// A reference delta's base id (the 20 bytes at `cursor`) and where its delta data starts.
        private func referenceDeltaBase(at cursor: Int) throws -> (base: [UInt8], data: Int) {
            guard cursor + 20 <= pack.count else { throw GitError(.notFound, "a pack is truncated") }
            return ((0..<20).map { pack[cursor + $0] }, cursor + 20)
        }

        /// The kind and inflated size of the object at `offset`; a delta's size is its result's,
        /// from the start of the delta, and its kind is its base's.
        func objectHeader(at offset: Int, in objects: ObjectFiles, depth: Int = 0) throws -> (kind: Kind, size: Int) {
            guard depth < 64 else { throw GitError(.notFound, "a pack's delta chain is damaged") }
            let (type, size, start) = try header(at: offset)
            switch type {
            case 1...4:
                return (Kind(rawValue: type)!, size)
            case 6:
                let (baseOffset, data) = try offsetDeltaBase(of: offset, at: start)
                let base = try objectHeader(at: baseOffset, in: objects, depth: depth + 1)
                return (base.kind, try Delta.resultSize(try Inflate.prefix(32, from: pack, at: data)))
            case 7:
                let (baseID, data) = try referenceDeltaBase(at: start)
                guard let base = try objects.header(baseID, depth: depth + 1) else { throw GitError(.notFound, "a delta's base object is missing") }
                return (base.kind, try Delta.resultSize(try Inflate.prefix(32, from: pack, at: data)))
            default:
                throw GitError(.notFound, "unknown object type \(type) in a pack")
            }
        }

        /// The head of the entry at `offset` when it is a whole blob, else nil.
        func wholeBlobPrefix(at offset: Int, maxBytes: Int) throws -> [UInt8]? {
            let entry = try header(at: offset)
            guard entry.type == Kind.blob.rawValue else { return nil }
            return try Inflate.prefix(min(maxBytes, entry.size), from: pack, at: entry.data)
        }

        func object(at offset: Int, in objects: ObjectFiles, depth: Int = 0) throws -> (kind: Kind, data: [UInt8]) {
            if let known = inflated[offset] { return known }
            let object = try inflate(at: offset, in: objects, depth: depth)
            if inflatedBytes + object.data.count <= Self.inflatedLimit {
                inflated[offset] = object
                inflatedBytes += object.data.count
            }
            return object
        }

        private func inflate(at offset: Int, in objects: ObjectFiles, depth: Int) throws -> (kind: Kind, data: [UInt8]) {
            guard depth < 64 else { throw GitError(.notFound, "a pack's delta chain is damaged") }
            let (type, size, start) = try header(at: offset)
            switch type {
            case 1...4:
                return (Kind(rawValue: type)!, try Inflate.exactly(size, from: pack, at: start))
            case 6:
                let (baseOffset, data) = try offsetDeltaBase(of: offset, at: start)
                let base = try object(at: baseOffset, in: objects, depth: depth + 1)
                return (base.kind, try Delta.apply(try Inflate.exactly(size, from: pack, at: data), to: base.data))
            case 7:
                let (baseID, data) = try referenceDeltaBase(at: start)
                guard let base = try objects.read(baseID, depth: depth + 1) else { throw GitError(.notFound, "a delta's base object is missing") }
                return (base.kind, try Delta.apply(try Inflate.exactly(size, from: pack, at: data), to: base.data))
            default:
                throw GitError(.notFound, "unknown object type \(type) in a pack")
            }
        }
    }
}

/// git's delta format: the base's and the result's sizes, then copy and insert instructions.
package enum Delta {
    /// The result's size, the second number of a delta's header.
    package static func resultSize(_ head: [UInt8]) throws -> Int {
        var cursor = 0
        var sizes = [Int]()
        while sizes.count < 2 {
            var value = 0, shift = 0
            while true {
                guard cursor < head.count, shift < 63 else { throw GitError(.notFound, "a delta's header is damaged") }
                let byte = head[cursor]
                cursor += 1
                value |= Int(byte & 0x7f) << shift
                shift += 7
                if byte & 0x80 == 0 { break }
            }
            sizes.append(value)
        }
        return sizes[1]
    }

    package static func apply(_ delta: [UInt8], to base: [UInt8]) throws -> [UInt8] {
        var cursor = 0
        func size() -> Int {
            var value = 0, shift = 0
            while cursor < delta.count {
                let byte = delta[cursor]
                cursor += 1
                value |= Int(byte & 0x7f) << shift
                shift += 7
                if byte & 0x80 == 0 { break }
            }
            return value
        }
        guard size() == base.count else { throw GitError(.notFound, "a delta does not fit its base") }
        let total = size()
        var result = [UInt8]()
        result.reserveCapacity(total)
        while cursor < delta.count {
            let op = delta[cursor]
            cursor += 1
            if op & 0x80 != 0 {
                var offset = 0, length = 0
                guard cursor + (op & 0x7f).nonzeroBitCount <= delta.count else { throw GitError(.notFound, "a delta is truncated") }
                for bit in 0..<4 where op & (1 << bit) != 0 { offset |= Int(delta[cursor]) << (8 * bit); cursor += 1 }
                for bit in 0..<3 where op & (0x10 << bit) != 0 { length |= Int(delta[cursor]) << (8 * bit); cursor += 1 }
                if length == 0 { length = 0x10000 }
                guard offset + length <= base.count else { throw GitError(.notFound, "a delta copies past its base") }
                result.append(contentsOf: base[offset..<(offset + length)])
            } else if op != 0 {
                guard cursor + Int(op) <= delta.count else { throw GitError(.notFound, "a delta is truncated") }
                result.append(contentsOf: delta[cursor..<(cursor + Int(op))])
                cursor += Int(op)
            } else {
                throw GitError(.notFound, "a delta has a reserved instruction")
            }
        }
        guard result.count == total else { throw GitError(.notFound, "a delta's result has the wrong size") }
        return result
    }
}
