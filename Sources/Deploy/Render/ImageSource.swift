import Foundation
import GitShim
import KubeClient
import GitFiles

/// The engine image a deploy uses and where it came from.
public struct ResolvedImage: Sendable, Equatable {
    public enum Source: Sendable, Equatable {
        case flag
        case commitFile(path: String)
        case fallback
        /// The image a revision of `pipedreamer history` recorded: what `rollback` deploys again.
        case history(revision: Int)

        /// The source as data, for `-o json`: `{"kind": "flag"}`, `{"kind": "history", "revision": 3}`.
        public var json: JSONValue {
            switch self {
            case .flag: return .object(["kind": .string("flag")])
            case .commitFile(let path): return .object(["kind": .string("commitFile"), "path": .string(path)])
            case .fallback: return .object(["kind": .string("default")])
            case .history(let revision): return .object(["kind": .string("history"), "revision": .int(revision)])
            }
        }
    }

    public let image: String
    public let source: Source
    /// Set when the working copy holds a base-image.txt the commit does not: it is not used.
    public var note: String?

    public init(image: String, source: Source, note: String? = nil) {
        self.image = image
        self.source = source
        self.note = note
    }

    /// A line for the user: `image pipedreamer-engine:1.2 (from .pipedreamer/base-image.txt in commit 1a2b3c)`.
    public func describe(commitLabel: String) -> String {
        switch source {
        case .flag: return "image \(image) (from --image)"
        case .commitFile(let path): return "image \(image) (from \(path) in \(commitLabel))"
        case .fallback: return "image \(image) (default; set --image or commit .pipedreamer/base-image.txt)"
        case .history(let revision): return "image \(image) (recorded with revision \(revision) in the history)"
        }
    }
}

/// The image cascade: `--image` > `.pipedreamer/base-image.txt` in the commit's workflow directory
/// > `pipedreamer-engine:latest`. The working copy is never read for the image (the same tag must
/// render the same everywhere); one that only the working copy holds is named in a note.
public enum ImageResolver {
    public static let fallback = "pipedreamer-engine:latest"
    public static let fileName = ".pipedreamer/base-image.txt"

    /// `historyRevision` says that `flag` is the image that revision of the history recorded (a rollback).
    public static func resolve(flag: String?, historyRevision: Int? = nil, snapshot: Snapshot, workflowDirectory: String,
                               workingDirectory: String?) throws -> ResolvedImage {
        if let flag, let historyRevision {
            return ResolvedImage(image: try validated(flag, from: "revision \(historyRevision) of the history"),
                                 source: .history(revision: historyRevision))
        }
        if let flag {
            return ResolvedImage(image: try validated(flag, from: "--image"), source: .flag)
        }
        let path = joinPath(workflowDirectory, fileName)
        if let text = try snapshot.text(at: path), let image = firstLine(text) {
            return ResolvedImage(image: try validated(image, from: "\(path) in \(snapshot.label)"), source: .commitFile(path: path))
        }
        var note: String?
        if let workingDirectory, FileManager.default.fileExists(atPath: "\(workingDirectory)/\(path)") {
            note = "\(path) is in the working copy but not in \(snapshot.label), so it is not used; "
                + "commit it, or pass --image"
        }
        return ResolvedImage(image: fallback, source: .fallback, note: note)
    }

    /// The first line that is neither blank nor a `#` comment, trimmed.
    static func firstLine(_ text: String) -> String? {
        text.split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .first { !$0.isEmpty && !$0.hasPrefix("#") }
    }

    /// A container image reference: no whitespace or control characters, no scheme, at most 255 characters
    /// in the repository part (the registry's limit), lowercase repository path.
    static func validated(_ image: String, from source: String) throws -> String {
        let problem: String?
        if image.isEmpty {
            problem = "is empty"
        } else if image.contains(where: { $0.isWhitespace || $0.asciiValue.map { $0 < 0x20 || $0 == 0x7F } == true }) {
            problem = "contains whitespace or control characters"
        } else if image.contains("://") {
            problem = "must not contain a scheme (write registry.example.com/app:tag, not https://…)"
        } else {
            let repository = image.split(separator: "@").first.map { part -> Substring in
                // Drop a tag, which follows the last ':' after the last '/'.
                let lastSlash = part.lastIndex(of: "/") ?? part.startIndex
                if let colon = part[lastSlash...].lastIndex(of: ":") { return part[..<colon] }
                return part
            } ?? ""
            let path = repository.split(separator: "/", maxSplits: 1).count == 2
                && repository.split(separator: "/").first.map { $0.contains(".") || $0.contains(":") || $0 == "localhost" } == true
                ? repository.split(separator: "/", maxSplits: 1)[1] : repository
            if path.contains(where: { $0.isUppercase }) {
                problem = "has uppercase letters in its repository path; image repositories are lowercase"
            } else if repository.count > 255 {
                problem = "is longer than 255 characters"
            } else {
                problem = nil
            }
        }
        if let problem { throw DeployError("image '\(image)' from \(source) \(problem)") }
        return image
    }
}
