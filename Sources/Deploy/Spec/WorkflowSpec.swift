import KubeClient
/// A validated workflow.yaml: what the deploy needs to name and wire the Kubernetes objects.
/// The file itself ships verbatim in the code bundle; this is only the deploy's reading of it.
public struct WorkflowSpec: Sendable, Equatable {
    public var name: String
    /// As written (`1.0`, `1.0.0`), even when YAML would read it as a number.
    public var version: String
    public var description: String?
    public var triggers: [Trigger]
    /// In file order.
    public var nodes: [Node]
    public var edges: [Edge]
    /// Free-form; handed to the engine untouched.
    public var config: JSONValue?
    /// `deployment.namespace`: the namespace used when no `-n` is given.
    public var namespace: String?

    public init(
        name: String,
        version: String,
        description: String? = nil,
        triggers: [Trigger] = [],
        nodes: [Node],
        edges: [Edge] = [],
        config: JSONValue? = nil,
        namespace: String? = nil
    ) {
        self.name = name
        self.version = version
        self.description = description
        self.triggers = triggers
        self.nodes = nodes
        self.edges = edges
        self.config = config
        self.namespace = namespace
    }

    /// Parses and validates a workflow.yaml, reporting every problem at once; warnings are dropped
    /// (see `read` for them). `file` is how errors name the file (`workflow.yaml`, or its repository path).
    public static func parse(_ text: String, file: String) throws(SpecErrors) -> WorkflowSpec {
        let reading = read(text, file: file)
        guard let spec = reading.spec, reading.errors.isEmpty else { throw SpecErrors(reading.errors) }
        return spec
    }

    /// Parses and validates a workflow.yaml: the spec when there are no errors, and every error and
    /// warning (unknown keys), each in a stable order.
    public static func read(_ text: String, file: String) -> SpecReading {
        var reader = SpecReader(file: file)
        let spec = reader.read(text)
        return SpecReading(spec: reader.errors.isEmpty ? spec : nil, errors: reader.errors, warnings: reader.warnings,
                           name: reader.writtenName)
    }
}

/// What reading a workflow.yaml found.
public struct SpecReading: Sendable, Equatable {
    /// Nil when there are errors.
    public var spec: WorkflowSpec?
    public var errors: [SpecError]
    /// Keys the engine's schema does not have; errors only under `--strict`.
    public var warnings: [SpecError]
    /// The `name` field as written when it is a string, errors or not.
    public var name: String?
}

// MARK: - Derived object names

extension WorkflowSpec {
    /// One CronJob per `cron` trigger, in trigger order (named by `Manifests`).
    public var cronJobNames: [String] {
        Manifests.cronJobNames(name, triggerNames: triggers.filter { $0.kind == .cron }.map(\.name))
    }
}

// MARK: - Parts

/// What starts a run of the workflow.
public struct Trigger: Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable, CaseIterable {
        case manual, cron, webhook, queue
    }

    public var kind: Kind
    /// Optional, unique among triggers; sent to the engine by the trigger's CronJob.
    public var name: String?
    /// Cron triggers only: five fields or a macro such as `@daily`.
    public var schedule: String?
    /// Webhook triggers only; starts with `/`. A webhook has a path, a provider, or both.
    public var path: String?
    /// Webhook triggers only: the service that calls it (`github`, `stripe`), with the `event` and
    /// `actions` it sends; the engine routes them, pipedreamer passes them through.
    public var provider: String?
    public var event: String?
    public var actions: [String]?
    /// Queue triggers only.
    public var subject: String?
    /// Line of the trigger in workflow.yaml, when parsed from one.
    public var line: Int?

    public init(
        kind: Kind,
        name: String? = nil,
        schedule: String? = nil,
        path: String? = nil,
        provider: String? = nil,
        event: String? = nil,
        actions: [String]? = nil,
        subject: String? = nil,
        line: Int? = nil
    ) {
        self.kind = kind
        self.name = name
        self.schedule = schedule
        self.path = path
        self.provider = provider
        self.event = event
        self.actions = actions
        self.subject = subject
        self.line = line
    }
}

/// One step of the workflow: a file the engine runs.
public struct Node: Sendable, Equatable {
    public var id: String
    /// Relative to the workflow directory, as written (`nodes/fetch.ts`).
    public var path: String
    public var description: String?
    /// What the engine grants the node (`network: outbound`); scalar values, as written.
    public var capabilities: [String: String]?
    /// Line of the node's id in workflow.yaml, when parsed from one.
    public var line: Int?

    public init(id: String, path: String, description: String? = nil, capabilities: [String: String]? = nil,
                line: Int? = nil) {
        self.id = id
        self.path = path
        self.description = description
        self.capabilities = capabilities
        self.line = line
    }
}

/// Data flows from one node to another.
public struct Edge: Sendable, Equatable {
    public var from: String
    public var to: String

    public init(from: String, to: String) {
        self.from = from
        self.to = to
    }
}
