import CLibGit2
import GitFiles

/// libgit2's global state is set up once per process, on first use.
enum LibGit2 {
    private static let initialised: Bool = {
        git_libgit2_init()
        return true
    }()

    static func ensureInitialised() {
        _ = initialised
    }
}

/// The libgit2 this process is linked with.
public enum LibGit2Version {
    /// `major.minor.revision`, as libgit2 reports it at run time (`git_libgit2_version`).
    public static var current: String {
        var major: Int32 = 0, minor: Int32 = 0, revision: Int32 = 0
        git_libgit2_version(&major, &minor, &revision)
        return "\(major).\(minor).\(revision)"
    }
}
