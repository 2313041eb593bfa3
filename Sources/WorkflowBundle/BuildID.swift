#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The GNU build ID of an ELF executable: the `NT_GNU_BUILD_ID` note of a `PT_NOTE` segment, as
/// hex. Nil for anything else (another format, no such note, a file that cannot be read).
enum BuildID {
    static func read(_ path: String) -> String? {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        func bytes(at offset: Int, count: Int) -> [UInt8]? {
            guard offset >= 0, count >= 0, count <= 1 << 20 else { return nil }
            var buffer = [UInt8](repeating: 0, count: count)
            let got = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, count, off_t(offset)) }
            return got == count ? buffer : nil
        }
        func little(_ data: [UInt8], _ at: Int, _ width: Int) -> Int {
            (0..<width).reduce(0) { $0 | Int(data[at + $1]) << (8 * $1) }
        }
        // 64-bit little-endian ELF (x86-64 and arm64 Linux), the only form this tool is built in.
        guard let header = bytes(at: 0, count: 64), header.starts(with: [0x7f, 0x45, 0x4c, 0x46]),
              header[4] == 2, header[5] == 1 else { return nil }
        let tableOffset = little(header, 0x20, 8), entrySize = little(header, 0x36, 2), count = little(header, 0x38, 2)
        guard entrySize >= 56, count > 0, count < 256,
              let table = bytes(at: tableOffset, count: entrySize * count) else { return nil }
        for index in 0..<count {
            let entry = index * entrySize
            guard little(table, entry, 4) == 4 else { continue }  // PT_NOTE
            guard let notes = bytes(at: little(table, entry + 8, 8), count: min(little(table, entry + 32, 8), 1 << 16)) else { continue }
            var cursor = 0
            while cursor + 12 <= notes.count {
                let nameSize = little(notes, cursor, 4), descSize = little(notes, cursor + 4, 4), type = little(notes, cursor + 8, 4)
                let name = cursor + 12, desc = name + (nameSize + 3) & ~3
                let next = desc + (descSize + 3) & ~3
                guard next <= notes.count, next > cursor else { break }
                if type == 3, nameSize == 4, notes[name..<(name + 4)].elementsEqual([0x47, 0x4e, 0x55, 0]), descSize >= 8 {
                    let digits = Array("0123456789abcdef".utf8)
                    return String(decoding: notes[desc..<(desc + descSize)].flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 15)]] },
                                  as: UTF8.self)
                }
                cursor = next
            }
        }
        return nil
    }
}
