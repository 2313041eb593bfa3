import CLibGit2
import GitFiles
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// libgit2's global state is set up once per process, on first use.
enum LibGit2 {
    private static let initialised: Bool = {
        git_libgit2_init()
        // libgit2 1.5 refuses to open a repository with any extension it does not know; these
        // (the list the hooks' fast path also goes by) change nothing for this tool.
        let copies = StagedChange.extensionsGitShimEnables.map { strdup($0) }
        var pointers: [UnsafePointer<CChar>?] = copies.map { UnsafePointer($0) }
        _ = pipedreamer_git_set_extensions(&pointers, pointers.count)
        copies.forEach { free($0) }  // libgit2 keeps copies of its own
        return true
    }()

    static func ensureInitialised() {
        _ = initialised
    }

    /// Inside a git hook, git has already checked that the repository is safe to use (its
    /// `safe.directory` rules, which libgit2 1.5 reads only from the global file and not from
    /// `git -c` or GIT_CONFIG_GLOBAL): libgit2's own ownership check would only refuse a
    /// repository git accepted.
    static func trustGitsOwnershipCheck() {
        ensureInitialised()
        _ = pipedreamer_git_set_owner_validation(0)
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
