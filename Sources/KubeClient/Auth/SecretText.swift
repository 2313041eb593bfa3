import Foundation

/// A credential (token, password, key bytes) that prints as `<redacted>` in descriptions,
/// string interpolation, `dump` and debugger output, so it cannot leak into errors or logs.
public struct SecretText: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The secret itself: only for the Authorization header or TLS identity.
    public let revealed: String

    public init(_ revealed: String) { self.revealed = revealed }

    public var description: String { "<redacted>" }
    public var debugDescription: String { "<redacted>" }
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}

/// Key material that prints as `<redacted>` like `SecretText`.
public struct SecretData: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public let revealed: Data

    public init(_ revealed: Data) { self.revealed = revealed }

    public var description: String { "<redacted \(revealed.count) bytes>" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}
