import CLibGit2
import GitFiles

/// A commit a revision resolved to.
public struct Commit: Hashable, Sendable {
    public let oid: Oid
    public let tree: Oid
    /// The first line of the commit message.
    public let summary: String
    /// The parent commits, first parent first; empty for a root commit.
    public let parents: [Oid]
    /// The committer's time, seconds since the epoch (as `git log --format=%ct`).
    public let committerTime: Int64
}

extension Repository {
    /// Resolves a revision the way `git rev-parse REV^{commit}` does: `HEAD`, full and short SHAs,
    /// branches, tags (annotated tags are peeled), `refs/...` names and `HEAD~2`-style expressions.
    ///
    /// Refuses an unborn HEAD, an unknown revision, a revision that names a tree or a blob, and a
    /// short name that is both a tag and a branch pointing at different commits.
    public func resolveCommit(_ revision: String) throws -> Commit {
        guard !revision.isEmpty else {
            throw GitError(.unknownRevision, "empty revision; name a commit, branch or tag (for example HEAD)")
        }
        let base = Repository.baseName(of: revision)
        if base == "HEAD" || base == "@", isHeadUnborn {
            let branch = headReferenceName.map { " (HEAD points to \($0), which does not exist yet)" } ?? ""
            throw GitError(.unbornHead, "the repository has no commits yet\(branch); commit first, then name a revision")
        }
        try refuseAmbiguousShortName(base)

        var object: OpaquePointer?
        let rc = git_revparse_single(&object, pointer, revision)
        if rc == GIT_ENOTFOUND.rawValue || rc == GIT_EINVALIDSPEC.rawValue {
            git_error_clear()
            throw GitError(.unknownRevision,
                           "unknown revision '\(revision)': not a commit, branch or tag in this repository (see `git log --oneline`, `git tag`)")
        }
        if rc == GIT_EAMBIGUOUS.rawValue {
            git_error_clear()
            throw GitError(.ambiguousRevision,
                           "revision '\(revision)' is ambiguous: several objects start with it; give more characters of the SHA")
        }
        try GitError.check(rc, "cannot resolve revision '\(revision)'")
        defer { git_object_free(object) }

        let type = git_object_type(object)
        if type == GIT_OBJECT_TREE || type == GIT_OBJECT_BLOB {
            throw GitError(.notACommit,
                           "revision '\(revision)' names a \(type == GIT_OBJECT_TREE ? "tree" : "blob"), not a commit; name a commit, branch or tag")
        }
        var peeled: OpaquePointer?
        let peelRC = git_object_peel(&peeled, object, GIT_OBJECT_COMMIT)
        if peelRC < 0 {
            git_error_clear()
            throw GitError(.notACommit, "revision '\(revision)' is a tag that does not point to a commit; name a commit, branch or tag")
        }
        defer { git_object_free(peeled) }
        let oid = Oid(git_object_id(peeled).pointee)
        let commitPointer = peeled
        let tree = Oid(git_commit_tree_id(commitPointer).pointee)
        let summary = git_commit_summary(commitPointer).map { String(cString: $0) } ?? ""
        let parents = (0..<git_commit_parentcount(commitPointer)).compactMap { git_commit_parent_id(commitPointer, $0).map { Oid($0.pointee) } }
        let committerTime = Int64(git_commit_time(commitPointer))
        return Commit(oid: oid, tree: tree, summary: summary, parents: parents, committerTime: committerTime)
    }

    /// Names of tags that point (directly or through an annotated tag) at `commit`, sorted.
    public func tags(pointingAt commit: Oid) throws -> [String] {
        var names = git_strarray()
        try GitError.check(git_tag_list(&names, pointer), "cannot list tags")
        defer { git_strarray_dispose(&names) }
        var result = [String]()
        for index in 0..<names.count {
            let name = String(cString: names.strings[index]!)
            if let target = peeledCommit(ofReference: "refs/tags/\(name)"), target == commit { result.append(name) }
        }
        return result.sorted()
    }

    /// The commit a full reference name peels to, or nil when it does not exist or is not a commit.
    public func peeledCommit(ofReference name: String) -> Oid? {
        var ref: OpaquePointer?
        guard git_reference_lookup(&ref, pointer, name) == 0 else { git_error_clear(); return nil }
        defer { git_reference_free(ref) }
        var object: OpaquePointer?
        guard git_reference_peel(&object, ref, GIT_OBJECT_COMMIT) == 0 else { git_error_clear(); return nil }
        defer { git_object_free(object) }
        return Oid(git_object_id(object).pointee)
    }

    private func refuseAmbiguousShortName(_ name: String) throws {
        guard !name.isEmpty, !name.hasPrefix("refs/"), name != "HEAD" else { return }
        guard let tag = peeledCommit(ofReference: "refs/tags/\(name)"),
              let branch = peeledCommit(ofReference: "refs/heads/\(name)"),
              tag != branch
        else { return }
        throw GitError(.ambiguousRevision,
                       "revision '\(name)' is ambiguous: tag refs/tags/\(name) points to \(tag.short) but branch refs/heads/\(name) points to \(branch.short); name one of them in full (refs/tags/\(name) or refs/heads/\(name))")
    }

    /// The reference-like part of a revision expression: `v1~2` → `v1`, `main^{tree}` → `main`.
    static func baseName(of revision: String) -> String {
        var result = Substring(revision)
        if let index = result.firstIndex(where: { $0 == "~" || $0 == "^" || $0 == ":" }) {
            result = result[..<index]
        }
        if let at = result.firstIndex(of: "@"), result[at...].dropFirst().first == "{" { result = result[..<at] }
        return String(result)
    }
}
