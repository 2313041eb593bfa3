import CLibGit2
import GitFiles

extension Repository {
    /// Names of local branches whose tip is `commit`, sorted.
    public func branches(pointingAt commit: Oid) throws -> [String] {
        var iterator: OpaquePointer?
        try GitError.check(git_branch_iterator_new(&iterator, pointer, GIT_BRANCH_LOCAL), "cannot list branches")
        defer { git_branch_iterator_free(iterator) }
        var result = [String]()
        var reference: OpaquePointer?
        var type = GIT_BRANCH_LOCAL
        while git_branch_next(&reference, &type, iterator) == 0 {
            defer { git_reference_free(reference) }
            guard let name = git_reference_name(reference).map({ String(cString: $0) }) else { continue }
            if peeledCommit(ofReference: name) == commit { result.append(String(name.dropFirst("refs/heads/".count))) }
        }
        git_error_clear()
        return result.sorted()
    }

    /// True when `ancestor` is reachable from `descendant` and is not `descendant` itself.
    public func isAncestor(_ ancestor: Oid, of descendant: Oid) -> Bool {
        var descendantRaw = descendant.raw
        var ancestorRaw = ancestor.raw
        let rc = git_graph_descendant_of(pointer, &descendantRaw, &ancestorRaw)
        if rc < 0 { git_error_clear() }
        return rc == 1
    }
}
