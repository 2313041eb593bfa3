import CLibGit2
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The first bytes of a blob stored whole (not as a delta) in a pack, read from the pack itself.
/// libgit2 1.5 cannot stream a packed object, and reading it through `git_blob_lookup` inflates it
/// entirely; here only the pack index and as much of the compressed stream as the prefix needs are read.
enum PackedBlobPrefix {
    /// Nil when no pack index in `objectsDirectory/pack` holds `oid` undeltified; the caller then reads it whole.
    static func read(_ oid: Oid, objectsDirectory: String, maxBytes: Int) -> [UInt8]? {
        guard let id = hexBytes(oid.hex) else { return nil }
        for index in indexFiles(in: objectsDirectory + "/pack") {
            guard let offset = offset(of: id, inIndex: index) else { continue }
            // Another pack may hold the same object whole where this one holds a delta.
            if let prefix = blobPrefix(inPack: String(index.dropLast(4)) + ".pack", at: offset, maxBytes: maxBytes) {
                return prefix
            }
        }
        return nil
    }

    private static func indexFiles(in directory: String) -> [String] {
        guard let dir = opendir(directory) else { return [] }
        defer { closedir(dir) }
        var result: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name.hasPrefix("pack-") && name.hasSuffix(".idx") { result.append(directory + "/" + name) }
        }
        return result.sorted()
    }

    /// The object's offset in its pack, from a version 2 pack index (fan-out, sorted ids, CRCs, offsets).
    private static func offset(of id: [UInt8], inIndex path: String) -> UInt64? {
        guard let file = File(path), let header = file.read(8, at: 0),
              header == [0xFF, 0x74, 0x4F, 0x63, 0, 0, 0, 2], let fanout = file.read(1024, at: 8) else { return nil }
        func word(_ bytes: ArraySlice<UInt8>) -> UInt64 { bytes.reduce(0) { $0 << 8 | UInt64($1) } }
        let first = Int(id[0])
        let count = Int(word(fanout[1020..<1024]))
        var low = first == 0 ? 0 : Int(word(fanout[(first - 1) * 4..<first * 4]))
        var high = Int(word(fanout[first * 4..<first * 4 + 4]))
        while low < high {
            let middle = (low + high) / 2
            guard let candidate = file.read(20, at: UInt64(1032 + middle * 20)) else { return nil }
            if candidate == id {
                guard let small = file.read(4, at: UInt64(1032 + count * 24 + middle * 4)) else { return nil }
                let value = word(small[...])
                guard value & 0x8000_0000 != 0 else { return value }
                let slot = UInt64(1032 + count * 28) + (value & 0x7FFF_FFFF) * 8
                return file.read(8, at: slot).map { word($0[...]) }
            }
            if candidate.lexicographicallyPrecedes(id) { low = middle + 1 } else { high = middle }
        }
        return nil
    }

    /// Inflates the start of the entry at `offset` when it is a whole blob (type 3).
    private static func blobPrefix(inPack path: String, at offset: UInt64, maxBytes: Int) -> [UInt8]? {
        guard let file = File(path), let head = file.read(16, at: offset, allowShort: true), !head.isEmpty,
              (head[0] >> 4) & 7 == 3 else { return nil }
        var headerLength = 1
        while headerLength <= head.count, head[headerLength - 1] & 0x80 != 0 { headerLength += 1 }
        guard headerLength <= head.count else { return nil }
        return file.inflatedPrefix(at: offset + UInt64(headerLength), maxBytes: maxBytes)
    }

    private static func hexBytes(_ hex: String) -> [UInt8]? {
        let digits = Array(hex.utf8)
        guard digits.count == 40 else { return nil }
        func nibble(_ c: UInt8) -> UInt8 { c <= 57 ? c - 48 : c - 87 }
        return stride(from: 0, to: 40, by: 2).map { nibble(digits[$0]) << 4 | nibble(digits[$0 + 1]) }
    }
}

/// A read-only file read with `pread`, closed once.
private final class File {
    let descriptor: Int32

    init?(_ path: String) {
        descriptor = open(path, O_RDONLY)
        if descriptor < 0 { return nil }
    }

    deinit { close(descriptor) }

    func read(_ count: Int, at offset: UInt64, allowShort: Bool = false) -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: count)
        let got = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, count, off_t(offset)) }
        guard got >= 0, allowShort || got == count else { return nil }
        return Array(buffer.prefix(got))
    }

    /// At most `maxBytes` of the zlib stream starting at `offset`, inflated chunk by chunk.
    func inflatedPrefix(at offset: UInt64, maxBytes: Int) -> [UInt8]? {
        var stream = z_stream()
        guard inflateInit_(&stream, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else { return nil }
        defer { inflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: maxBytes)
        var produced = 0
        var position = offset
        while produced < maxBytes {
            guard var input = read(64 * 1024, at: position, allowShort: true), !input.isEmpty else { return nil }
            let status = input.withUnsafeMutableBufferPointer { inBuffer in
                output.withUnsafeMutableBufferPointer { outBuffer in
                    stream.next_in = inBuffer.baseAddress
                    stream.avail_in = UInt32(inBuffer.count)
                    stream.next_out = outBuffer.baseAddress! + produced
                    stream.avail_out = UInt32(maxBytes - produced)
                    let status = inflate(&stream, Z_NO_FLUSH)
                    produced = maxBytes - Int(stream.avail_out)
                    return status
                }
            }
            position += UInt64(input.count - Int(stream.avail_in))
            if status == Z_STREAM_END { break }
            guard status == Z_OK || status == Z_BUF_ERROR else { return nil }
        }
        return Array(output.prefix(produced))
    }
}
