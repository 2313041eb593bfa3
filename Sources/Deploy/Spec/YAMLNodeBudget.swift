import CYaml

/// Counts a YAML document's nodes as a reader that expands aliases would see them, before
/// anything is composed, so a document of nested aliases ("billion laughs") is refused in time
/// and memory proportional to its text.
///
/// Yams composes an alias as the anchored node itself (shared, not copied), but it hashes every
/// mapping key whole to find duplicates, and every reader after it (the engine's included) walks
/// the expanded tree; so the count is taken here, over libyaml's events (the same parser Yams
/// runs), keeping only a stack of open collections and one count per anchor.
enum YAMLNodeBudget {
    /// Keys and values together, an alias counting as a copy of what it stands for.
    static let maxNodes = 100_000

    /// Where the count first went over `maxNodes`: the field being read and its line.
    struct Excess: Equatable {
        let field: String
        let line: Int
    }

    /// The first place the document goes over `limit` nodes, or nil when it stays within it. A
    /// syntax error also returns nil: composing then stops at the same event, having held fewer.
    static func firstExcess(in text: String, limit: Int = maxNodes) -> Excess? {
        var bytes = Array(text.utf8)
        return bytes.withUnsafeMutableBufferPointer { buffer in
            var parser = yaml_parser_t()
            guard yaml_parser_initialize(&parser) == 1 else { return nil }
            defer { yaml_parser_delete(&parser) }
            yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            var counter = Counter(limit: limit)
            while true {
                var event = yaml_event_t()
                guard yaml_parser_parse(&parser, &event) == 1 else { return nil }
                defer { yaml_event_delete(&event) }
                if event.type == YAML_STREAM_END_EVENT { return nil }
                if let excess = counter.consume(event) { return excess }
            }
        }
    }

    private struct Counter {
        /// An open sequence or mapping: where it is, the count before it, its anchor.
        struct Frame {
            let isMapping: Bool
            let field: String
            let countBefore: Int
            let anchor: String?
            var index = 0
            var key: String?
            var expectingKey = true
        }

        let limit: Int
        var count = 0
        var stack: [Frame] = []
        var anchors: [String: Int] = [:]

        mutating func consume(_ event: yaml_event_t) -> Excess? {
            let line = Int(event.start_mark.line) + 1
            switch event.type {
            case YAML_SCALAR_EVENT:
                let field = place()
                // Only a key's text names anything; values are counted, not copied.
                let isKey = stack.last.map { $0.isMapping && $0.expectingKey } ?? false
                let value = isKey ? event.data.scalar.value.map { String(cString: $0) } : nil
                count += 1
                if let anchor = Self.name(event.data.scalar.anchor) { anchors[anchor] = 1 }
                finishNode(scalar: value)
                return count > limit ? Excess(field: field, line: line) : nil
            case YAML_ALIAS_EVENT:
                let field = place()
                // An undefined alias is the composer's error to report; it stands for nothing here.
                count += Self.name(event.data.alias.anchor).flatMap { anchors[$0] } ?? 1
                finishNode(scalar: nil)
                return count > limit ? Excess(field: field, line: line) : nil
            case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
                let isMapping = event.type == YAML_MAPPING_START_EVENT
                let field = place()
                let anchor = Self.name(isMapping ? event.data.mapping_start.anchor : event.data.sequence_start.anchor)
                stack.append(Frame(isMapping: isMapping, field: field, countBefore: count, anchor: anchor))
                count += 1
                return count > limit ? Excess(field: field, line: line) : nil
            case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                guard let frame = stack.popLast() else { return nil }
                if let anchor = frame.anchor { anchors[anchor] = count - frame.countBefore }
                finishNode(scalar: nil)
                return nil
            default:
                return nil
            }
        }

        /// The field path of the node that starts now (`nodes.fetch`, `triggers[2]`); a key names its mapping.
        mutating func place() -> String {
            guard let top = stack.last else { return "" }
            if !top.isMapping { return "\(top.field)[\(top.index)]" }
            if top.expectingKey { return top.field }
            let key = top.key ?? "?"
            return top.field.isEmpty ? key : "\(top.field).\(key)"
        }

        /// Moves the enclosing collection past the node just read.
        mutating func finishNode(scalar: String?) {
            guard !stack.isEmpty else { return }
            if !stack[stack.count - 1].isMapping {
                stack[stack.count - 1].index += 1
            } else if stack[stack.count - 1].expectingKey {
                stack[stack.count - 1].key = scalar
                stack[stack.count - 1].expectingKey = false
            } else {
                stack[stack.count - 1].expectingKey = true
            }
        }

        static func name(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
            pointer.map { String(cString: $0) }
        }
    }
}
