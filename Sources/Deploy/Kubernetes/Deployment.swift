/// apps/v1 Deployment: runs the engine with the code ConfigMap mounted.
public struct Deployment: Codable, Sendable, Equatable {
    public var apiVersion = "apps/v1"
    public var kind = "Deployment"
    public var metadata: ObjectMeta
    public var spec: DeploymentSpec

    public init(metadata: ObjectMeta, spec: DeploymentSpec) {
        self.metadata = metadata
        self.spec = spec
    }
}

public struct DeploymentSpec: Codable, Sendable, Equatable {
    public var replicas: Int?
    /// Old ReplicaSets the Deployment keeps: in per-commit mode the code versions deploy keeps
    /// (`--keep`), since each old ReplicaSet pins the code ConfigMap it mounts; nil leaves the
    /// apps/v1 default (10).
    public var revisionHistoryLimit: Int?
    public var selector: LabelSelector
    public var template: PodTemplateSpec

    public init(replicas: Int? = nil, revisionHistoryLimit: Int? = nil, selector: LabelSelector, template: PodTemplateSpec) {
        self.replicas = replicas
        self.revisionHistoryLimit = revisionHistoryLimit
        self.selector = selector
        self.template = template
    }
}

public struct PodTemplateSpec: Codable, Sendable, Equatable {
    public var metadata: ObjectMeta?
    public var spec: PodSpec

    public init(metadata: ObjectMeta? = nil, spec: PodSpec) {
        self.metadata = metadata
        self.spec = spec
    }
}
