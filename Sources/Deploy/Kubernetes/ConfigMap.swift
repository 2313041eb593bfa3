/// core/v1 ConfigMap: carries a workflow's code bundle.
public struct ConfigMap: Codable, Sendable, Equatable {
    public var apiVersion = "v1"
    public var kind = "ConfigMap"
    public var metadata: ObjectMeta
    public var data: [String: String]?
    /// Set on per-commit code ConfigMaps: the server refuses any change of their data.
    public var immutable: Bool?

    public init(metadata: ObjectMeta, data: [String: String]? = nil, immutable: Bool? = nil) {
        self.metadata = metadata
        self.data = data
        self.immutable = immutable
    }
}

/// core/v1 Secret; `data` values are base64, as the API stores them.
public struct Secret: Codable, Sendable, Equatable {
    public var apiVersion = "v1"
    public var kind = "Secret"
    public var metadata: ObjectMeta
    public var type: String?
    public var data: [String: String]?

    public init(metadata: ObjectMeta, type: String? = nil, data: [String: String]? = nil) {
        self.metadata = metadata
        self.type = type
        self.data = data
    }
}
