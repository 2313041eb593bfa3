import Foundation
import Yams
import KubeClient
import WorkflowBundle

/// The workflow's secrets, read from the working copy (never from a commit): `.secrets/` with one
/// key per file, or `.secrets.yaml` with one key per top-level entry (nested values JSON-encoded).
public struct SecretSource: Sendable {
    /// Where they came from, for messages: `wf/.secrets/`.
    public let origin: String
    /// Key → value bytes. Values are never printed.
    public let data: [String: [UInt8]]

    /// Reads the secrets of the workflow at `workflowDirectory` (repository-relative) in the working
    /// tree `workingDirectory`; nil when there are none (or there is no working tree). Only regular
    /// files the user owns, reached without a symbolic link, are read (`SecretFiles`).
    public static func load(workingDirectory: String?, workflowDirectory: String) throws -> SecretSource? {
        guard let workingDirectory else { return nil }
        let prefix = workflowDirectory.isEmpty ? "" : workflowDirectory + "/"
        switch try SecretFiles.find(top: workingDirectory, workflowDirectory: workflowDirectory, prefix: prefix) {
        case .none:
            return nil
        case .file(let contents):
            return SecretSource(origin: "\(prefix).secrets.yaml", data: try readYAML(contents, shown: "\(prefix).secrets.yaml"))
        case .directory(let files):
            return SecretSource(origin: "\(prefix).secrets/", data: Dictionary(uniqueKeysWithValues: files.map { ($0.name, $0.bytes) }))
        }
    }

    static func readYAML(_ contents: [UInt8], shown: String) throws -> [String: [UInt8]] {
        let text = String(decoding: contents, as: UTF8.self)
        // Counted before composing, as workflow.yaml is: nested aliases cannot grow without bound.
        if let excess = YAMLNodeBudget.firstExcess(in: text) {
            throw DeployError("\(shown) line \(excess.line): \(excess.field): more than \(YAMLNodeBudget.maxNodes) YAML values once aliases are expanded; write the values out")
        }
        let node: Yams.Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            // The parser's message quotes only positions and structure, never the values.
            throw DeployError("\(shown): not valid YAML (\(Self.position(of: error)))")
        }
        guard let node else { return [:] }
        guard let mapping = node.mapping else {
            throw DeployError("\(shown): must be a mapping of secret names to values")
        }
        var data = [String: [UInt8]]()
        for (keyNode, valueNode) in mapping {
            guard let key = keyNode.string, ConfigMapKey.isValidKey(key) else {
                throw DeployError("\(shown) line \(keyNode.mark?.line ?? 0): key is not a valid Secret key; use letters, digits, '-', '_' and '.'")
            }
            if let scalar = valueNode.scalar {
                data[key] = Array(scalar.string.utf8)
            } else {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
                // The one YAML-to-JSON conversion (aliases expanded, YAML types kept); never quotes values.
                let (value, problems) = YAMLToJSON.convert(valueNode, at: key, showingValues: false)
                if let problem = problems.first {
                    throw DeployError("\(shown) line \(problem.line ?? 0): \(problem.field): \(problem.message)")
                }
                data[key] = Array(try encoder.encode(value ?? .null))
            }
        }
        return data
    }

    private static func position(of error: YamlError) -> String {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _):
            return "line \(mark.line), column \(mark.column)"
        default:
            return "syntax error"
        }
    }
}
