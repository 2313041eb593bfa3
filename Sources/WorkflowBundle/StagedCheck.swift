import GitFiles

/// The pre-commit check for the common case, run by `pipedreamer-hook` over GitFiles alone (no
/// libgit2, no Foundation, no YAML parser): it answers only "the full check would pass this
/// commit and print nothing", and only when that is certain. Everything else (any violation,
/// any warning, a workflow.yaml this build has not found clean before, pipedreamer settings in
/// any git config, an index or repository form GitFiles does not read, a repository extension the
/// full check's libgit2 does not open) is left to the full
/// check, which gives the verdict and the message. It never refuses a commit itself.
///
/// Why "certain" holds: it checks every workflow directory the commit may touch (all those the
/// index's cache-tree cannot show to be HEAD's), which includes every one the full check checks;
/// each with `CodeBundle.build`, the function the full check uses, over the same index entries
/// and objects; with the default settings, which apply when no configuration names pipedreamer;
/// and with the spec's verdict as this same binary recorded it for the same blob and path.
public enum StagedCheck {
    /// Set by `pipedreamer-hook` in the environment of the full check it execs: the question of
    /// `touchesNoWorkflow` was asked already, and the full check records verdicts for next time.
    public static let askedVariable = "PIPEDREAMER_HOOK_SHORTCUT_ASKED"

    /// True only when the commit certainly touches no workflow directory: the index holds no
    /// workflow.yaml, or the cache-tree shows every workflow directory with HEAD's tree and no
    /// .gitattributes above one changed. False means "not known": run the full check.
    public static func touchesNoWorkflow(_ change: StagedChange) -> Bool {
        change.certainlyLeavesUnchanged(directoriesHolding: BundleRules.specFileName)
    }

    /// The answer for the index `change` read (`StagedChange.open()`: the one git runs the hook
    /// for); `fullBinary` is the pipedreamer binary whose verdicts the cache holds.
    public static func passes(_ change: StagedChange, fullBinary: String) -> Bool {
        let cache = SpecVerdictCache(executable: fullBinary, environment: ProcessInfoLite.environment)
        return passes(change, cache: cache, environment: ProcessInfoLite.environment,
                      allVariables: ProcessInfoLite.allVariables())
    }

    package static func passes(_ change: StagedChange, cache: SpecVerdictCache?,
                               environment: (String) -> String?, allVariables: [(String, String)]) -> Bool {
        guard let cache, change.hasOnlyReadableExtensions,
              !ConfigMentions.mayMention("pipedreamer", gitDirectory: change.gitDirectory,
                                         commonDirectory: change.commonDirectory,
                                         environment: environment, allVariables: allVariables)
        else { return false }
        let snapshot = change.snapshot
        do {
            // WorkflowLocator.discover's answer, found once for both questions.
            let all = change.directories(containing: BundleRules.specFileName)
            // Discovery in the full check refuses these, changed or not.
            try TreeNames.requireCleanWorkflowDirectories(all, in: snapshot.label)
            for directory in all where !change.certainlyUnchanged(directory: directory) {
                guard try passes(directory, in: snapshot, all: all, cache: cache) else { return false }
            }
            return true
        } catch {
            return false
        }
    }

    /// True when `directory` of `snapshot` ships under the default settings with a spec this binary
    /// found clean, every node it names in the bundle (`WorkflowCheck` of Deploy, without YAML).
    private static func passes(_ directory: String, in snapshot: Snapshot, all: [String], cache: SpecVerdictCache) throws -> Bool {
        // The verdict first: without it nothing else is worth reading.
        let specPath = joinPath(directory, BundleRules.specFileName)
        guard let spec = try snapshot.entry(at: specPath),
              let nodePaths = cache.nodePaths(blob: spec.oid, path: specPath) else { return false }
        let bundle = try CodeBundle.build(from: snapshot, directory: directory,
                                          excluding: WorkflowLocator.nested(in: all, under: directory))
        // As bytes, as `checkNodePaths` compares them (String equality is canonical equivalence).
        let bundled = Set(bundle.bundledPaths.map { Array($0.utf8) })
        return bundle.violations.isEmpty && nodePaths.allSatisfy { bundled.contains(Array($0.utf8)) }
    }
}
