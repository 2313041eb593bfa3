/// A git object id (SHA-1), carried as its 40-character lowercase hex form.
public struct Oid: Hashable, Comparable, CustomStringConvertible, Sendable {
    public let hex: String

    public init?(hex: String) {
        guard hex.utf8.count == 40, hex.utf8.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) })
        else { return nil }
        self.hex = hex
    }

    /// The abbreviated form used in messages.
    public var short: String { String(hex.prefix(12)) }

    public var description: String { hex }

    public static func < (lhs: Oid, rhs: Oid) -> Bool { lhs.hex < rhs.hex }
}

extension Oid {
    package init(rawBytes: ArraySlice<UInt8>) {
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

extension Oid {
    /// The id's 20 bytes.
    package var rawBytes: [UInt8] {
        func nibble(_ c: UInt8) -> UInt8 { c <= 57 ? c - 48 : c - 87 }
        let digits = Array(hex.utf8)
        return stride(from: 0, to: digits.count, by: 2).map { nibble(digits[$0]) << 4 | nibble(digits[$0 + 1]) }
    }
}
