/// A failure of a hook or of hook installation, with a message that says what to do.
public struct HookError: Error, CustomStringConvertible, Sendable, Equatable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
