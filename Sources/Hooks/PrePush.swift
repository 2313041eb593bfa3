import Deploy
import GitShim
import GitFiles
import WorkflowBundle
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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
        // A subject is the pusher's text: escaped as paths are, so it cannot write to the terminal.
        let summary = commit.summary.isEmpty ? "" : " \"\(PathQuoting.escaped(Array(commit.summary.utf8), quote: UInt8(ascii: "\"")))\""
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
    /// are those of the pushed refs' remote side and of the remote's tracking refs
    /// (`refs/remotes/<name>/*`; for a URL, those of every configured remote with that URL); a
    /// commit whose workflow directories are unchanged from its parents, or equal to a state
    /// already checked, is not checked again.
    public static func run(repository: Repository, remote: String, updates: [PushUpdate], limit: Int,
                           strict: Bool = false, warn: (SpecError) -> Void = { _ in }) throws -> PrePushReport {
        let remoteHas = updates.compactMap(\.remoteOid)
        let globs = try trackingNames(of: remote, in: repository).map { "refs/remotes/\($0)/*" }
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
            for oid in try repository.commits(reachableFrom: tip.oid, excluding: remoteHas, excludingReferencesMatching: globs)
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

extension PrePush {
    /// The configured remotes whose tracking refs stand for what `remote` has: the remote itself
    /// when it is a name, else every remote whose url or pushurl is that URL (local paths compared
    /// after resolving symbolic links and a trailing slash).
    static func trackingNames(of remote: String, in repository: Repository) throws -> [String] {
        guard !remote.isEmpty else { return [] }
        let config = try repository.config()
        let urls = try config.subsections(of: "remote", named: "url") + config.subsections(of: "remote", named: "pushurl")
        if urls.contains(where: { $0.subsection == remote }) || (!remote.contains("/") && !remote.contains(":")) {
            return [remote]
        }
        let base = repository.workingDirectory ?? repository.gitDirectory
        let wanted = normalisedURL(remote, base: base)
        var names = [String]()
        for (name, url) in urls where normalisedURL(url, base: base) == wanted && !names.contains(name) {
            names.append(name)
        }
        return names
    }

    /// A URL as written, or a local path made absolute with symbolic links resolved and no trailing slash.
    static func normalisedURL(_ url: String, base: String) -> String {
        var text = url
        if text.hasPrefix("file://") { text = String(text.dropFirst("file://".count)) }
        if text.contains("://") || (text.contains(":") && !text.hasPrefix("/") && !text.hasPrefix(".")) {
            return text.hasSuffix("/") ? String(text.dropLast()) : text
        }
        if !text.hasPrefix("/") { text = base + "/" + text }
        guard let resolved = realpath(text, nil) else { return text }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}

extension Oid {
    /// git's all-zero id, which stands for "no object" in hook input.
    var isZero: Bool { hex.allSatisfy { $0 == "0" } }
}

extension PushUpdate {
    /// The one update the pre-commit framework's pre-push stage describes in the environment:
    /// PRE_COMMIT_TO_REF (else PRE_COMMIT_LOCAL_BRANCH, else HEAD) pushed over PRE_COMMIT_FROM_REF.
    public static func fromEnvironment(_ environment: [String: String], repository: Repository) throws -> [PushUpdate] {
        func value(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        let to = value("PRE_COMMIT_TO_REF") ?? value("PRE_COMMIT_LOCAL_BRANCH") ?? "HEAD"
        let local = try repository.resolveCommit(to).oid
        let from = try value("PRE_COMMIT_FROM_REF").flatMap { ref -> Oid? in
            if let oid = Oid(hex: ref), oid.isZero { return nil }
            return try repository.resolveCommit(ref).oid
        }
        return [PushUpdate(localRef: to, localOid: local, remoteRef: value("PRE_COMMIT_REMOTE_BRANCH") ?? to, remoteOid: from)]
    }
}
