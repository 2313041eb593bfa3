import Deploy
import GitShim

/// One line git gives the pre-push hook: `<local ref> <local sha> <remote ref> <remote sha>`.
public struct PushUpdate: Sendable, Equatable {
    public let localRef: String
    /// Nil when the push deletes `remoteRef`.
    public let localOid: Oid?
    public let remoteRef: String
    /// Nil when the remote does not have `remoteRef` yet.
    public let remoteOid: Oid?

    public init(localRef: String, localOid: Oid?, remoteRef: String, remoteOid: Oid?) {
        self.localRef = localRef
        self.localOid = localOid
        self.remoteRef = remoteRef
        self.remoteOid = remoteOid
    }

    /// Parses the hook's standard input; blank lines are skipped.
    public static func parse(_ input: String) throws -> [PushUpdate] {
        try input.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ")
            if fields.isEmpty { return nil }
            guard fields.count == 4, let local = Oid(hex: String(fields[1])), let remote = Oid(hex: String(fields[3])) else {
                throw HookError("pre-push: cannot read the line '\(line)' from git: expected '<local ref> <local sha> <remote ref> <remote sha>'")
            }
            return PushUpdate(localRef: String(fields[0]), localOid: local.isZero ? nil : local,
                              remoteRef: String(fields[2]), remoteOid: remote.isZero ? nil : remote)
        }
    }
}

/// A pushed commit that cannot ship.
public struct PushFailure: Sendable {
    public let commit: Commit
    /// The remote ref whose push brought the commit.
    public let remoteRef: String
    public let failures: [WorkflowFailure]

    public var text: String {
        let summary = commit.summary.isEmpty ? "" : " \"\(commit.summary)\""
        return (["commit \(commit.oid.short)\(summary), pushed to \(remoteRef):"] + failures.map(\.text)).joined(separator: "\n")
    }
}

public struct PrePushReport: Sendable {
    /// How many commits were new to the remote, and how many workflow states among them were checked.
    public let newCommits: Int
    public let checkedStates: Int
    public let failures: [PushFailure]

    public var passed: Bool { failures.isEmpty }

    public var text: String {
        var lines = ["pipedreamer: push refused: \(failures.count) commit\(failures.count == 1 ? "" : "s") cannot ship"]
        lines += failures.map(\.text)
        lines.append("Fix those commits (for example with `git rebase -i`, then `git commit --amend`) and push again. Deploy enforces the same rules, so `git push --no-verify` only defers the failure.")
        return lines.joined(separator: "\n")
    }
}

/// The pre-push hook: every commit the remote does not have is checked, not only the tip.
public enum PrePush {
    /// `remote` is the remote's name (or its URL when pushing to a URL). Commits the remote has
    /// are those of the pushed refs' remote side and of `refs/remotes/<remote>/*`; a commit whose
    /// workflow directories are unchanged from its parents, or equal to a state already checked, is not checked again.
    public static func run(repository: Repository, remote: String, updates: [PushUpdate], limit: Int,
                           strict: Bool = false, warn: (SpecError) -> Void = { _ in }) throws -> PrePushReport {
        let remoteHas = updates.compactMap(\.remoteOid)
        let isNamedRemote = !remote.isEmpty && !remote.contains("/") && !remote.contains(":")
        let glob = isNamedRemote ? "refs/remotes/\(remote)/*" : nil
        var seenCommits = Set<Oid>()
        var checkedStates = Set<[String]>()
        var failures = [PushFailure]()
        for update in updates {
            guard let local = update.localOid else { continue }
            let tip: Commit
            do {
                tip = try repository.resolveCommit(local.hex)
            } catch let error as GitError where error.reason == .notACommit {
                continue  // a tag of a tree or blob carries no workflow
            }
            for oid in try repository.commits(reachableFrom: tip.oid, excluding: remoteHas, excludingReferences: glob)
            where seenCommits.insert(oid).inserted {
                let commit = try repository.resolveCommit(oid.hex)
                let snapshot = try CommitSnapshot(repository: repository, commit: commit)
                var found = [WorkflowFailure]()
                let touched = try WorkflowChanges.committed(snapshot, repository: repository)
                if touched.isEmpty { continue }
                let before = try commit.parents.first.map {
                    try CommitSnapshot(repository: repository, commit: repository.resolveCommit($0.hex))
                }
                for directory in touched {
                    guard checkedStates.insert(try WorkflowChanges.stateKey(of: directory, in: snapshot)).inserted else { continue }
                    let all = try snapshot.directories(containing: BundleRules.specFileName, under: directory)
                    if let failure = try WorkflowFailure.check(directory, in: snapshot, workflows: all, before: before, limit: limit, strict: strict, warn: warn) {
                        found.append(failure)
                    }
                }
                if !found.isEmpty { failures.append(PushFailure(commit: commit, remoteRef: update.remoteRef, failures: found)) }
            }
        }
        return PrePushReport(newCommits: seenCommits.count, checkedStates: checkedStates.count, failures: failures)
    }
}

extension Oid {
    /// git's all-zero id, which stands for "no object" in hook input.
    var isZero: Bool { hex.allSatisfy { $0 == "0" } }
}
