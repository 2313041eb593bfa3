import Yams

/// The nodes as read: `ids` holds every well-formed id, even when its path was rejected, so
/// edges to it are not reported a second time as undefined.
struct NodeTable {
    var ids: [String] = []
    var valid: [Node] = []
}

/// An edge with where it was written, for cross-field errors.
struct LocatedEdge {
    let edge: Edge
    let index: Int
    let line: Int?
    let fromLine: Int?
    let toLine: Int?
}

extension SpecReader {
    // MARK: - nodes

    mutating func readNodes(_ node: Yams.Node) -> NodeTable {
        var table = NodeTable()
        guard case .mapping(let mapping) = node else {
            fail("nodes", line: node.mark?.line, node.isNull
                ? "must define at least one node, such as `fetch: nodes/fetch.ts`"
                : "expected a mapping of node id to file, got \(describe(node))")
            return table
        }
        if mapping.isEmpty {
            fail("nodes", line: node.mark?.line, "must define at least one node, such as `fetch: nodes/fetch.ts`")
        }
        for entry in entries(of: mapping, at: "nodes") {
            let field = "nodes.\(entry.key)"
            let idIsValid = SpecNames.isNodeID(entry.key)
            if idIsValid {
                table.ids.append(entry.key)
            } else {
                fail(field, line: entry.line, "invalid node id: use letters, digits, '_' and '-', starting with a letter or '_'")
            }
            guard var node = readNode(entry.value, at: field), idIsValid else { continue }
            node.id = entry.key
            node.line = entry.line
            table.valid.append(node)
        }
        return table
    }

    static let nodeKeys = ["capabilities", "description", "path"]

    /// A node is `id: path` or `id: {path: path, description: ..., capabilities: {...}}`; nil after an error.
    private mutating func readNode(_ node: Yams.Node, at field: String) -> Node? {
        switch node {
        case .mapping(let mapping):
            var result = Node(id: "", path: "")
            var valid = true
            var sawPath = false
            for entry in entries(of: mapping, at: field) {
                let keyField = "\(field).\(entry.key)"
                switch entry.key {
                case "path":
                    sawPath = true
                    let path = requiredString(entry.value, at: keyField)
                        .flatMap { checkedNodePath($0, at: keyField, line: entry.value.mark?.line) }
                    if let path { result.path = path } else { valid = false }
                case "description":
                    if entry.value.isNull { continue }
                    if let text = string(entry.value, at: keyField) { result.description = text } else { valid = false }
                case "capabilities":
                    if entry.value.isNull { continue }
                    if let map = scalarMap(entry.value, at: keyField) { result.capabilities = map } else { valid = false }
                default:
                    warnUnknown(entry, at: field, known: Self.nodeKeys)
                }
            }
            if !sawPath { fail("\(field).path", line: node.mark?.line, "required: the node's file, such as nodes/fetch.ts") }
            return valid && sawPath ? result : nil
        case .scalar where node.tagName == .str:
            return string(node, at: field).flatMap { checkedNodePath($0, at: field, line: node.mark?.line) }
                .map { Node(id: "", path: $0) }
        default:
            fail(field, line: node.mark?.line, node.isNull
                ? "must not be empty: give the node's file, such as nodes/fetch.ts"
                : "expected a file path or a mapping with path, got \(describe(node))")
            return nil
        }
    }

    /// Paths are relative to the workflow directory and must stay inside it.
    private mutating func checkedNodePath(_ path: String, at field: String, line: Int?) -> String? {
        let problem: String? =
            if path.isEmpty { "must not be empty" }
            else if path.contains("\\") { "'\(path)' contains a backslash; separate directories with '/'" }
            else if path.hasPrefix("/") { "'\(path)' must be relative to the workflow directory, not start with '/'" }
            else if path.split(separator: "/").contains("..") { "'\(path)' must stay inside the workflow directory (no '..')" }
            else { nil }
        if let problem {
            fail(field, line: line, problem)
            return nil
        }
        return path
    }

    // MARK: - edges

    mutating func readEdges(_ node: Yams.Node) -> [LocatedEdge] {
        if node.isNull { return [] }
        guard case .sequence(let sequence) = node else {
            fail("edges", line: node.mark?.line, "expected a sequence of {from, to} mappings, got \(describe(node))")
            return []
        }
        var edges: [LocatedEdge] = []
        var firstIndex: [[String]: Int] = [:]
        for (index, item) in sequence.enumerated() {
            let field = "edges[\(index)]"
            guard let edge = readEdge(item, index: index, at: field) else { continue }
            let (from, to) = (edge.edge.from, edge.edge.to)
            if from == to {
                fail(field, line: edge.line, "node '\(from)' has an edge to itself")
            } else if let first = firstIndex[[from, to]] {
                fail(field, line: edge.line, "duplicate of edges[\(first)] (\(from) -> \(to))")
            } else {
                firstIndex[[from, to]] = index
                edges.append(edge)
            }
        }
        return edges
    }

    private mutating func readEdge(_ node: Yams.Node, index: Int, at field: String) -> LocatedEdge? {
        guard case .mapping(let mapping) = node else {
            fail(field, line: node.mark?.line, "expected a mapping with from and to, got \(describe(node))")
            return nil
        }
        var ends: [String: (value: String, line: Int?)] = [:]
        var valid = true
        for entry in entries(of: mapping, at: field) {
            let keyField = "\(field).\(entry.key)"
            guard entry.key == "from" || entry.key == "to" else {
                warnUnknown(entry, at: field, known: ["from", "to"])
                continue
            }
            guard let id = requiredString(entry.value, at: keyField) else { valid = false; continue }
            ends[entry.key] = (id, entry.value.mark?.line)
        }
        for key in ["from", "to"] where ends[key] == nil && !mapping.keys.contains(where: { $0.scalar?.string == key }) {
            fail("\(field).\(key)", line: node.mark?.line, "required: a node id")
            valid = false
        }
        guard valid, let from = ends["from"], let to = ends["to"] else { return nil }
        return LocatedEdge(
            edge: Edge(from: from.value, to: to.value), index: index,
            line: node.mark?.line, fromLine: from.line, toLine: to.line)
    }

    // MARK: - cross-field

    /// Edges name defined nodes.
    mutating func checkEdgeEnds(_ edges: [LocatedEdge], nodes: NodeTable) {
        let defined = Set(nodes.ids)
        for edge in edges {
            for (key, id, line) in [("from", edge.edge.from, edge.fromLine), ("to", edge.edge.to, edge.toLine)]
            where !defined.contains(id) {
                let known = nodes.ids.isEmpty ? "no nodes are defined" : "defined nodes are \(nodes.ids.joined(separator: ", "))"
                fail("edges[\(edge.index)].\(key)", line: line, "'\(id)' is not a defined node; \(known)")
            }
        }
    }

    /// The engine runs nodes in dependency order, so edges must not loop. Each strongly connected
    /// group of nodes is reported once, by its shortest cycle through its first node in file order.
    mutating func checkCycles(_ edges: [LocatedEdge], nodes: NodeTable) {
        let defined = Set(nodes.ids)
        let usable = edges.filter { defined.contains($0.edge.from) && defined.contains($0.edge.to) }
        var outgoing: [String: [LocatedEdge]] = [:]
        for edge in usable { outgoing[edge.edge.from, default: []].append(edge) }

        var incoming: [String: [LocatedEdge]] = [:]
        for edge in usable { incoming[edge.edge.to, default: []].append(edge) }

        var reported: Set<String> = []
        for start in nodes.ids where !reported.contains(start) {
            guard let cycle = shortestCycle(through: start, outgoing: outgoing) else { continue }
            let group = reachable(from: start, along: outgoing, \.to)
                .intersection(reachable(from: start, along: incoming, \.from))
            reported.formUnion(group)
            let path = ([start] + cycle.map(\.edge.to)).joined(separator: " -> ")
            fail("edges[\(cycle[0].index)]", line: cycle[0].line, "edges form a cycle: \(path)")
        }
    }

    private func reachable(
        from start: String, along edges: [String: [LocatedEdge]], _ end: KeyPath<Edge, String>
    ) -> Set<String> {
        var seen: Set<String> = [start]
        var stack = [start]
        while let current = stack.popLast() {
            for edge in edges[current] ?? [] where seen.insert(edge.edge[keyPath: end]).inserted {
                stack.append(edge.edge[keyPath: end])
            }
        }
        return seen
    }

    /// Breadth-first from `start`, following edges in file order; the path back to `start`, if any.
    private func shortestCycle(through start: String, outgoing: [String: [LocatedEdge]]) -> [LocatedEdge]? {
        var reachedBy: [String: LocatedEdge] = [:]
        var queue = [start]
        var head = 0
        while head < queue.count {
            let current = queue[head]
            head += 1
            for edge in outgoing[current] ?? [] {
                let next = edge.edge.to
                if next == start {
                    var path = [edge]
                    var node = current
                    while node != start, let previous = reachedBy[node] {
                        path.insert(previous, at: 0)
                        node = previous.edge.from
                    }
                    return path
                }
                if reachedBy[next] == nil {
                    reachedBy[next] = edge
                    queue.append(next)
                }
            }
        }
        return nil
    }
}
