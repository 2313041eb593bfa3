/// A failure reported by libgit2, or a refusal of the shim's own, with a message a user can act on.
public struct GitError: Error, CustomStringConvertible, Equatable, Sendable {
    public enum Reason: Equatable, Sendable {
        /// libgit2 returned `code`; `klass` is its `git_error_t` class.
        case libgit2(code: Int32, klass: Int32)
        case notARepository
        case unbornHead
        case unknownRevision
        case ambiguousRevision
        case notACommit
        case notFound
        case invalidPath
        /// An index file that is damaged, or in a form (split, sparse) that cannot be read.
        case invalidIndex
        /// A repository whose object names are not SHA-1 (SHA-256), which libgit2 1.5 cannot read.
        case unsupportedObjectFormat
    }

    public let reason: Reason
    public let message: String

    public init(_ reason: Reason, _ message: String) {
        self.reason = reason
        self.message = message
    }

    public var description: String { message }

    /// libgit2's own error code, when the failure came from libgit2.
    public var code: Int32? {
        if case .libgit2(let code, _) = reason { return code }
        return nil
    }
}
