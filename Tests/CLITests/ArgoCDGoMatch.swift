/// Go's `path/filepath.Match` on Unix (go src/path/filepath/match.go, Go 1.16 and later: a
/// pattern is checked for syntax to its end even once the match has failed), which Argo CD uses
/// for `reposerver.plugin.tar.exclusions` on each relative path and for `--local-include` on
/// each file's base name (argo-cd util/io/files/tar.go `tgzFile`).
enum GoFilepath {
    struct BadPattern: Error, Equatable {}

    /// Whether `name` matches `pattern` in full; `*` and `?` never match `/`.
    static func match(_ pattern: String, _ name: String) throws(BadPattern) -> Bool {
        var pattern = Array(pattern.utf8)[...]
        var name = Array(name.utf8)[...]
        chunks: while !pattern.isEmpty {
            let (star, chunk, rest) = scanChunk(pattern)
            pattern = rest
            if star && chunk.isEmpty { return !name.contains(slash) }
            let (tail, ok) = try matchChunk(chunk, name)
            if ok && (tail.isEmpty || !pattern.isEmpty) {
                name = tail
                continue
            }
            if star {
                var i = name.startIndex
                while i < name.endIndex && name[i] != slash {
                    let (tail, ok) = try matchChunk(chunk, name[(i + 1)...])
                    if ok {
                        if pattern.isEmpty && !tail.isEmpty { i += 1; continue }
                        name = tail
                        continue chunks
                    }
                    i += 1
                }
            }
            // Before returning false, check that the rest of the pattern is well formed.
            while !pattern.isEmpty {
                let (_, chunk, rest) = scanChunk(pattern)
                pattern = rest
                _ = try matchChunk(chunk, [][...])
            }
            return false
        }
        return name.isEmpty
    }

    private static let slash = UInt8(ascii: "/")
    private typealias Bytes = ArraySlice<UInt8>

    /// The next run of single-character operators, possibly preceded by stars.
    private static func scanChunk(_ pattern: Bytes) -> (star: Bool, chunk: Bytes, rest: Bytes) {
        var pattern = pattern
        var star = false
        while pattern.first == UInt8(ascii: "*") { pattern = pattern.dropFirst(); star = true }
        var inRange = false
        var i = pattern.startIndex
        scan: while i < pattern.endIndex {
            switch pattern[i] {
            case UInt8(ascii: "\\"): if i + 1 < pattern.endIndex { i += 1 }
            case UInt8(ascii: "["): inRange = true
            case UInt8(ascii: "]"): inRange = false
            case UInt8(ascii: "*"): if !inRange { break scan }
            default: break
            }
            i += 1
        }
        return (star, pattern[..<i], pattern[i...])
    }

    /// Whether `chunk` matches the start of `s`, and what of `s` is left.
    private static func matchChunk(_ chunk: Bytes, _ s: Bytes) throws(BadPattern) -> (rest: Bytes, ok: Bool) {
        var chunk = chunk, s = s
        var failed = false
        while let first = chunk.first {
            if !failed && s.isEmpty { failed = true }
            switch first {
            case UInt8(ascii: "["):
                var r: UInt32 = 0
                if !failed { let (scalar, n) = decodeRune(s); r = scalar; s = s.dropFirst(n) }
                chunk = chunk.dropFirst()
                var negated = false
                if chunk.first == UInt8(ascii: "^") { negated = true; chunk = chunk.dropFirst() }
                var matched = false
                var ranges = 0
                while true {
                    if chunk.first == UInt8(ascii: "]") && ranges > 0 { chunk = chunk.dropFirst(); break }
                    let (lo, afterLo) = try escapedRune(chunk)
                    chunk = afterLo
                    var hi = lo
                    if chunk.first == UInt8(ascii: "-") {
                        let (high, afterHi) = try escapedRune(chunk.dropFirst())
                        hi = high
                        chunk = afterHi
                    }
                    if lo <= r && r <= hi { matched = true }
                    ranges += 1
                }
                if matched == negated { failed = true }
            case UInt8(ascii: "?"):
                if !failed {
                    if s.first == slash { failed = true }
                    s = s.dropFirst(decodeRune(s).width)
                }
                chunk = chunk.dropFirst()
            default:
                if first == UInt8(ascii: "\\") {
                    chunk = chunk.dropFirst()
                    if chunk.isEmpty { throw BadPattern() }
                }
                if !failed {
                    if chunk.first != s.first { failed = true }
                    s = s.dropFirst()
                }
                chunk = chunk.dropFirst()
            }
        }
        return failed ? ([][...], false) : (s, true)
    }

    /// Go's `getEsc`: a possibly escaped character of a class, which must not end the pattern.
    private static func escapedRune(_ chunk: Bytes) throws(BadPattern) -> (UInt32, Bytes) {
        var chunk = chunk
        guard let first = chunk.first, first != UInt8(ascii: "-"), first != UInt8(ascii: "]") else { throw BadPattern() }
        if first == UInt8(ascii: "\\") {
            chunk = chunk.dropFirst()
            if chunk.isEmpty { throw BadPattern() }
        }
        let (r, n) = decodeRune(chunk)
        if r == 0xFFFD && n == 1 { throw BadPattern() }
        let rest = chunk.dropFirst(n)
        if rest.isEmpty { throw BadPattern() }
        return (r, rest)
    }

    /// Go's `utf8.DecodeRuneInString`: an invalid or truncated sequence is U+FFFD of width 1.
    private static func decodeRune(_ s: Bytes) -> (scalar: UInt32, width: Int) {
        guard let lead = s.first else { return (0xFFFD, 0) }
        if lead < 0x80 { return (UInt32(lead), 1) }
        let width = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC2 ? 2 : 0
        guard width > 0, s.count >= width else { return (0xFFFD, 1) }
        var decoder = UTF8()
        var iterator = s.prefix(width).makeIterator()
        if case .scalarValue(let scalar) = decoder.decode(&iterator) { return (scalar.value, width) }
        return (0xFFFD, 1)
    }
}
