import GitFiles

/// One problem in a workflow.yaml, located by field path and line so the user can go fix it.
public struct SpecError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file as the user knows it (`workflow.yaml`, `flows/hello/workflow.yaml`).
    public var file: String
    /// Path of the offending field (`triggers[1].schedule`, `nodes.fetch`); empty for the whole file.
    public var field: String
    /// 1-based line, when the YAML parser knows it.
    public var line: Int?
    /// 1-based column; only YAML syntax errors carry one.
    public var column: Int?
    public var message: String

    public init(file: String, field: String, line: Int?, column: Int? = nil, message: String) {
        self.file = file
        self.field = field
        self.line = line
        self.column = column
        self.message = message
    }

    /// `workflow.yaml:12: triggers[1].schedule: message`, dropping the parts that are unknown. Field
    /// names and messages quote the commit's own keys and values, so their control characters are
    /// escaped as git escapes a path's (`\n`, `\033`): a value cannot rewrite the terminal.
    public var description: String {
        var location = PathQuoting.quoted(file)
        if let line {
            location += ":\(line)"
            if let column { location += ":\(column)" }
        }
        let field = Self.terminalSafe(field), message = Self.terminalSafe(message)
        return field.isEmpty ? "\(location): \(message)" : "\(location): \(field): \(message)"
    }

    static func terminalSafe(_ text: String) -> String {
        PathQuoting.hasControls(text) ? PathQuoting.escaped(Array(text.utf8), quote: 0) : text
    }
}

/// Every problem found in one workflow.yaml, in a stable order: document order, then cross-field checks.
public struct SpecErrors: Error, Sendable, Equatable, CustomStringConvertible {
    public var errors: [SpecError]

    public init(_ errors: [SpecError]) {
        self.errors = errors
    }

    /// One error per line.
    public var description: String {
        errors.map(\.description).joined(separator: "\n")
    }
}
