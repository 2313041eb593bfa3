import GitShim

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

        var violations = [Violation]()
        var bundled = [SnapshotEntry]()
        var contentChecked = [SnapshotEntry]()
        var allPaths = Set<String>()
        for entry in entries {
            let relative = String(entry.path.dropFirst(prefix.count))
            allPaths.insert(relative)
            if let violation = structuralViolation(entry, relative: relative) {
                violations.append(violation)
                continue
            }
            if isMarkedBinary(entry.path, attributes) {
                violations.append(binaryViolation(entry.path, because: "marked binary in .gitattributes"))
                continue
            }
            if attributes.state(of: "filter", for: entry.path) == .value("lfs") {
                violations.append(lfsViolation(entry.path))
                continue
            }
            if BundleRules.isBundled(relative) { bundled.append(entry) } else { contentChecked.append(entry) }
        }

        let total = bundled.reduce(0) { $0 + $1.size }
        let largest = bundled.sorted { ($0.size, $1.path) > ($1.size, $0.path) }.prefix(5)
            .map { FileSize(path: $0.path, bytes: $0.size) }
        let overLimit = total > limit
        if overLimit {
            violations.insert(sizeViolation(total: total, limit: limit, largest: largest), at: 0)
        }

        // Files that are not shipped are still checked for binary content, from their first bytes only.
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
                                            message: "\(entry.path): not valid UTF-8 (invalid byte at offset \(firstInvalidUTF8Offset(bytes)))",
                                            fix: "re-save \(entry.path) as UTF-8; only UTF-8 text files ship in the code ConfigMap"))
                continue
            }
            let relative = String(entry.path.dropFirst(prefix.count))
            do {
                files.append(BundledFile(path: relative, key: try ConfigMapKey.encode(relative), content: text))
            } catch {
                violations.append(Violation(.invalidPath, path: entry.path,
                                            message: "\(entry.path): path is too long to become a ConfigMap key (\(keyFailureDetail(error)))",
                                            fix: "shorten the path of \(entry.path)"))
            }
        }
        if !allPaths.contains(BundleRules.specFileName) {
            violations.append(Violation(.spec, path: joinPath(directory, BundleRules.specFileName),
                                        message: "\(joinPath(directory, BundleRules.specFileName)): missing",
                                        fix: "add a workflow.yaml to \(directory.isEmpty ? "the repository root" : directory)"))
        }
        return CodeBundle(directory: directory, files: files,
                          totalBytes: total, fileCount: bundled.count, limit: limit, largest: Array(largest),
                          allPaths: allPaths, violations: sortedViolations(violations))
    }

    /// Paths relative to the workflow directory of every bundled file.
    public var bundledPaths: Set<String> { Set(files.map(\.path)) }

    private static func structuralViolation(_ entry: SnapshotEntry, relative: String) -> Violation? {
        let path = entry.path
        if !entry.pathIsUTF8 {
            return Violation(.invalidPath, path: path, message: "\(path): file name is not valid UTF-8",
                             fix: "rename it with `git mv` to a UTF-8 name")
        }
        if BundleRules.isSecretFile(relative) {
            return Violation(.secret, path: path,
                             message: "\(path): secrets must never be committed (.secrets.yaml, .secrets/ and .env* stay out of git)",
                             fix: "run `git rm --cached \(ShellQuoting.quoted(path))` and add it to .gitignore; deploy reads secrets from the working copy")
        }
        switch entry.kind {
        case .symlink:
            return Violation(.symlink, path: path, message: "\(path): symbolic links are not allowed in a workflow directory",
                             fix: "replace the link with the file it points to, or move it out of the workflow directory")
        case .submodule:
            return Violation(.submodule, path: path, message: "\(path): submodules are not allowed in a workflow directory",
                             fix: "remove the submodule (`git rm \(ShellQuoting.quoted(path))`) or move it out of the workflow directory")
        case .file, .executable:
            return nil
        }
    }

    private static func isMarkedBinary(_ path: String, _ attributes: GitAttributes) -> Bool {
        attributes.state(of: "binary", for: path) == .set || attributes.state(of: "diff", for: path) == .unset
    }

    private static func contentViolation(_ entry: SnapshotEntry, head: [UInt8], size: Int) -> Violation? {
        if size <= BundleRules.lfsPointerMaxBytes, head.starts(with: BundleRules.lfsPointerPrefix) {
            return lfsViolation(entry.path)
        }
        if head.contains(0) {
            return binaryViolation(entry.path, because: "contains a NUL byte in its first 8000 bytes")
        }
        return nil
    }

    private static func binaryViolation(_ path: String, because reason: String) -> Violation {
        Violation(.binary, path: path, message: "\(path): binary file (\(reason)); only text files may live in a workflow directory",
                  fix: "remove it (`git rm --cached \(ShellQuoting.quoted(path))`) or move it out of the workflow directory")
    }

    private static func lfsViolation(_ path: String) -> Violation {
        Violation(.lfsPointer, path: path, message: "\(path): git-lfs pointer; the cluster would receive the pointer, not the file",
                  fix: "store the file in git itself (`git lfs untrack` it) or move it out of the workflow directory")
    }

    private static func sizeViolation(total: Int, limit: Int, largest: [FileSize]) -> Violation {
        var message = "workflow code exceeds ConfigMap size limit (\(BundleRules.describeLimit(limit))): total size is \(total) bytes"
        message += "\n  limit: \(limit) bytes, over by \(total - limit) bytes; largest files:"
        for file in largest { message += "\n    \(file.bytes) bytes  \(file.path)" }
        return Violation(.tooLarge, path: nil, message: message,
                         fix: "shrink or split the largest node files, or move data out of nodes/ (only workflow.yaml and nodes/ ship)")
    }

    private static func sortedViolations(_ violations: [Violation]) -> [Violation] {
        // The size report leads; the rest follow in path order, which is stable across runs.
        let size = violations.filter { $0.kind == .tooLarge }
        let rest = violations.filter { $0.kind != .tooLarge }.enumerated().sorted { lhs, rhs in
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
