import CLibGit2
import GitFiles

extension Repository {
    /// Commits reachable from `tip` but from none of `excluded` nor any reference matching
    /// `excludedReferences` (a glob such as `refs/remotes/origin/*`), oldest first: what
    /// `git rev-list --topo-order --reverse TIP --not EXCLUDED... --glob=GLOB` lists.
    public func commits(reachableFrom tip: Oid, excluding excluded: [Oid] = [],
                        excludingReferences glob: String? = nil) throws -> [Oid] {
        try commits(reachableFrom: tip, excluding: excluded, excludingReferencesMatching: glob.map { [$0] } ?? [])
    }

    /// The same with any number of globs, each like `git rev-list --glob=GLOB`.
    public func commits(reachableFrom tip: Oid, excluding excluded: [Oid] = [],
                        excludingReferencesMatching globs: [String]) throws -> [Oid] {
        var raw: OpaquePointer?
        try GitError.check(git_revwalk_new(&raw, pointer), "cannot walk the history")
        let walk = raw!
        defer { git_revwalk_free(walk) }
        git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL.rawValue | GIT_SORT_REVERSE.rawValue)
        var tipRaw = tip.raw
        try GitError.check(git_revwalk_push(walk, &tipRaw), "cannot walk the history of \(tip.short)")
        for oid in excluded where contains(oid) {
            var hidden = oid.raw
            try GitError.check(git_revwalk_hide(walk, &hidden), "cannot leave out \(oid.short)")
        }
        for glob in globs {
            let rc = git_revwalk_hide_glob(walk, glob)
            if rc < 0 { git_error_clear() }
        }
        var result = [Oid]()
        var next = git_oid()
        while true {
            let rc = git_revwalk_next(&next, walk)
            if rc == GIT_ITEROVER.rawValue { break }
            try GitError.check(rc, "cannot walk the history of \(tip.short)")
            result.append(Oid(next))
        }
        return result
    }

    /// Paths of files that differ between two trees (added, deleted or modified, modes included);
    /// a nil `old` is the empty tree. Identical subtrees are skipped without being read.
    public func changedPaths(from old: Oid?, to new: Oid) throws -> [String] {
        let oldTree = try old.map { try Tree(repository: self, oid: $0) }
        let newTree = try Tree(repository: self, oid: new)
        var raw: OpaquePointer?
        try GitError.check(git_diff_tree_to_tree(&raw, pointer, oldTree?.pointer, newTree.pointer, nil),
                           "cannot compare trees \(old?.short ?? "(empty)") and \(new.short)")
        defer { git_diff_free(raw) }
        var result = Set<String>()
        for index in 0..<git_diff_num_deltas(raw) {
            guard let delta = git_diff_get_delta(raw, index)?.pointee else { continue }
            if let path = delta.new_file.path { result.insert(String(cString: path)) }
            if let path = delta.old_file.path { result.insert(String(cString: path)) }
        }
        return result.sorted()
    }
}
