/// A failure of render, check or deploy, with a message that says what to do.
public struct DeployError: Error, CustomStringConvertible, Sendable, Equatable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
