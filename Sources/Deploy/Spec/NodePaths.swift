import WorkflowBundle
extension WorkflowSpec {
    /// Checks node paths against the files of the workflow directory in the commit (or index):
    /// `allPaths` holds every file path relative to the workflow directory, `bundledPaths` the
    /// ones the code bundle ships. A node whose file is missing, or present but not shipped,
    /// would fail only once running in the cluster; this makes it fail at commit or deploy time.
    public func checkNodePaths(allPaths: Set<String>, bundledPaths: Set<String>, file: String) -> [SpecError] {
        // Compared as bytes, as the engine's file system compares them: String equality would take
        // `café.ts` spelt NFC in workflow.yaml for the NFD file beside it, which the pod cannot open.
        let all = Set(allPaths.map { Array($0.utf8) })
        let bundled = Set(bundledPaths.map { Array($0.utf8) })
        return nodes.compactMap { node in
            let path = Self.normalized(node.path)
            let bytes = Array(path.utf8)
            let problem: String
            if bundled.contains(bytes) {
                return nil
            } else if all.contains(bytes) {
                problem = "'\(node.path)' would not be shipped: \(Self.whyNotBundled(path))"
            } else if all.contains(where: { $0.starts(with: bytes + [UInt8(ascii: "/")]) }) {
                problem = "'\(node.path)' is a directory; a node is a single file"
            } else {
                problem = "'\(node.path)' does not exist in the commit"
            }
            return SpecError(file: file, field: "nodes.\(node.id)", line: node.line, message: problem)
        }
    }

    /// `./nodes//a.ts` names the same file as `nodes/a.ts`.
    static func normalized(_ path: String) -> String {
        path.split(separator: "/").filter { $0 != "." }.joined(separator: "/")
    }

    /// Explains the bundle rule for a file the bundle left out; the bundle itself decides what ships.
    static func whyNotBundled(_ path: String) -> String {
        BundleRules.exclusionReason(path)
    }
}
