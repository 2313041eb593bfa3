/// RFC 6902 JSON Patch over objects and arrays (add, remove, replace, test, copy, move).
enum JSONPatch {
    static func apply(_ patch: JSON, to document: JSON) throws -> JSON {
        guard let operations = patch.array else { throw StatusError.badRequest("json: cannot unmarshal object into Go value of type jsonpatch.Patch") }
        var document = document
        for operation in operations {
            let op = operation["op"]?.string ?? ""
            let path = pointer(operation["path"]?.string ?? "")
            switch op {
            case "add": try set(&document, path, operation["value"] ?? .null, insert: true)
            case "replace":
                guard value(document, path) != nil else { throw failure("replace operation does not apply: doc is missing key: \(operation["path"]?.string ?? "")") }
                try set(&document, path, operation["value"] ?? .null, insert: false)
            case "remove":
                guard value(document, path) != nil else { throw failure("remove operation does not apply: doc is missing path: \(operation["path"]?.string ?? "")") }
                try remove(&document, path)
            case "test":
                guard value(document, path) == operation["value"] else { throw failure("testing value \(operation["path"]?.string ?? "") failed: test failed") }
            case "copy", "move":
                let from = pointer(operation["from"]?.string ?? "")
                guard let moved = value(document, from) else { throw failure("\(op) operation does not apply: doc is missing from path") }
                if op == "move" { try remove(&document, from) }
                try set(&document, path, moved, insert: true)
            default:
                throw StatusError.badRequest("Unexpected kind: \(op)")
            }
        }
        return document
    }

    private static func failure(_ message: String) -> StatusError {
        StatusError(code: 422, reason: "Invalid", message: message)
    }

    private static func pointer(_ text: String) -> [String] {
        text.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
            .map { $0.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~") }
    }

    private static func value(_ node: JSON, _ path: [String]) -> JSON? {
        guard let first = path.first else { return node }
        if let items = node.array { return Int(first).flatMap { items.indices.contains($0) ? value(items[$0], Array(path.dropFirst())) : nil } }
        return node[first].flatMap { value($0, Array(path.dropFirst())) }
    }

    private static func set(_ node: inout JSON, _ path: [String], _ newValue: JSON, insert: Bool) throws {
        guard let first = path.first else { node = newValue; return }
        let rest = Array(path.dropFirst())
        if var items = node.array {
            let index = first == "-" ? items.count : (Int(first) ?? -1)
            guard index >= 0 && index <= items.count else { throw failure("add operation does not apply: index out of bounds") }
            if rest.isEmpty {
                if insert { items.insert(newValue, at: index) } else if index < items.count { items[index] = newValue }
            } else {
                guard index < items.count else { throw failure("add operation does not apply: index out of bounds") }
                try set(&items[index], rest, newValue, insert: insert)
            }
            node = .array(items)
        } else if var fields = node.object {
            if rest.isEmpty { fields[first] = newValue } else {
                guard var child = fields[first] else { throw failure("add operation does not apply: doc is missing path: /\(path.joined(separator: "/"))") }
                try set(&child, rest, newValue, insert: insert)
                fields[first] = child
            }
            node = .object(fields)
        } else {
            throw failure("add operation does not apply: doc is missing path")
        }
    }

    private static func remove(_ node: inout JSON, _ path: [String]) throws {
        guard let first = path.first else { return }
        let rest = Array(path.dropFirst())
        if var items = node.array, let index = Int(first), items.indices.contains(index) {
            if rest.isEmpty { items.remove(at: index) } else { try remove(&items[index], rest) }
            node = .array(items)
        } else if var fields = node.object, var child = fields[first] {
            if rest.isEmpty { fields[first] = nil } else { try remove(&child, rest); fields[first] = child }
            node = .object(fields)
        }
    }
}
