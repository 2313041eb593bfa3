import Yams

/// The engine's own sections, which pipedreamer does not build objects from: their keys are known
/// (so a typo warns) and their shapes checked, and the file ships verbatim, so the engine sees them
/// untouched. `contract` and its dependencies take free extras.
extension SpecReader {
    static let metadataKeys = ["environment", "group", "tags"]
    static let sidecarKeys = ["args", "command", "env", "healthPath", "image", "name", "port", "protocol", "resources"]

    mutating func readMetadata(_ node: Yams.Node) {
        for entry in knownEntries(node, at: "metadata", known: Self.metadataKeys) {
            let field = "metadata.\(entry.key)"
            if entry.value.isNull { continue }
            if entry.key == "tags" { _ = stringList(entry.value, at: field) } else { _ = string(entry.value, at: field) }
        }
    }

    mutating func readContract(_ node: Yams.Node) {
        guard let entries = mappingEntries(node, at: "contract") else { return }
        for entry in entries where !entry.value.isNull {
            let field = "contract.\(entry.key)"
            switch entry.key {
            case "version": _ = scalarText(entry.value, at: field)
            case "dependencies": readDependencies(entry.value, at: field)
            default: break
            }
        }
    }

    private mutating func readDependencies(_ node: Yams.Node, at field: String) {
        guard let dependencies = mappingEntries(node, at: field) else { return }
        for dependency in dependencies {
            let dependencyField = "\(field).\(dependency.key)"
            guard let entries = mappingEntries(dependency.value, at: dependencyField) else { continue }
            for entry in entries where !entry.value.isNull {
                let keyField = "\(dependencyField).\(entry.key)"
                switch entry.key {
                case "protocol", "host", "type": _ = string(entry.value, at: keyField)
                case "port": _ = port(entry.value, at: keyField)
                case "auth":
                    for auth in mappingEntries(entry.value, at: keyField) ?? []
                    where ["type", "secret"].contains(auth.key) && !auth.value.isNull {
                        _ = string(auth.value, at: "\(keyField).\(auth.key)")
                    }
                default: break
                }
            }
        }
    }

    mutating func readSidecars(_ node: Yams.Node) {
        if node.isNull { return }
        guard case .sequence(let sequence) = node else {
            fail("sidecars", line: node.mark?.line, "expected a sequence of sidecars, got \(describe(node))")
            return
        }
        for (index, item) in sequence.enumerated() {
            let field = "sidecars[\(index)]"
            guard case .mapping = item else {
                fail(field, line: item.mark?.line, "expected a mapping with name and image, got \(describe(item))")
                continue
            }
            let entries = knownEntries(item, at: field, known: Self.sidecarKeys)
            for entry in entries {
                let keyField = "\(field).\(entry.key)"
                switch entry.key {
                case "name", "image": _ = requiredString(entry.value, at: keyField)
                case "protocol", "healthPath": if !entry.value.isNull { _ = string(entry.value, at: keyField) }
                case "command", "args": if !entry.value.isNull { _ = stringList(entry.value, at: keyField) }
                case "port": if !entry.value.isNull { _ = port(entry.value, at: keyField) }
                case "env", "resources": if !entry.value.isNull { _ = mappingEntries(entry.value, at: keyField) }
                default: break
                }
            }
            for key in ["name", "image"] where !entries.contains(where: { $0.key == key }) {
                fail("\(field).\(key)", line: item.mark?.line, "required for a sidecar")
            }
        }
    }

    // MARK: - Shapes

    /// The entries of a mapping (nil after reporting that `node` is not one; null is an empty mapping).
    mutating func mappingEntries(_ node: Yams.Node, at field: String) -> [Entry]? {
        if node.isNull { return [] }
        guard case .mapping(let mapping) = node else {
            fail(field, line: node.mark?.line, "expected a mapping, got \(describe(node))")
            return nil
        }
        return entries(of: mapping, at: field)
    }

    /// The entries of a mapping whose keys are `known`; the others are warned about and left out.
    mutating func knownEntries(_ node: Yams.Node, at field: String, known: [String]) -> [Entry] {
        let all = mappingEntries(node, at: field) ?? []
        for entry in all where !known.contains(entry.key) { warnUnknown(entry, at: field, known: known) }
        return all.filter { known.contains($0.key) }
    }

    /// A sequence of strings; nil after reporting the first item that is not one.
    mutating func stringList(_ node: Yams.Node, at field: String) -> [String]? {
        guard case .sequence(let sequence) = node else {
            fail(field, line: node.mark?.line, "expected a sequence of strings, got \(describe(node))")
            return nil
        }
        var result: [String] = []
        for (index, item) in sequence.enumerated() {
            guard let text = string(item, at: "\(field)[\(index)]") else { return nil }
            result.append(text)
        }
        return result
    }

    /// A mapping of names to scalars (strings, numbers, booleans), each kept as written.
    mutating func scalarMap(_ node: Yams.Node, at field: String) -> [String: String]? {
        guard let entries = mappingEntries(node, at: field) else { return nil }
        var result: [String: String] = [:]
        var valid = true
        for entry in entries {
            if let text = scalarText(entry.value, at: "\(field).\(entry.key)") { result[entry.key] = text } else { valid = false }
        }
        return valid ? result : nil
    }

    /// A string, number or boolean as written; nil after reporting anything else.
    mutating func scalarText(_ node: Yams.Node, at field: String) -> String? {
        guard case .scalar(let scalar) = node, [.str, .int, .float, .bool].contains(node.tagName) else {
            fail(field, line: node.mark?.line, "expected a string, number or boolean, got \(describe(node))")
            return nil
        }
        return scalar.string
    }

    /// A TCP/UDP port: an integer from 1 to 65535.
    mutating func port(_ node: Yams.Node, at field: String) -> Int? {
        guard node.tagName == .int, let value = node.int, (1...65535).contains(value) else {
            fail(field, line: node.mark?.line, "expected a port number from 1 to 65535, got \(describe(node))")
            return nil
        }
        return value
    }
}

/// The known key a mistyped one most likely meant.
enum KeySuggestion {
    /// The closest of `known` within a small edit distance (one edit for short keys, two otherwise).
    static func closest(to key: String, among known: [String]) -> String? {
        let allowed = key.count <= 4 ? 1 : 2
        let scored = known.map { ($0, distance(Array(key.lowercased()), Array($0.lowercased()))) }
        guard let best = scored.min(by: { ($0.1, $0.0) < ($1.1, $1.0) }), best.1 <= allowed else { return nil }
        return best.0
    }

    /// Optimal string alignment distance: insertions, deletions, substitutions, adjacent swaps.
    static func distance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        var table = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { table[i][0] = i }
        for j in 0...b.count { table[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                table[i][j] = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    table[i][j] = min(table[i][j], table[i - 2][j - 2] + 1)
                }
            }
        }
        return table[a.count][b.count]
    }
}
