import CZlib
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A read-only file mapped into memory (pack files can be gigabytes; only what is read is paged in).
package final class FileBytes {
    package let base: UnsafePointer<UInt8>
    package let count: Int

    private init(base: UnsafePointer<UInt8>, count: Int) {
        self.base = base
        self.count = count
    }

    deinit { munmap(UnsafeMutableRawPointer(mutating: base), count) }

    package static func map(_ path: String) -> FileBytes? {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0, status.st_size > 0 else { return nil }
        let size = Int(status.st_size)
        guard let raw = mmap(nil, size, PROT_READ, MAP_PRIVATE, descriptor, 0), raw != MAP_FAILED else { return nil }
        return FileBytes(base: UnsafePointer(raw.assumingMemoryBound(to: UInt8.self)), count: size)
    }

    /// A whole small file, or nil when it cannot be read.
    package static func contents(of path: String) -> [UInt8]? {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var result = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let got = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if got < 0 { return nil }
            if got == 0 { return result }
            result.append(contentsOf: chunk[0..<got])
        }
    }

    package subscript(position: Int) -> UInt8 {
        precondition(position >= 0 && position < count, "read past the end of a mapped file")
        return base[position]
    }

    /// The big-endian 32-bit word at `offset`.
    package func word(_ offset: Int) -> UInt32 {
        guard offset >= 0, offset + 4 <= count else { return 0 }
        return UInt32(base[offset]) << 24 | UInt32(base[offset + 1]) << 16 | UInt32(base[offset + 2]) << 8 | UInt32(base[offset + 3])
    }

    /// Compares the 20 bytes at `offset` with `oid` (negative: the file's bytes sort first).
    package func compare(at offset: Int, with oid: [UInt8]) -> Int32 {
        guard offset + 20 <= count else { return 1 }
        return oid.withUnsafeBytes { memcmp(base + offset, $0.baseAddress!, 20) }
    }
}

/// zlib inflation of git's object streams.
package enum Inflate {
    /// Exactly `size` bytes inflated from the stream at `offset` of `file`.
    package static func exactly(_ size: Int, from file: FileBytes, at offset: Int) throws -> [UInt8] {
        guard offset <= file.count else { throw GitError(.notFound, "a pack is truncated") }
        return try run(input: file.base + offset, available: file.count - offset, expected: size)
    }

    /// At most `maxBytes` inflated from the start of the stream at `offset` of `file`: the head of a
    /// large object without inflating the rest.
    package static func prefix(_ maxBytes: Int, from file: FileBytes, at offset: Int) throws -> [UInt8] {
        guard offset <= file.count else { throw GitError(.notFound, "a pack is truncated") }
        return try run(input: file.base + offset, available: file.count - offset, expected: nil, limit: maxBytes)
    }

    /// At most `maxBytes` inflated from the start of `bytes` (the head of a loose object).
    package static func prefix(_ maxBytes: Int, of bytes: ArraySlice<UInt8>) throws -> [UInt8] {
        try bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return [] }
            return try run(input: base, available: buffer.count, expected: nil, limit: maxBytes)
        }
    }

    /// Everything inflated from `bytes` (a loose object).
    package static func all(_ bytes: ArraySlice<UInt8>) throws -> [UInt8] {
        try bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return [] }
            return try run(input: base, available: buffer.count, expected: nil)
        }
    }

    private static func run(input: UnsafePointer<UInt8>, available: Int, expected: Int?,
                            limit: Int = .max) throws -> [UInt8] {
        var stream = z_stream()
        guard inflateInit_(&stream, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw GitError(.notFound, "cannot start zlib")
        }
        defer { inflateEnd(&stream) }
        stream.next_in = UnsafeMutablePointer(mutating: input)
        stream.avail_in = UInt32(min(available, Int(UInt32.max)))
        var result = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: max(1, min(expected ?? 64 * 1024, limit, 1 << 20)) + 1)
        while true {
            let status: Int32 = chunk.withUnsafeMutableBufferPointer { out in
                stream.next_out = out.baseAddress
                stream.avail_out = UInt32(out.count)
                let status = inflate(&stream, Z_NO_FLUSH)
                result.append(contentsOf: out[0..<(out.count - Int(stream.avail_out))])
                return status
            }
            if status == Z_STREAM_END { break }
            guard status == Z_OK else { throw GitError(.notFound, "an object's compressed data is damaged") }
            if let expected, result.count > expected { break }
            if result.count >= limit { break }
        }
        if result.count > limit { return Array(result.prefix(limit)) }
        if let expected, result.count != expected { throw GitError(.notFound, "an object has the wrong size") }
        return result
    }
}

/// The names in a directory (without `.` and `..`), in no particular order; empty when it cannot be read.
package func directoryNames(_ directory: String) -> [String] {
    guard let handle = opendir(directory) else { return [] }
    defer { closedir(handle) }
    var result = [String]()
    while let entry = readdir(handle) {
        let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        if name != "." && name != ".." { result.append(name) }
    }
    return result
}
