/// Repository paths as they may be shown on a terminal: git's `core.quotePath` quoting (quote.c
/// `quote_c_style`), so a file name cannot move the cursor, erase a line or ring the bell.
///
/// A path holding a C0 control, DEL, `"` or `\` is printed in double quotes with C escapes
/// (`\t \n \r \a \b \f \v \\ \"`, octal `\033` for the rest). Valid non-ASCII UTF-8 is printed as
/// it is, as with `core.quotePath=false`; C1 controls (U+0080–U+009F, which terminals also obey)
/// and bytes that are not UTF-8 are escaped in octal too. Any other path is printed unchanged.
/// JSON output keeps raw paths: its encoder escapes control characters itself.
public enum PathQuoting {
    /// `path` ready for a message or an output line.
    public static func quoted(_ path: String) -> String { quoted(bytes: Array(path.utf8)) }

    /// A path stored as bytes (a tree entry's name may not be UTF-8), ready for a message.
    public static func quoted(bytes: [UInt8]) -> String {
        guard needsQuoting(bytes: bytes) else { return String(decoding: bytes, as: UTF8.self) }
        return "\"" + escaped(bytes, quote: UInt8(ascii: "\"")) + "\""
    }

    /// True when `quoted` would change `path`.
    public static func needsQuoting(_ path: String) -> Bool { needsQuoting(bytes: Array(path.utf8)) }

    /// True when `text` holds a character that must not reach a terminal raw (a control character
    /// or an invalid byte), as opposed to one quoted only for being `"` or `\`.
    public static func hasControls(_ text: String) -> Bool {
        var found = false
        scan(Array(text.utf8)) { piece, plain in
            if !plain && !(piece.count == 1 && (piece.first == UInt8(ascii: "\"") || piece.first == UInt8(ascii: "\\"))) { found = true }
        }
        return found
    }

    static func needsQuoting(bytes: [UInt8]) -> Bool {
        var needs = false
        scan(bytes) { _, plain in if !plain { needs = true } }
        return needs
    }

    /// The bytes with every character that must not reach a terminal raw written as a C escape;
    /// `quote` (the surrounding quote character) and `\` are escaped as well.
    package static func escaped(_ bytes: [UInt8], quote: UInt8) -> String {
        var out = [UInt8]()
        out.reserveCapacity(bytes.count + 8)
        scan(bytes) { piece, plain in
            if plain && !(piece.count == 1 && piece.first == quote) {
                out += piece
                return
            }
            for byte in piece {
                if let letter = cEscapes[byte] ?? (byte == quote ? quote : nil) {
                    out += [UInt8(ascii: "\\"), letter]
                } else {
                    out += [UInt8(ascii: "\\"), 0x30 + (byte >> 6), 0x30 + ((byte >> 3) & 7), 0x30 + (byte & 7)]
                }
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// quote.c's `cq_lookup`: the controls with a letter escape, and the two printable characters it escapes.
    private static let cEscapes: [UInt8: UInt8] = [
        0x07: UInt8(ascii: "a"), 0x08: UInt8(ascii: "b"), 0x09: UInt8(ascii: "t"), 0x0a: UInt8(ascii: "n"),
        0x0b: UInt8(ascii: "v"), 0x0c: UInt8(ascii: "f"), 0x0d: UInt8(ascii: "r"),
        UInt8(ascii: "\\"): UInt8(ascii: "\\"), UInt8(ascii: "\""): UInt8(ascii: "\""),
    ]

    /// Calls `body` with each character's bytes (or each invalid byte), and whether it may be printed as it is.
    private static func scan(_ bytes: [UInt8], _ body: (ArraySlice<UInt8>, Bool) -> Void) {
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var offset = 0
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded):
                let piece = bytes[offset..<(offset + encoded.count)]
                offset += encoded.count
                let scalar = Unicode.UTF8.decode(encoded).value
                let plain = scalar >= 0x20 && scalar != 0x7f && !(0x80...0x9f).contains(scalar)
                    && scalar != UInt32(UInt8(ascii: "\"")) && scalar != UInt32(UInt8(ascii: "\\"))
                body(piece, plain)
            case .error(let length):
                for index in offset..<(offset + length) { body(bytes[index...index], false) }
                offset += length
            case .emptyInput:
                return
            }
        }
    }
}
