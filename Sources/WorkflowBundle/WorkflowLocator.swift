import GitFiles

/// Finds the workflow directories of a snapshot (Deploy adds `select`, which picks the one a command means).
public enum WorkflowLocator {
    /// Every directory ("" for the root) whose tree holds a workflow.yaml, sorted. Throws when one
    /// is reached through a tree entry git fsck refuses (`TreeNames`): a workflow named `..` is
    /// never handed to a command.
    public static func discover(in snapshot: Snapshot) throws -> [String] {
        let found = try snapshot.directories(containing: BundleRules.specFileName)
        try TreeNames.requireCleanWorkflowDirectories(found, in: snapshot.label)
        return found
    }

    /// The workflows nested inside `directory`, which its own bundle leaves out.
    public static func nested(in all: [String], under directory: String) -> [String] {
        all.filter { $0 != directory && (directory.isEmpty || $0.hasPrefix(directory + "/")) }
    }

    /// "." for the root, the path otherwise: raw, for JSON and for comparisons.
    public static func display(_ directory: String) -> String { directory.isEmpty ? "." : directory }

    /// `display`, quoted for a message or an output line as git quotes paths (`PathQuoting`).
    public static func shown(_ directory: String) -> String { PathQuoting.quoted(display(directory)) }

    /// Collapses `.`, empty components and trailing slashes: "./a//b/" → "a/b", "." → "".
    public static func normalise(_ path: String) -> String {
        var parts = [Substring]()
        for part in path.split(separator: "/") where part != "." {
            if part == "..", !parts.isEmpty { parts.removeLast() } else { parts.append(part) }
        }
        return parts.joined(separator: "/")
    }
}
