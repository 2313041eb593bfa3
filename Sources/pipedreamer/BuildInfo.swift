/// What this binary was built from. `install.sh` writes the git-ignored
/// `Sources/pipedreamer/BuildCommit.generated.swift` (with `scripts/write-build-commit.sh`) and
/// builds with `-Xswiftc -DPIPEDREAMER_BUILD_COMMIT`; any other build (`swift build`, the tests)
/// does not compile that file's contents, so its commit is "unknown" rather than a guess. Nothing
/// is read from a working copy at run time.
enum BuildInfo {
    /// The release version, written here alone: `scripts/version.sh`, the Debian package and the
    /// container image's tag all read it from this line.
    static let release = "0.1.0"

    /// The release version, with `+dirty` when the build's checkout had changes no commit holds.
    static var version: String { commit.hasSuffix("-dirty") ? release + "+dirty" : release }

    /// The full SHA of the commit built, `-dirty` appended when tracked files differed from it.
    static var commit: String {
        #if PIPEDREAMER_BUILD_COMMIT
        return generatedBuildCommit
        #else
        return "unknown"
        #endif
    }
}
