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

    /// Parses and validates a workflow.yaml, reporting every problem at once.
    /// `file` is how errors name the file (`workflow.yaml`, or its path in the repository).
    public static func parse(_ text: String, file: String) throws(SpecErrors) -> WorkflowSpec {
        var reader = SpecReader(file: file)
        let spec = reader.read(text)
        guard let spec, reader.errors.isEmpty else { throw SpecErrors(reader.errors) }
        return spec
    }
}

// MARK: - Derived object names

extension WorkflowSpec {
    /// CronJob names are capped below the 63 of other names: the controller appends an
    /// 11-character suffix to name each Job.
    public static let maxCronJobNameLength = 52
    /// Services are DNS-1035 labels.
    public static let maxServiceNameLength = 63

    /// The ConfigMap holding the code bundle.
    public var codeConfigMapName: String { "\(name)-code" }
    /// The Secret built from the working copy's `.secrets/` or `.secrets.yaml`.
    public var secretName: String { "\(name)-secrets" }
    /// The Deployment and the Service share the workflow's name.
    public var deploymentName: String { name }
    public var serviceName: String { name }

    /// One CronJob per `cron` trigger, in trigger order.
    public var cronJobNames: [String] {
        Self.cronJobNames(name: name, cronTriggerCount: triggers.filter { $0.kind == .cron }.count)
    }

    /// `<name>-cron` for a single cron trigger, `<name>-cron-1`, `<name>-cron-2`, … for several.
    public static func cronJobNames(name: String, cronTriggerCount: Int) -> [String] {
        switch cronTriggerCount {
        case 0: []
        case 1: ["\(name)-cron"]
        default: (1...cronTriggerCount).map { "\(name)-cron-\($0)" }
        }
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
    /// Webhook triggers only; starts with `/`.
    public var path: String?
    /// Queue triggers only.
    public var subject: String?
    /// Line of the trigger in workflow.yaml, when parsed from one.
    public var line: Int?

    public init(
        kind: Kind,
        name: String? = nil,
        schedule: String? = nil,
        path: String? = nil,
        subject: String? = nil,
        line: Int? = nil
    ) {
        self.kind = kind
        self.name = name
        self.schedule = schedule
        self.path = path
        self.subject = subject
        self.line = line
    }
}

/// One step of the workflow: a file the engine runs.
public struct Node: Sendable, Equatable {
    public var id: String
    /// Relative to the workflow directory, as written (`nodes/fetch.ts`).
    public var path: String
    /// Line of the node's id in workflow.yaml, when parsed from one.
    public var line: Int?

    public init(id: String, path: String, line: Int? = nil) {
        self.id = id
        self.path = path
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
