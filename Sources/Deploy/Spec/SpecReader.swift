import Foundation
import Yams
import KubeClient

/// Walks a workflow.yaml once in document order, collecting every problem rather than stopping
/// at the first, then runs the checks that span several fields.
struct SpecReader {
    /// The engine's documented top-level fields.
    static let topLevelKeys = [
        "config", "contract", "deployment", "description", "edges", "metadata", "name", "nodes", "sidecars",
        "triggers", "version",
    ]

    let file: String
    private(set) var errors: [SpecError] = []
    /// Keys nobody knows: the engine ignores them, so they only warn (unless the check is strict).
    private(set) var warnings: [SpecError] = []
    /// The `name` field as written, when it is a string: reported even when the spec has errors.
    private(set) var writtenName: String?

    init(file: String) {
        self.file = file
    }

    /// The spec, or nil when the text is not even a mapping; check `errors` either way.
    mutating func read(_ text: String) -> WorkflowSpec? {
        if let excess = YAMLNodeBudget.firstExcess(in: text) {
            fail(excess.field, line: excess.line, "more than \(YAMLNodeBudget.maxNodes) YAML nodes in the file (keys and "
                + "values, an alias counting as a copy of what it stands for); write fewer values, or move data out of workflow.yaml")
            return nil
        }
        let root: Yams.Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            reportYAMLError(error)
            return nil
        }
        guard let root, !root.isNull else {
            fail("", line: nil, "the file is empty; expected a mapping with name, version and nodes")
            return nil
        }
        guard case .mapping(let mapping) = root else {
            fail("", line: root.mark?.line, "expected a mapping with name, version and nodes, got \(describe(root))")
            return nil
        }

        var parts = Parts()
        for entry in entries(of: mapping, at: "") {
            parts.seen.insert(entry.key)
            let value = entry.value
            switch entry.key {
            case "name": parts.name = readName(value)
            case "version": parts.version = readVersion(value)
            case "description": parts.description = value.isNull ? nil : string(value, at: "description")
            case "triggers":
                parts.triggers = readTriggers(value)
                parts.cronTriggers = Self.cronTriggers(in: value)
            case "nodes": parts.nodes = readNodes(value)
            case "edges": parts.edges = readEdges(value)
            case "config": parts.config = json(value, at: "config")
            case "deployment": parts.namespace = readDeployment(value)
            case "metadata": readMetadata(value)
            case "contract": readContract(value)
            case "sidecars": readSidecars(value)
            default: warnUnknown(entry, at: "", known: Self.topLevelKeys)
            }
        }
        for (key, hint) in [
            ("name", "a kebab-case name such as `hello-world`"),
            ("version", "such as `1.0` or `1.0.0`"),
            ("nodes", "a mapping of node id to file, such as `fetch: nodes/fetch.ts`"),
        ] where !parts.seen.contains(key) {
            fail(key, line: nil, "required: \(hint)")
        }

        checkCronJobNames(name: parts.name, cronTriggers: parts.cronTriggers)
        checkEdgeEnds(parts.edges, nodes: parts.nodes)
        checkCycles(parts.edges, nodes: parts.nodes)

        guard let name = parts.name, let version = parts.version else { return nil }
        return WorkflowSpec(
            name: name.value,
            version: version,
            description: parts.description,
            triggers: parts.triggers,
            nodes: parts.nodes.valid,
            edges: parts.edges.map(\.edge),
            config: parts.config,
            namespace: parts.namespace
        )
    }

    /// What the walk has read so far; fields that failed their checks stay nil or are left out.
    private struct Parts {
        var seen: Set<String> = []
        var name: (value: String, line: Int?)?
        var version: String?
        var description: String?
        var triggers: [Trigger] = []
        var cronTriggers: [CronTriggerName] = []
        var nodes = NodeTable()
        var edges: [LocatedEdge] = []
        var config: JSONValue?
        var namespace: String?
    }

    // MARK: - Top-level scalars

    private mutating func readName(_ node: Yams.Node) -> (value: String, line: Int?)? {
        guard let name = requiredString(node, at: "name") else { return nil }
        writtenName = name
        let line = node.mark?.line
        guard SpecNames.isKebabCase(name) else {
            fail("name", line: line, "'\(name)' is not kebab-case: use lowercase letters, digits and '-', "
                + "starting and ending with a letter or digit")
            return nil
        }
        guard name.first!.isLetter else {
            fail("name", line: line, "'\(name)' must start with a letter: it is also the Service name (a DNS-1035 label)")
            return nil
        }
        guard name.count <= Manifests.maxServiceNameLength else {
            fail("name", line: line, "too long: the Service name '\(name)' would be \(name.count) characters "
                + "(at most \(Manifests.maxServiceNameLength))")
            return nil
        }
        return (name, line)
    }

    /// YAML reads an unquoted `1.0` as a number; the text as written is what counts.
    private mutating func readVersion(_ node: Yams.Node) -> String? {
        guard case .scalar(let scalar) = node, [.str, .float, .int].contains(node.tagName) else {
            fail("version", line: node.mark?.line, node.isNull
                ? "must not be empty; use MAJOR.MINOR or MAJOR.MINOR.PATCH, such as 1.0 or 1.0.0"
                : "expected a version such as 1.0 or 1.0.0, got \(describe(node))")
            return nil
        }
        let text = scalar.string
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard (2...3).contains(parts.count),
            parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } })
        else {
            fail("version", line: node.mark?.line,
                 "'\(text)' is not MAJOR.MINOR or MAJOR.MINOR.PATCH (digits only), such as 1.0 or 1.0.0")
            return nil
        }
        return text
    }

    private mutating func readDeployment(_ node: Yams.Node) -> String? {
        if node.isNull { return nil }
        guard case .mapping(let mapping) = node else {
            fail("deployment", line: node.mark?.line, "expected a mapping, got \(describe(node))")
            return nil
        }
        var namespace: String?
        for entry in entries(of: mapping, at: "deployment") {
            let field = "deployment.\(entry.key)"
            guard entry.key == "namespace" else {
                warnUnknown(entry, at: "deployment", known: ["namespace"])
                continue
            }
            guard let value = requiredString(entry.value, at: field) else { continue }
            let line = entry.value.mark?.line
            if !SpecNames.isKebabCase(value) {
                fail(field, line: line, "'\(value)' is not a valid namespace (a DNS-1123 label): use lowercase "
                    + "letters, digits and '-', starting and ending with a letter or digit")
            } else if value.count > SpecNames.maxLabelLength {
                fail(field, line: line, "too long: \(value.count) characters (at most \(SpecNames.maxLabelLength))")
            } else {
                namespace = value
            }
        }
        return namespace
    }

    // MARK: - Helpers

    mutating func fail(_ field: String, line: Int?, _ message: String) {
        record(SpecError(file: file, field: field, line: line, message: message))
    }

    mutating func record(_ error: SpecError) {
        errors.append(error)
    }

    /// A key the engine's schema does not have: a warning, with the known key it is likely a typo of.
    mutating func warnUnknown(_ entry: Entry, at parent: String, known: [String]) {
        let message = KeySuggestion.closest(to: entry.key, among: known).map { "unknown key; did you mean \($0)?" }
            ?? "unknown key; known keys are \(known.joined(separator: ", "))"
        warnings.append(SpecError(file: file, field: join(parent, entry.key), line: entry.line, message: message))
    }

    struct Entry {
        let key: String
        /// Line of the key.
        let line: Int?
        let value: Yams.Node
    }

    /// A mapping's entries in file order. Yams already rejects exact duplicate keys; this also
    /// catches keys that differ only in YAML type (`1` and `"1"`), which JSON readers would merge.
    mutating func entries(of mapping: Yams.Node.Mapping, at field: String) -> [Entry] {
        var result: [Entry] = []
        var seen: Set<String> = []
        for (keyNode, value) in mapping {
            let line = keyNode.mark?.line
            guard case .scalar(let scalar) = keyNode else {
                fail(field, line: line, "keys must be plain strings, got \(describe(keyNode))")
                continue
            }
            let key = scalar.string
            guard seen.insert(key).inserted else {
                fail(join(field, key), line: line, "duplicate key")
                continue
            }
            result.append(Entry(key: key, line: line, value: value))
        }
        return result
    }

    /// The string in `node`, or nil after reporting that it is empty or not a string.
    mutating func requiredString(_ node: Yams.Node, at field: String) -> String? {
        if node.isNull {
            fail(field, line: node.mark?.line, "must not be empty")
            return nil
        }
        return string(node, at: field)
    }

    /// The string in `node`, or nil after reporting that it is not one. Numbers and booleans are
    /// not strings: quote them.
    mutating func string(_ node: Yams.Node, at field: String) -> String? {
        guard case .scalar(let scalar) = node, node.tagName == .str else {
            fail(field, line: node.mark?.line, "expected a string, got \(describe(node))")
            return nil
        }
        return scalar.string
    }

    func join(_ parent: String, _ key: String) -> String {
        parent.isEmpty ? key : "\(parent).\(key)"
    }

    /// `a mapping`, `the number 1`: what the user wrote, for "expected X, got Y".
    func describe(_ node: Yams.Node) -> String {
        switch node {
        case .mapping: return "a mapping"
        case .sequence: return "a sequence"
        case .alias: return "an alias"
        case .scalar(let scalar):
            switch node.tagName {
            case .null: return "nothing"
            case .bool: return "the boolean \(scalar.string)"
            case .int, .float: return "the number \(scalar.string)"
            case .timestamp: return "the timestamp \(scalar.string)"
            default: return "'\(scalar.string)'"
            }
        }
    }
}
