/// A kubeconfig, in-cluster or exec-plugin problem, with a message that names the file and
/// field and says what to do. Never carries a credential.
public struct KubeConfigError: Error, CustomStringConvertible, Sendable, Equatable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
