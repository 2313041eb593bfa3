import Foundation
import Yams
import KubeClient

/// The workflow's secrets, read from the working copy (never from a commit): `.secrets/` with one
/// key per file, or `.secrets.yaml` with one key per top-level entry (nested values JSON-encoded).
public struct SecretSource: Sendable {
    /// Where they came from, for messages: `wf/.secrets/`.
    public let origin: String
    /// Key → value bytes. Values are never printed.
    public let data: [String: [UInt8]]

    /// Reads the secrets of the workflow at `workflowDirectory` (repository-relative) in the working
    /// tree `workingDirectory`; nil when there are none (or there is no working tree).
    public static func load(workingDirectory: String?, workflowDirectory: String) throws -> SecretSource? {
        guard let workingDirectory else { return nil }
        let base = workflowDirectory.isEmpty ? workingDirectory : "\(workingDirectory)/\(workflowDirectory)"
        let prefix = workflowDirectory.isEmpty ? "" : workflowDirectory + "/"
        let directory = "\(base)/.secrets"
        let file = "\(base)/.secrets.yaml"
        var isDirectory: ObjCBool = false
        let hasDirectory = FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) && isDirectory.boolValue
        let hasFile = FileManager.default.fileExists(atPath: file)
        switch (hasDirectory, hasFile) {
        case (false, false):
            return nil
        case (true, true):
            throw DeployError("both \(prefix).secrets/ and \(prefix).secrets.yaml exist; keep one of them")
        case (true, false):
            return SecretSource(origin: "\(prefix).secrets/", data: try readDirectory(directory, shown: "\(prefix).secrets/"))
        case (false, true):
            return SecretSource(origin: "\(prefix).secrets.yaml", data: try readYAML(file, shown: "\(prefix).secrets.yaml"))
        }
    }

    static func readDirectory(_ path: String, shown: String) throws -> [String: [UInt8]] {
        var data = [String: [UInt8]]()
        let names = try FileManager.default.contentsOfDirectory(atPath: path).sorted()
        for name in names {
            var isDirectory: ObjCBool = false
            FileManager.default.fileExists(atPath: "\(path)/\(name)", isDirectory: &isDirectory)
            if isDirectory.boolValue {
                throw DeployError("\(shown)\(name) is a directory; \(shown) holds one file per secret key")
            }
            guard ConfigMapKey.isValidKey(name) else {
                throw DeployError("\(shown)\(name): not a valid Secret key; use letters, digits, '-', '_' and '.'")
            }
            guard let contents = FileManager.default.contents(atPath: "\(path)/\(name)") else {
                throw DeployError("\(shown)\(name): cannot be read")
            }
            data[name] = Array(contents)
        }
        return data
    }

    static func readYAML(_ path: String, shown: String) throws -> [String: [UInt8]] {
        guard let contents = FileManager.default.contents(atPath: path) else {
            throw DeployError("\(shown): cannot be read")
        }
        let node: Yams.Node?
        do {
            node = try Yams.compose(yaml: String(decoding: contents, as: UTF8.self))
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
