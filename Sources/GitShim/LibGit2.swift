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
