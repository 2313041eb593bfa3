import GitShim
import GitFiles
import WorkflowBundle

/// A workflow's bundle and spec, checked together: the one rule set shared by the hooks,
/// `check`, `render` and `deploy`.
public struct WorkflowCheck: Sendable {
    public let directory: String
    public let bundle: CodeBundle
    /// The parsed spec, when workflow.yaml parsed and validated.
    public let spec: WorkflowSpec?
    /// Bundle violations first, then spec errors (and, when strict, the spec's warnings).
    public let violations: [Violation]
    /// Unknown keys in workflow.yaml, when not strict: printed on standard error, never failing.
    public let warnings: [SpecError]
    /// workflow.yaml's blob and the node files it names (normalised), when it parsed with no error
    /// and no warning: what `SpecVerdictCache` records for the pre-commit fast path.
    public let cleanSpec: (blob: Oid, nodePaths: [String])?
    /// workflow.yaml's `name` as written, when the file parses and the field is a string, errors or not.
    public let writtenName: String?

    public var isValid: Bool { violations.isEmpty }

    /// The name results are keyed by: the spec's, else workflow.yaml's `name` as written, else the
    /// directory's last component (nil for a workflow at the repository root whose name cannot be read).
    public var reportedName: String? {
        spec?.name ?? writtenName ?? directory.split(separator: "/").last.map(String.init)
    }

    /// `note: …` lines for `check`: the files under nodes/ that do not ship.
    public var notes: [String] {
        guard !bundle.unshippedUnderNodes.isEmpty else { return [] }
        let shown = bundle.unshippedUnderNodes.prefix(10).map { PathQuoting.quoted($0) }.joined(separator: ", ")
        let more = bundle.unshippedUnderNodes.count > 10 ? " and \(bundle.unshippedUnderNodes.count - 10) more" : ""
        return ["\(bundle.unshippedUnderNodes.count) file\(bundle.unshippedUnderNodes.count == 1 ? "" : "s") under nodes/ "
            + "not shipped (only .ts, .json, .yaml and .yml ship): \(shown)\(more)"]
    }

    /// Checks the workflow in `directory` of `snapshot`; `all` lists every workflow directory of the
    /// snapshot, so nested workflows are left out of this one's bundle. `strict` makes warnings errors.
    public static func run(snapshot: Snapshot, directory: String, all: [String],
                           limit: Int = BundleRules.defaultMaxBytes, strict: Bool = false) throws -> WorkflowCheck {
        let bundle = try CodeBundle.build(from: snapshot, directory: directory, limit: limit,
                                          excluding: WorkflowLocator.nested(in: all, under: directory))
        var violations = bundle.violations
        var warnings: [SpecError] = []
        var spec: WorkflowSpec?
        var cleanSpec: (blob: Oid, nodePaths: [String])?
        var writtenName: String?
        let specPath = joinPath(directory, BundleRules.specFileName)
        if let entry = try snapshot.entry(at: specPath), bundle.allPaths.contains(BundleRules.specFileName),
           !bundle.violations.contains(where: { $0.path == specPath }) {
            if entry.size > limit { violations.append(tooLargeViolation(specPath, size: entry.size, limit: limit)) }
            if let text = try specText(entry, bundle: bundle, snapshot: snapshot, limit: limit) {
                let reading = WorkflowSpec.read(text, file: specPath)
                writtenName = reading.name
                violations += reading.errors.map(specViolation)
                if strict {
                    violations += reading.warnings.map(strictViolation)
                } else {
                    warnings = reading.warnings
                }
                if let parsed = reading.spec, reading.errors.isEmpty, reading.warnings.isEmpty {
                    cleanSpec = (entry.oid, parsed.nodes.map { WorkflowSpec.normalized($0.path) })
                }
                if let parsed = reading.spec {
                    let pathErrors = parsed.checkNodePaths(allPaths: bundle.allPaths,
                                                           bundledPaths: Set(bundle.allPaths.filter(BundleRules.isBundled)),
                                                           file: specPath)
                    violations += pathErrors.map(specViolation)
                    if pathErrors.isEmpty && (!strict || reading.warnings.isEmpty) { spec = parsed }
                }
            }
        }
        return WorkflowCheck(directory: directory, bundle: bundle, spec: spec, violations: violations, warnings: warnings,
                             cleanSpec: cleanSpec, writtenName: writtenName)
    }

    /// workflow.yaml's text, judged by its object header first: it is part of the code's budget, so
    /// one over the limit is never loaded (the bundle then holds no content either).
    private static func specText(_ entry: SnapshotEntry, bundle: CodeBundle, snapshot: Snapshot, limit: Int) throws -> String? {
        if let file = bundle.files.first(where: { $0.path == BundleRules.specFileName }) { return file.content }
        guard entry.size <= limit else { return nil }
        return String(validating: try snapshot.contents(of: entry), as: UTF8.self)
    }

    private static func tooLargeViolation(_ path: String, size: Int, limit: Int) -> Violation {
        Violation(.spec, path: path,
                  message: "\(PathQuoting.quoted(path)): \(size) bytes, over the code size limit (\(limit) bytes) on its own; not read or checked",
                  fix: "shrink \(PathQuoting.quoted(path)): move data the engine does not read out of it (the limit is git config pipedreamer.maxCodeBytes)")
    }

    private static func specViolation(_ error: SpecError) -> Violation {
        Violation(.spec, path: error.file, message: error.description,
                  fix: error.field.isEmpty ? "edit \(error.file) and fix its YAML" : "edit \(error.file) and fix \(error.field)")
    }

    private static func strictViolation(_ warning: SpecError) -> Violation {
        Violation(.spec, path: warning.file, message: warning.description,
                  fix: "edit \(warning.file) and fix or remove \(warning.field) (strict mode refuses unknown keys)")
    }
}
