import GitShim
import GitFiles
import WorkflowBundle

extension WorkflowLocator {
    /// The workflow directory to use: `requested` (repository-relative) when given; otherwise the
    /// only one, or the deepest one containing `currentDirectory` (repository-relative, nil outside
    /// the working tree).
    public static func select(in snapshot: Snapshot, requested: String?, currentDirectory: String?) throws -> String {
        let all = try discover(in: snapshot)
        if let requested {
            let wanted = normalise(requested)
            guard all.contains(wanted) else {
                throw DeployError("no workflow.yaml in \(shown(wanted)) at \(snapshot.label)"
                                  + (all.isEmpty ? "" : "; workflows there: \(all.map(shown).joined(separator: ", "))"))
            }
            return wanted
        }
        if all.isEmpty {
            throw DeployError("no workflow.yaml found in \(snapshot.label); add one, or name a revision that has it")
        }
        if all.count == 1 { return all[0] }
        if let here = currentDirectory.map(normalise),
           let containing = all.filter({ $0.isEmpty || here == $0 || here.hasPrefix($0 + "/") }).max(by: { $0.count < $1.count }) {
            return containing
        }
        throw DeployError("\(snapshot.label) holds several workflows (\(all.map(shown).joined(separator: ", "))); choose one with -w DIR")
    }
}
