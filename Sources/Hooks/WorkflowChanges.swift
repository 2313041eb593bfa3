import Deploy
import GitShim
import GitFiles
import WorkflowBundle

/// Which workflow directories a change touches, found without reading the rest of the repository.
enum WorkflowChanges {
    /// Workflow directories of the index whose content differs from HEAD: an entry under the
    /// directory (nested workflows aside) added, removed or changed in content or mode, or a
    /// `.gitattributes` above it changed. Without HEAD (the first commit) every one is touched.
    static func staged(index: IndexSnapshot, head: CommitSnapshot?, workflows all: [String]) throws -> [String] {
        guard let head else { return all }
        return try all.filter { directory in
            let nested = WorkflowLocator.nested(in: all, under: directory).map { $0 + "/" }
            let outside = { (entry: SnapshotEntry) in !nested.contains { entry.path.hasPrefix($0) } }
            let staged = index.unsizedEntries(under: directory).filter(outside)
            let committed = try head.unsizedEntries(under: directory).filter(outside)
            if staged.map(Fingerprint.init) != committed.map(Fingerprint.init) { return true }
            for path in attributeFiles(above: directory) where try index.entry(at: path)?.oid != head.unsizedEntry(at: path)?.oid {
                return true
            }
            return false
        }
    }

    /// Workflow directories of `commit` whose content differs from every one of its parents
    /// (a merge that keeps one side's workflow unchanged touches nothing there). A root commit touches all.
    static func committed(_ snapshot: CommitSnapshot, repository: Repository) throws -> [String] {
        let parents = snapshot.commit.parents
        guard !parents.isEmpty else { return try WorkflowLocator.discover(in: snapshot) }
        var touched: Set<String>?
        for parent in parents {
            let parentCommit = try repository.resolveCommit(parent.hex)
            let changed = try repository.changedPaths(from: parentCommit.tree, to: snapshot.commit.tree)
            let here = try workflows(touchedBy: changed, in: snapshot)
            touched = touched.map { $0.intersection(here) } ?? here
            if touched?.isEmpty == true { break }
        }
        return (touched ?? []).sorted()
    }

    /// The workflows of `snapshot` that the changed `paths` belong to, each workflow directory
    /// looked up once, so a commit in a large repository reads only the trees on its paths.
    private static func workflows(touchedBy paths: [String], in snapshot: CommitSnapshot) throws -> Set<String> {
        var isWorkflow = [String: Bool]()
        return try holding(paths, isWorkflow: { directory in
            if let known = isWorkflow[directory] { return known }
            let entry = try snapshot.unsizedEntry(at: joinPath(directory, BundleRules.specFileName))
            let result = entry != nil && entry?.kind != .submodule
            isWorkflow[directory] = result
            return result
        }, workflowsAtOrBelow: { try snapshot.directories(containing: BundleRules.specFileName, under: $0) })
    }

    /// The workflows of `all` that hold `paths` (repository-relative, as the pre-commit framework
    /// passes them).
    static func holding(_ paths: [String], workflows all: [String]) -> Set<String> {
        let known = Set(all)
        return holding(paths, isWorkflow: { known.contains($0) }, workflowsAtOrBelow: { directory in
            all.filter { directory.isEmpty || $0 == directory || $0.hasPrefix(directory + "/") }
        })
    }

    /// The one rule for which workflows a set of changed paths touches, whatever holds the list of
    /// workflows: each path belongs to its deepest enclosing workflow directory; a workflow.yaml
    /// also touches the workflows around it (nesting), and a .gitattributes every workflow at or
    /// below its directory.
    static func holding(_ paths: [String], isWorkflow: (String) throws -> Bool,
                        workflowsAtOrBelow: (String) throws -> [String]) rethrows -> Set<String> {
        var result = Set<String>()
        for raw in paths {
            let path = WorkflowLocator.normalise(raw)
            let enclosing = try ancestorDirectories(of: path).filter(isWorkflow)
            let name = path.split(separator: "/").last.map(String.init) ?? path
            if name == BundleRules.specFileName {
                result.formUnion(enclosing)
            } else if let deepest = enclosing.last {
                result.insert(deepest)
            }
            if name == ".gitattributes" {
                result.formUnion(try workflowsAtOrBelow(String(path.dropLast(name.count)).trimmingTrailingSlash))
            }
        }
        return result
    }

    /// What identifies a directory's state for re-checking: its tree and the .gitattributes above it.
    static func stateKey(of directory: String, in snapshot: CommitSnapshot) throws -> [String] {
        var key = [directory, try snapshot.treeID(at: directory)?.hex ?? "-"]
        for path in attributeFiles(above: directory) { key.append(try snapshot.unsizedEntry(at: path)?.oid.hex ?? "-") }
        return key
    }

    /// An entry as a tree records it: path, kind and content id.
    private struct Fingerprint: Equatable {
        let path: String
        let kind: EntryKind
        let oid: Oid
        init(_ entry: SnapshotEntry) {
            path = entry.path
            kind = entry.kind
            oid = entry.oid
        }
    }
}

extension String {
    var trimmingTrailingSlash: String { hasSuffix("/") ? String(dropLast()) : self }
}
