import ArgumentParser
import Deploy
import GitShim
import Hooks
import KubeClient
import GitFiles
import WorkflowBundle

struct CheckCommand: ParsableCommand, JSONOutputCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check that workflows at a commit (or in the index) can ship.",
        discussion: """
        For every workflow (or the one named by -w), prints the bundle size against the limit \
        (921600 bytes, or git config pipedreamer.maxCodeBytes, at most 1048576), the file count \
        and every violation with how to fix it: size, binary files, git-lfs pointers, symlinks, \
        submodules, committed secrets, workflow.yaml errors, and commits whose objects the API \
        server would refuse (cron schedules, too many files). Exits 1 when anything is wrong. \
        Unknown keys in workflow.yaml are warnings on standard error (errors with --strict). Files \
        under nodes/ that do not ship are listed in a note. These are the rules the hooks and deploy enforce.
        """
    )

    @Argument(help: ArgumentHelp("Commit to check. (default: HEAD)", valueName: "rev"))
    var revision: String?

    @Option(name: [.short, .customLong("output")],
            help: ArgumentHelp("Output format: text (one report per workflow) or json (an object with ok and, per workflow, its size, limit, files, violations, warnings and notes; also when a check fails).", valueName: "format"))
    var output: TextOrJSON = .text

    var writesJSON: Bool { output == .json }

    @Flag(help: "Check the index (what `git commit` would record) instead of a commit.")
    var staged = false

    @Flag(help: "Treat warnings (unknown keys in workflow.yaml) as errors. (default: off, or git config pipedreamer.strict)")
    var strict = false

    @OptionGroup var repositoryOptions: RepositoryOptions

    func validate() throws {
        if staged, revision != nil { throw ValidationError("give either a revision or --staged, not both") }
    }

    func run() throws {
        let failed = try mapErrors { () -> Bool in
            let repository = try repositoryOptions.open()
            let config = try RepositorySettings.load(from: repository)
            let snapshot: Snapshot = staged
                ? try IndexSnapshot(repository: repository)
                : try CommitSnapshot(repository: repository, commit: repository.resolveCommit(revision ?? "HEAD"))
            let all = try WorkflowLocator.discover(in: snapshot)
            let chosen: [String]
            if let requested = repositoryOptions.workflowDirectory(in: repository) {
                chosen = [try WorkflowLocator.select(in: snapshot, requested: requested, currentDirectory: nil)]
            } else {
                chosen = all
            }
            if chosen.isEmpty {
                if output == .json {
                    try StandardOutput.write(.object(["source": .string(snapshot.label), "ok": .bool(true), "workflows": .array([])]))
                } else {
                    print("no workflow.yaml in \(snapshot.label); nothing to check")
                }
                return false
            }
            var failed = false
            var reports = [JSONValue]()
            for directory in chosen {
                let check = try WorkflowCheck.run(snapshot: snapshot, directory: directory, all: all,
                                                  limit: config.maxCodeBytes, strict: strict || config.strict)
                for warning in check.warnings { printError("warning: \(warning)") }
                if !check.isValid { failed = true }
                if output == .json {
                    // The document is the output; the report still goes to standard error as text.
                    reports.append(Self.json(check))
                    if !check.isValid { printError(ViolationReport.text(for: check, at: snapshot.label)) }
                    continue
                }
                defer { for note in check.notes { print("  note: \(note)") } }
                if check.isValid {
                    print("workflow \(WorkflowLocator.shown(directory)): ok, \(ViolationReport.sizeLine(for: check.bundle))")
                } else {
                    print(ViolationReport.text(for: check, at: snapshot.label))
                    print("  size: \(ViolationReport.sizeLine(for: check.bundle))")
                }
            }
            if output == .json {
                try StandardOutput.write(.object(["source": .string(snapshot.label), "ok": .bool(!failed), "workflows": .array(reports)]))
            }
            return failed
        }
        if failed { throw ExitCode(1) }
    }

    /// One workflow's verdict as data.
    static func json(_ check: WorkflowCheck) -> JSONValue {
        .object([
            "directory": .string(WorkflowLocator.display(check.directory)),
            "name": check.reportedName.map(JSONValue.string) ?? .null,
            "ok": .bool(check.isValid),
            "bytes": .int(check.bundle.totalBytes),
            "limit": .int(check.bundle.limit),
            "files": .int(check.bundle.fileCount),
            "violations": .array(check.violations.map { violation in
                .object(["kind": .string(violation.kind.rawValue), "path": violation.path.map(JSONValue.string) ?? .null,
                         "message": .string(violation.message), "fix": .string(violation.fix)])
            }),
            "warnings": .array(check.warnings.map { .string($0.description) }),
            "notes": .array(check.notes.map(JSONValue.string)),
        ])
    }
}
