import Foundation
import TestSupport
import Yams

/// The documents of a rendered YAML stream, by "Kind/name".
struct RenderedObjects {
    let documents: [[String: Any]]

    init(yaml: String) throws {
        documents = try Yams.load_all(yaml: yaml).compactMap { $0 as? [String: Any] }
    }

    init(json: Data) throws {
        let list = try JSONSerialization.jsonObject(with: json) as? [String: Any]
        documents = list?["items"] as? [[String: Any]] ?? []
    }

    subscript(_ kindAndName: String) -> [String: Any]? {
        documents.first { doc in
            let meta = doc["metadata"] as? [String: Any]
            return "\(doc["kind"] ?? "")/\(meta?["name"] ?? "")" == kindAndName
        }
    }

    var names: [String] {
        documents.map { doc in "\(doc["kind"] ?? "")/\((doc["metadata"] as? [String: Any])?["name"] ?? "")" }
    }

    /// The ConfigMap's data mapped back through the Deployment's `items`: relative path → content.
    func filesByPath(workflow name: String) -> [String: String] {
        let data = self["ConfigMap/\(name)-code"]?["data"] as? [String: String] ?? [:]
        let spec = (self["Deployment/\(name)"]?["spec"] as? [String: Any])?["template"] as? [String: Any]
        let volumes = (spec?["spec"] as? [String: Any])?["volumes"] as? [[String: Any]] ?? []
        let code = volumes.first { $0["name"] as? String == "code" }?["configMap"] as? [String: Any]
        var result = [String: String]()
        for item in code?["items"] as? [[String: Any]] ?? [] {
            if let key = item["key"] as? String, let path = item["path"] as? String { result[path] = data[key] }
        }
        return result
    }
}

/// Looks up a nested value: `value(doc, "spec", "template", "metadata")`.
func value(_ object: Any?, _ path: String...) -> Any? {
    var current = object
    for key in path { current = (current as? [String: Any])?[key] }
    return current
}
