/// core/v1 Volume: exactly one source is set.
public struct Volume: Codable, Sendable, Equatable {
    public var name: String
    public var configMap: ConfigMapVolumeSource?
    public var secret: SecretVolumeSource?
    public var emptyDir: EmptyDirVolumeSource?

    public init(
        name: String,
        configMap: ConfigMapVolumeSource? = nil,
        secret: SecretVolumeSource? = nil,
        emptyDir: EmptyDirVolumeSource? = nil
    ) {
        self.name = name
        self.configMap = configMap
        self.secret = secret
        self.emptyDir = emptyDir
    }
}

public struct ConfigMapVolumeSource: Codable, Sendable, Equatable {
    public var name: String
    /// Maps each key back to its relative path: keys cannot hold `/` (see docs/formats.md, "ConfigMap keys").
    public var items: [KeyToPath]?
    public var optional: Bool?

    public init(name: String, items: [KeyToPath]? = nil, optional: Bool? = nil) {
        self.name = name
        self.items = items
        self.optional = optional
    }
}

public struct SecretVolumeSource: Codable, Sendable, Equatable {
    public var secretName: String
    public var optional: Bool?

    public init(secretName: String, optional: Bool? = nil) {
        self.secretName = secretName
        self.optional = optional
    }
}

/// Encodes as `{}`: the API needs the key present to pick the source.
public struct EmptyDirVolumeSource: Codable, Sendable, Equatable {
    private enum CodingKeys: CodingKey {}

    public init() {}

    public init(from decoder: any Decoder) throws {
        _ = try decoder.container(keyedBy: CodingKeys.self)
    }

    public func encode(to encoder: any Encoder) throws {
        _ = encoder.container(keyedBy: CodingKeys.self)
    }
}

public struct KeyToPath: Codable, Sendable, Equatable {
    public var key: String
    public var path: String

    public init(key: String, path: String) {
        self.key = key
        self.path = path
    }
}

public struct VolumeMount: Codable, Sendable, Equatable {
    public var name: String
    public var mountPath: String
    public var readOnly: Bool?

    public init(name: String, mountPath: String, readOnly: Bool? = nil) {
        self.name = name
        self.mountPath = mountPath
        self.readOnly = readOnly
    }
}
