/// A split index (`core.splitIndex`): the index file holds only what changed since its shared
/// index (`sharedindex.<id>`), and its `link` extension says which shared entries are deleted and
/// which are replaced, as two EWAH bitmaps. Merged as git's `merge_base_index` does.
package enum SplitIndex {
    package static func merge(split: IndexFile, shared: IndexFile, link: [UInt8]) throws -> IndexFile {
        var deleted = Set<Int>()
        var replaced = [Int]()
        if !link.isEmpty {
            var cursor = 0
            deleted = Set(try EWAHBitmap(link, at: &cursor).setBits())
            replaced = try EWAHBitmap(link, at: &cursor).setBits()
        }
        guard replaced.count <= split.entries.count else {
            throw IndexFile.Failure.malformed("the link extension replaces more entries than the index holds")
        }
        var replacement = [Int: Int]()
        for (number, position) in replaced.enumerated() {
            guard position < shared.entries.count, !deleted.contains(position) else {
                throw IndexFile.Failure.malformed("the link extension names shared entry \(position) wrongly")
            }
            replacement[position] = number
        }
        var result = IndexFile()
        result.cacheTree = split.cacheTree
        for (position, entry) in shared.entries.enumerated() where !deleted.contains(position) {
            if let number = replacement[position] {
                // A replacement keeps the shared entry's path; its own is stored empty.
                result.append(split.entries[number], from: split, path: shared.path(of: entry))
            } else {
                result.append(entry, from: shared)
            }
        }
        let added = split.entries.dropFirst(replaced.count)
        guard !added.isEmpty else { return result }
        for entry in added {
            guard entry.pathLength > 0 else { throw IndexFile.Failure.malformed("an added split-index entry has no path") }
            result.append(entry, from: split)
        }
        // Added entries go in path order and take the place of a shared entry with the same path and stage.
        return result.sorted()
    }
}

/// git's EWAH-compressed bitmap as `ewah/ewah_io.c` writes it: the bit count, the number of
/// 64-bit words, the words, and the position of the last run-length word, all big-endian.
package struct EWAHBitmap {
    package let words: [UInt64]

    package init(_ bytes: [UInt8], at cursor: inout Int) throws {
        func word32() throws -> Int {
            guard cursor + 4 <= bytes.count else { throw IndexFile.Failure.malformed("truncated EWAH bitmap") }
            defer { cursor += 4 }
            return Int(bytes[cursor]) << 24 | Int(bytes[cursor + 1]) << 16 | Int(bytes[cursor + 2]) << 8 | Int(bytes[cursor + 3])
        }
        _ = try word32()  // the bit count
        let count = try word32()
        guard count >= 0, cursor + count * 8 <= bytes.count else { throw IndexFile.Failure.malformed("truncated EWAH bitmap") }
        var words = [UInt64]()
        words.reserveCapacity(count)
        for _ in 0..<count {
            var value: UInt64 = 0
            for byte in bytes[cursor..<(cursor + 8)] { value = value << 8 | UInt64(byte) }
            words.append(value)
            cursor += 8
        }
        _ = try word32()  // the last run-length word's position
        self.words = words
    }

    /// The positions of the set bits, ascending (as `ewah_each_bit` visits them).
    package func setBits() -> [Int] {
        var result = [Int]()
        var position = 0
        var pointer = 0
        while pointer < words.count {
            // A run-length word: bit 0 the run's bit, 32 bits of run length in words, 31 bits of literal word count.
            let marker = words[pointer]
            let run = Int((marker >> 1) & 0xFFFF_FFFF) * 64
            if marker & 1 != 0 { result.append(contentsOf: position..<(position + run)) }
            position += run
            pointer += 1
            let literals = Int(marker >> 33)
            for _ in 0..<literals where pointer < words.count {
                let literal = words[pointer]
                if literal != 0 {
                    for bit in 0..<64 where literal & (1 << UInt64(bit)) != 0 { result.append(position + bit) }
                }
                position += 64
                pointer += 1
            }
        }
        return result
    }
}
