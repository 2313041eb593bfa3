import WorkflowBundle
/// Everything the objects of one workflow are built from; no I/O behind it.
public struct ManifestInput: Sendable, Equatable {
    /// The workflow name: the Deployment's and Service's name, prefix of the others.
    public var name: String
    /// nil leaves `metadata.namespace` out, for `kubectl apply` to choose.
    public var namespace: String?
    public var image: String
    /// nil omits `runtimeClassName`.
    public var runtimeClassName: String?
    /// The full 40-hex commit SHA the bundle was read from.
    public var commit: String
    /// The full SHA of the last commit that changed what the workflow ships: the restart stamp.
    public var codeCommit: String
    /// Where the code lives: `<name>-code`, or an immutable ConfigMap per code commit.
    public var codeConfigMap: CodeConfigMapMode = .shared
    /// Per-commit code versions kept besides the live one (`--keep`): the Deployment's
    /// `revisionHistoryLimit` in per-commit mode.
    public var codeVersionsKept = RenderOptions.defaultCodeVersionsKept
    /// The code bundle, in the order its `items` are listed.
    public var files: [BundledFile]
    public var cronJobs: [CronJobInput]
    /// Working-copy secrets by key; nil when the workflow has none.
    public var secretData: [String: [UInt8]]?

    public init(
        name: String,
        namespace: String?,
        image: String,
        runtimeClassName: String?,
        commit: String,
        codeCommit: String? = nil,
        files: [BundledFile],
        cronJobs: [CronJobInput] = [],
        secretData: [String: [UInt8]]? = nil
    ) {
        self.name = name
        self.namespace = namespace
        self.image = image
        self.runtimeClassName = runtimeClassName
        self.commit = commit
        self.codeCommit = codeCommit ?? commit
        self.files = files
        self.cronJobs = cronJobs
        self.secretData = secretData
    }
}

/// One `cron` trigger, its object name already derived by `Manifests.cronJobNames`.
public struct CronJobInput: Sendable, Equatable {
    public var name: String
    /// The trigger's `name` in workflow.yaml, sent in the request body when set.
    public var triggerName: String?
    public var schedule: String

    public init(name: String, triggerName: String? = nil, schedule: String) {
        self.name = name
        self.triggerName = triggerName
        self.schedule = schedule
    }
}
