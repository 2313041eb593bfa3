/// The encoding of a bundled file's relative path into a ConfigMap data key.
///
/// ConfigMap keys must match `[-._a-zA-Z0-9]+`, be at most 253 characters and not be `.` or `..`,
/// so `nodes/fetch.ts` cannot be a key. Each byte of the path's UTF-8 form becomes:
///
/// - itself, for `A-Z a-z 0-9 - .`;
/// - `__` for `/`;
/// - `_HH` (two uppercase hex digits) for every other byte, `_` itself included (`_5F`).
///
/// `nodes/fetch.ts` → `nodes__fetch.ts`, `nodes/my_node.ts` → `nodes__my_5Fnode.ts`,
/// `nodes/é.ts` → `nodes___C3_A9.ts`. The escapes are prefix-free (after `_` comes either `_`
/// or a hex digit), so `decode` inverts `encode` and two paths never share a key.
public enum ConfigMapKey {
    public static let maxLength = 253

    public enum Failure: Error, Equatable, Sendable {
        case empty
        case tooLong(key: String, length: Int)
        case dotName
    }

    public static func encode(_ path: String) throws(Failure) -> String {
        guard !path.isEmpty else { throw .empty }
        var key = ""
        key.reserveCapacity(path.utf8.count)
        for byte in path.utf8 {
            if isPlain(byte) {
                key.unicodeScalars.append(Unicode.Scalar(byte))
            } else if byte == UInt8(ascii: "/") {
                key += "__"
            } else {
                key += "_" + hexDigits(byte)
            }
        }
        guard key != ".", key != ".." else { throw .dotName }
        guard key.utf8.count <= maxLength else { throw .tooLong(key: key, length: key.utf8.count) }
        return key
    }

    /// The path a key was encoded from, or nil when `key` is not an encoding's output.
    public static func decode(_ key: String) -> String? {
        var bytes = [UInt8]()
        var iterator = Array(key.utf8).makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "_") else {
                guard isPlain(byte) else { return nil }
                bytes.append(byte)
                continue
            }
            guard let first = iterator.next() else { return nil }
            if first == UInt8(ascii: "_") {
                bytes.append(UInt8(ascii: "/"))
                continue
            }
            guard let second = iterator.next(), let high = hexValue(first), let low = hexValue(second) else { return nil }
            let decoded = high << 4 | low
            // A byte that encodes as itself or as `__` must not also decode from an escape.
            guard !isPlain(decoded), decoded != UInt8(ascii: "/") else { return nil }
            bytes.append(decoded)
        }
        return String(validating: bytes, as: UTF8.self)
    }

    /// True when `key` is accepted by the API server's ConfigMap key validation.
    public static func isValidKey(_ key: String) -> Bool {
        !key.isEmpty && key.utf8.count <= maxLength && key != "." && key != ".."
            && key.utf8.allSatisfy { isPlain($0) || $0 == UInt8(ascii: "_") }
    }

    private static func isPlain(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."):
            return true
        default:
            return false
        }
    }

    private static func hexDigits(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0xF)]])
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
