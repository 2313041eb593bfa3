import GitShim

/// A workflow's bundle and spec, checked together: the one rule set shared by the hooks,
/// `check`, `render` and `deploy`.
public struct WorkflowCheck: Sendable {
    public let directory: String
    public let bundle: CodeBundle
    /// The parsed spec, when workflow.yaml parsed and validated.
    public let spec: WorkflowSpec?
    /// Bundle violations first, then spec errors.
    public let violations: [Violation]

    public var isValid: Bool { violations.isEmpty }

    /// Checks the workflow in `directory` of `snapshot`; `all` lists every workflow directory of the
    /// snapshot, so nested workflows are left out of this one's bundle.
    public static func run(snapshot: Snapshot, directory: String, all: [String],
                           limit: Int = BundleRules.defaultMaxBytes) throws -> WorkflowCheck {
        let bundle = try CodeBundle.build(from: snapshot, directory: directory, limit: limit,
                                          excluding: WorkflowLocator.nested(in: all, under: directory))
        var violations = bundle.violations
        var spec: WorkflowSpec?
        let specPath = joinPath(directory, BundleRules.specFileName)
        if let entry = try snapshot.entry(at: specPath), bundle.allPaths.contains(BundleRules.specFileName),
           !bundle.violations.contains(where: { $0.path == specPath }) {
            let bytes = try snapshot.contents(of: entry)
            if let text = String(validating: bytes, as: UTF8.self) {
                do {
                    let parsed = try WorkflowSpec.parse(text, file: specPath)
                    let pathErrors = parsed.checkNodePaths(allPaths: bundle.allPaths,
                                                           bundledPaths: Set(bundle.allPaths.filter(BundleRules.isBundled)),
                                                           file: specPath)
                    violations += pathErrors.map(specViolation)
                    if pathErrors.isEmpty { spec = parsed }
                } catch {
                    violations += error.errors.map(specViolation)
                }
            }
        }
        return WorkflowCheck(directory: directory, bundle: bundle, spec: spec, violations: violations)
    }

    private static func specViolation(_ error: SpecError) -> Violation {
        Violation(.spec, path: error.file, message: error.description, fix: "edit \(error.file) and fix \(error.field)")
    }
}
