import GitShim
import GitFiles

/// What one push deploys: each workflow once, at the newest commit the push brings for it, in
/// commit order (ancestors before descendants), so of `v1.0.0`, `v1.9.0` and `v1.10.0` pushed
/// together the newest ends up live whatever the ref names sort to.
struct ReceivePlan {
    /// A pushed commit, with every deploy ref the push moved to it.
    struct Pushed {
        let commit: Commit
        let refs: [String]
        /// The commit's workflow directories, or why they could not be read.
        let workflows: Result<[String], Error>

        /// `refs/tags/v1.0.0 at 1a2b3c4d5e6f`: how lines name this commit.
        var at: String { "\(refs.joined(separator: ", ")) at \(commit.oid.short)" }
    }

    /// What happens to one workflow of one pushed commit.
    enum Step {
        case deploy(directory: String)
        /// A newer pushed commit deploys this workflow instead.
        case supersededBy(Pushed, directory: String)
        /// A newer pushed commit, descended from this one, no longer has the workflow.
        case removedBy(Pushed, directory: String)
    }

    /// The pushed commits, oldest first.
    let commits: [Pushed]
    /// For each commit (same order), its workflows' steps.
    let steps: [[Step]]

    /// `candidates` in push order; `isAncestor(a, b)` tells whether a is an ancestor of b.
    init(_ candidates: [(ref: String, commit: Commit)], workflows: (Commit) -> Result<[String], Error>,
         isAncestor: (Oid, Oid) -> Bool) {
        var refs = [Oid: [String]]()
        var unique = [Commit]()
        for candidate in candidates {
            if refs[candidate.commit.oid] == nil { unique.append(candidate.commit) }
            refs[candidate.commit.oid, default: []].append(candidate.ref)
        }
        let ordered = Self.commitOrder(unique, refs: refs, isAncestor: isAncestor)
        let commits = ordered.map { Pushed(commit: $0, refs: refs[$0.oid] ?? [], workflows: workflows($0)) }
        var steps = [[Step]]()
        for (index, pushed) in commits.enumerated() {
            let directories = (try? pushed.workflows.get()) ?? []
            steps.append(directories.map { directory in
                let later = commits[(index + 1)...]
                // The newest pushed commit that has the workflow deploys it (a descendant that
                // cannot be read reports its own problem, and nothing older deploys instead) …
                if let newer = later.last(where: { later in
                    switch later.workflows {
                    case .success(let directories): return directories.contains(directory)
                    case .failure: return isAncestor(pushed.commit.oid, later.commit.oid)
                    }
                }) {
                    return .supersededBy(newer, directory: directory)
                }
                // … unless a descendant pushed with it dropped the workflow.
                if let removing = later.last(where: { isAncestor(pushed.commit.oid, $0.commit.oid) && (try? $0.workflows.get()) != nil }) {
                    return .removedBy(removing, directory: directory)
                }
                return .deploy(directory: directory)
            })
        }
        self.commits = commits
        self.steps = steps
    }

    /// Ancestors before descendants (a topological order, so a commit never deploys after one it
    /// descends from); commits unrelated by ancestry by committer time, then by ref name.
    static func commitOrder(_ commits: [Commit], refs: [Oid: [String]], isAncestor: (Oid, Oid) -> Bool) -> [Commit] {
        func earlier(_ a: Commit, _ b: Commit) -> Bool {
            if a.committerTime != b.committerTime { return a.committerTime < b.committerTime }
            return (refs[a.oid]?.first ?? "") < (refs[b.oid]?.first ?? "")
        }
        var remaining = commits
        var result = [Commit]()
        while !remaining.isEmpty {
            // The earliest commit none of the remaining ones is an ancestor of.
            let ready = remaining.filter { candidate in
                !remaining.contains { $0.oid != candidate.oid && isAncestor($0.oid, candidate.oid) }
            }
            guard let next = ready.min(by: earlier) else { break }
            result.append(next)
            remaining.removeAll { $0.oid == next.oid }
        }
        return result
    }
}
