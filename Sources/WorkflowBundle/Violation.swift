/// One reason a workflow's code cannot ship, with what to do about it.
public struct Violation: Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        case tooLarge = "too-large"
        /// Content fits, but the objects the API server would store do not (too many files).
        case tooManyFiles = "too-many-files"
        case binary
        case lfsPointer = "lfs-pointer"
        case symlink
        case submodule
        case secret
        case invalidUTF8 = "invalid-utf8"
        case invalidPath = "invalid-path"
        /// A tree entry git fsck refuses (`TreeFault`): `..`, `.git`, an empty name, a `/`, a duplicate.
        case brokenTree = "broken-tree"
        case spec
    }

    public let kind: Kind
    /// The repository-relative path the violation is about, when there is one.
    public let path: String?
    public let message: String
    /// One line on how to fix it.
    public let fix: String

    public init(_ kind: Kind, path: String?, message: String, fix: String) {
        self.kind = kind
        self.path = path
        self.message = message
        self.fix = fix
    }

    public var description: String { message }
}
