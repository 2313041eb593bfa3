import GitFiles

/// A file and its size, for the "largest files" part of a size report.
public struct FileSize: Sendable, Equatable {
    public let path: String
    public let bytes: Int
}

/// The code of one workflow as it would ship from a snapshot, with every reason it cannot.
///
/// The pre-commit hook and render/deploy build it with the same function, so a snapshot the
/// hook accepts is one that deploys.
public struct CodeBundle: Sendable {
    /// The workflow directory, repository-relative ("" for the root).
    public let directory: String
    /// The bundled files in path order; empty when the bundle is over the limit (content is not loaded then).
    public let files: [BundledFile]
    /// Sum of the bundled files' sizes, from object headers.
    public let totalBytes: Int
    public let fileCount: Int
    public let limit: Int
    /// The bundled files by decreasing size (at most five).
    public let largest: [FileSize]
    /// Every path (relative to the workflow directory) in the snapshot's workflow directory.
    public let allPaths: Set<String>
    /// Files under nodes/ that do not ship (relative paths, in path order), for `check`'s note.
    public let unshippedUnderNodes: [String]
    /// The objects the API server would store, when the content was loaded.
    public let storedSize: StoredSize.Estimate?
    public let violations: [Violation]

    public var isValid: Bool { violations.isEmpty }

    /// Builds the bundle of the workflow in `directory`. Workflows nested below it (`excluding`)
    /// are separate workflows and are left out.
    public static func build(from snapshot: Snapshot, directory: String,
                             limit: Int = BundleRules.defaultMaxBytes,
                             excluding nested: [String] = []) throws -> CodeBundle {
        let prefix = directory.isEmpty ? "" : directory + "/"
        let nestedPrefixes = nested.filter { $0 != directory }.map { $0 + "/" }
        let entries = try snapshot.entries(under: directory).filter { entry in
            !nestedPrefixes.contains { entry.path.hasPrefix($0) }
        }
        let attributes = try GitAttributes.load(from: snapshot, for: entries.map(\.path))

        // What git fsck refuses on the way here and in here (a nested workflow's own trees are its
        // own): a duplicate workflow.yaml would let the check read one blob and the ConfigMap ship another.
        var violations = try treeViolations(snapshot.treeFaults(under: directory, entries: entries), nested: nestedPrefixes)
        var bundled = [SnapshotEntry]()
        var contentChecked = [SnapshotEntry]()
        var unshipped = [String]()
        var allPaths = Set<String>()
        for entry in entries {
            let relative = String(entry.path.dropFirst(prefix.count))
            allPaths.insert(relative)
            if let violation = structuralViolation(entry, relative: relative) {
                violations.append(violation)
                continue
            }
            // Only what ships is held to the text rules: README, docs, diagrams and tests beside
            // workflow.yaml are neither read nor refused.
            guard BundleRules.mustBeText(relative) else { continue }
            // One evaluation per path: matching walks every attribute line.
            let states = try attributes.specifiedStates(for: entry.path)
            if isMarkedBinary(states) {
                violations.append(binaryViolation(entry.path, because: "marked binary in .gitattributes"))
                continue
            }
            if states["filter"] == .value("lfs") {
                violations.append(lfsViolation(entry.path))
                continue
            }
            if BundleRules.isBundled(relative) {
                bundled.append(entry)
            } else {
                contentChecked.append(entry)
                unshipped.append(relative)
            }
        }

        let total = bundled.reduce(0) { $0 + $1.size }
        let largest = bundled.sorted { ($0.size, $1.path) > ($1.size, $0.path) }.prefix(5)
            .map { FileSize(path: $0.path, bytes: $0.size) }
        let overLimit = total > limit
        if overLimit {
            violations.insert(sizeViolation(total: total, limit: limit, largest: largest), at: 0)
        }

        // Files under nodes/ that do not ship are still checked for binary content, from their first
        // bytes only (read in part even when packed), so memory never grows with them.
        for entry in contentChecked {
            let head = try snapshot.prefix(of: entry, maxBytes: BundleRules.binarySniffBytes)
            if let violation = contentViolation(entry, head: head, size: entry.size) { violations.append(violation) }
        }

        var files = [BundledFile]()
        for entry in bundled {
            // Over the limit nothing is loaded: a 50 MB file is judged by its header alone.
            let bytes = overLimit
                ? try snapshot.prefix(of: entry, maxBytes: BundleRules.binarySniffBytes)
                : try snapshot.contents(of: entry)
            if let violation = contentViolation(entry, head: Array(bytes.prefix(BundleRules.binarySniffBytes)), size: entry.size) {
                violations.append(violation)
                continue
            }
            if overLimit { continue }
            guard let text = String(validating: bytes, as: UTF8.self) else {
                violations.append(Violation(.invalidUTF8, path: entry.path,
                                            message: "\(PathQuoting.quoted(entry.path)): not valid UTF-8 (invalid byte at offset \(firstInvalidUTF8Offset(bytes)))",
                                            fix: "re-save \(PathQuoting.quoted(entry.path)) as UTF-8; only UTF-8 text files ship in the code ConfigMap"))
                continue
            }
            let relative = String(entry.path.dropFirst(prefix.count))
            do {
                files.append(BundledFile(path: relative, key: try ConfigMapKey.encode(relative), content: text))
            } catch {
                violations.append(Violation(.invalidPath, path: entry.path,
                                            message: "\(PathQuoting.quoted(entry.path)): path is too long to become a ConfigMap key (\(keyFailureDetail(error)))",
                                            fix: "shorten the path of \(PathQuoting.quoted(entry.path))"))
            }
        }
        if !allPaths.contains(BundleRules.specFileName) {
            violations.append(Violation(.spec, path: joinPath(directory, BundleRules.specFileName),
                                        message: "\(PathQuoting.quoted(joinPath(directory, BundleRules.specFileName))): missing",
                                        fix: "add a workflow.yaml to \(directory.isEmpty ? "the repository root" : PathQuoting.quoted(directory))"))
        }
        let storedSize = overLimit ? nil : StoredSize.estimate(files)
        if let storedSize, !storedSize.fits {
            violations.insert(storedSizeViolation(storedSize, files: files), at: 0)
        }
        return CodeBundle(directory: directory, files: files,
                          totalBytes: total, fileCount: bundled.count, limit: limit, largest: Array(largest),
                          allPaths: allPaths, unshippedUnderNodes: unshipped, storedSize: storedSize,
                          violations: sortedViolations(violations))
    }

    private static func treeViolations(_ faults: [TreeFault], nested: [String]) -> [Violation] {
        var seen = Set<TreeFault>()
        return faults.filter { fault in
            !nested.contains { fault.pathText.hasPrefix($0) } && seen.insert(fault).inserted
        }.map { Violation(.brokenTree, path: $0.pathText, message: $0.message, fix: $0.fix) }
    }

    /// Paths relative to the workflow directory of every bundled file.
    public var bundledPaths: Set<String> { Set(files.map(\.path)) }

    private static func structuralViolation(_ entry: SnapshotEntry, relative: String) -> Violation? {
        let path = entry.path
        if BundleRules.isSecretFile(relative) {
            return Violation(.secret, path: path,
                             message: "\(PathQuoting.quoted(path)): secrets must never be committed (.secrets.yaml, .secrets/ and .env* stay out of git)",
                             fix: "run `git rm --cached \(ShellQuoting.quoted(path))` and add it to .gitignore; deploy reads secrets from the working copy")
        }
        // Secrets are refused anywhere; the other rules guard only what ships.
        guard BundleRules.mustBeText(relative) else { return nil }
        if !entry.pathIsUTF8 {
            return Violation(.invalidPath, path: path, message: "\(PathQuoting.quoted(path)): file name is not valid UTF-8",
                             fix: "rename it with `git mv` to a UTF-8 name")
        }
        switch entry.kind {
        case .symlink:
            return Violation(.symlink, path: path, message: "\(PathQuoting.quoted(path)): symbolic links cannot ship; workflow.yaml and files under nodes/ must be regular files",
                             fix: "replace the link with the file it points to, or move it out of nodes/")
        case .submodule:
            return Violation(.submodule, path: path, message: "\(PathQuoting.quoted(path)): submodules cannot ship; files under nodes/ must be regular files",
                             fix: "remove the submodule (`git rm \(ShellQuoting.quoted(path))`) or move it out of nodes/")
        case .file, .executable:
            return nil
        }
    }

    private static func isMarkedBinary(_ states: [String: AttributeState]) -> Bool {
        states["binary"] == .set || states["diff"] == .unset
    }

    private static func contentViolation(_ entry: SnapshotEntry, head: [UInt8], size: Int) -> Violation? {
        // The snapshot could not read the file's first bytes (a packed delta too large to resolve
        // whole): what is not known to be text is not passed as text.
        if head.isEmpty && size > 0 {
            return Violation(.binary, path: entry.path,
                             message: "\(PathQuoting.quoted(entry.path)): \(size) bytes stored as a delta that pipedreamer does not resolve to check it is text; workflow.yaml and every file under nodes/ must be text",
                             fix: "move it out of nodes/ (large data does not ship), or remove it (`git rm --cached \(ShellQuoting.quoted(entry.path))`)")
        }
        if size <= BundleRules.lfsPointerMaxBytes, head.starts(with: BundleRules.lfsPointerPrefix) {
            return lfsViolation(entry.path)
        }
        if head.contains(0) {
            return binaryViolation(entry.path, because: "contains a NUL byte in its first 8000 bytes")
        }
        return nil
    }

    private static func binaryViolation(_ path: String, because reason: String) -> Violation {
        Violation(.binary, path: path, message: "\(PathQuoting.quoted(path)): binary file (\(reason)); workflow.yaml and every file under nodes/ must be text",
                  fix: "remove it (`git rm --cached \(ShellQuoting.quoted(path))`) or move it out of nodes/ (diagrams and docs beside workflow.yaml are fine)")
    }

    private static func lfsViolation(_ path: String) -> Violation {
        Violation(.lfsPointer, path: path, message: "\(PathQuoting.quoted(path)): git-lfs pointer; the cluster would receive the pointer, not the file",
                  fix: "store the file in git itself (`git lfs untrack` it) or move it out of the workflow directory")
    }

    private static func sizeViolation(total: Int, limit: Int, largest: [FileSize]) -> Violation {
        var message = "workflow code exceeds ConfigMap size limit (\(BundleRules.describeLimit(limit))): total size is \(total) bytes"
        message += "\n  limit: \(limit) bytes, over by \(total - limit) bytes; largest files:"
        for file in largest { message += "\n    \(file.bytes) bytes  \(PathQuoting.quoted(file.path))" }
        return Violation(.tooLarge, path: nil, message: message,
                         fix: "shrink or split the largest node files, or move data out of nodes/ (only workflow.yaml and nodes/ ship)")
    }

    private static func storedSizeViolation(_ estimate: StoredSize.Estimate, files: [BundledFile]) -> Violation {
        let content = files.reduce(0) { $0 + $1.content.utf8.count }
        let limit = StoredSize.maxObjectBytes
        let (what, size) = estimate.configMapBytes >= estimate.deploymentBytes
            ? ("the ConfigMap", estimate.configMapBytes) : ("the Deployment", estimate.deploymentBytes)
        let fitting = files.count * limit / max(size, 1)
        let message = "workflow code has too many files: \(files.count) files (\(content) bytes of content) make "
            + "\(what) about \(size) bytes as etcd stores it, over its \(limit)-byte limit (etcdserver: request is too large)"
            + "\n  each file's key counts as well as its content (in the ConfigMap's data, again in its managedFields, "
            + "and in the Deployment's items); at this average, about \(fitting) files fit"
        return Violation(.tooManyFiles, path: nil, message: message,
                         fix: "ship fewer files: merge small node files into larger modules, or move files the engine "
                            + "does not load out of nodes/ (only workflow.yaml and nodes/**/*.ts, .json, .yaml, .yml ship)")
    }

    private static func sortedViolations(_ violations: [Violation]) -> [Violation] {
        // The size report leads; the rest follow in path order, which is stable across runs.
        let leading: Set<Violation.Kind> = [.tooLarge, .tooManyFiles]
        let size = violations.filter { leading.contains($0.kind) }
        let rest = violations.filter { !leading.contains($0.kind) }.enumerated().sorted { lhs, rhs in
            let (l, r) = (lhs.element.path ?? "", rhs.element.path ?? "")
            return l == r ? lhs.offset < rhs.offset : Array(l.utf8).lexicographicallyPrecedes(Array(r.utf8))
        }.map(\.element)
        return size + rest
    }

    private static func keyFailureDetail(_ error: ConfigMapKey.Failure) -> String {
        switch error {
        case .tooLong(_, let length): return "its key would be \(length) characters; the limit is \(ConfigMapKey.maxLength)"
        case .empty: return "empty path"
        case .dotName: return "the key would be . or .."
        }
    }
}

private func firstInvalidUTF8Offset(_ bytes: [UInt8]) -> Int {
    var parser = Unicode.UTF8.ForwardParser()
    var iterator = bytes.makeIterator()
    var offset = 0
    while true {
        switch parser.parseScalar(from: &iterator) {
        case .valid(let scalar): offset += scalar.count
        case .error, .emptyInput: return offset
        }
    }
}
