import Deploy
import Foundation
import GitShim
import WorkflowBundle

/// What the pre-commit hook does when it cannot read the index git is committing (a form newer
/// than it knows): git can, so git is asked which paths the commit changes. A commit that changes
/// nothing in a workflow directory is never refused; one that does is refused with the reason.
public enum IndexFallback {
    /// The workflows (of HEAD, or new ones) the commit touches according to
    /// `git diff --cached --name-only`; empty when it touches none.
    public static func touchedWorkflows(repository: Repository) throws -> [String] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "diff", "--cached", "--name-only", "-z", "--no-renames"]
        if let top = repository.workingDirectory { process.currentDirectoryURL = URL(fileURLWithPath: top) }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw HookError("cannot ask git which files the commit changes (git diff --cached failed)")
        }
        let paths = data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
        guard !paths.isEmpty else { return [] }
        // HEAD's workflows and those the commit adds (or removes): a changed workflow.yaml's directory.
        var all = Set<String>()
        if !repository.isHeadUnborn {
            let head = try CommitSnapshot(repository: repository, commit: repository.resolveCommit("HEAD"))
            all.formUnion(try WorkflowLocator.discover(in: head))
        }
        for path in paths where path == BundleRules.specFileName || path.hasSuffix("/" + BundleRules.specFileName) {
            all.insert(String(path.dropLast(BundleRules.specFileName.count)).trimmingTrailingSlash)
        }
        return WorkflowChanges.holding(paths, workflows: all.sorted()).sorted()
    }
}
