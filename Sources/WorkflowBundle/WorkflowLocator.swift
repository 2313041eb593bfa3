import GitFiles

/// Finds the workflow directories of a snapshot (Deploy adds `select`, which picks the one a command means).
public enum WorkflowLocator {
    /// Every directory ("" for the root) whose tree holds a workflow.yaml, sorted.
    public static func discover(in snapshot: Snapshot) throws -> [String] {
        try snapshot.directories(containing: BundleRules.specFileName)
    }

    /// The workflows nested inside `directory`, which its own bundle leaves out.
    public static func nested(in all: [String], under directory: String) -> [String] {
        all.filter { $0 != directory && (directory.isEmpty || $0.hasPrefix(directory + "/")) }
    }

    /// "." for the root, the path otherwise.
    public static func display(_ directory: String) -> String { directory.isEmpty ? "." : directory }

    /// Collapses `.`, empty components and trailing slashes: "./a//b/" → "a/b", "." → "".
    public static func normalise(_ path: String) -> String {
        var parts = [Substring]()
        for part in path.split(separator: "/") where part != "." {
            if part == "..", !parts.isEmpty { parts.removeLast() } else { parts.append(part) }
        }
        return parts.joined(separator: "/")
    }
}
