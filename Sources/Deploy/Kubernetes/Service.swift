/// core/v1 Service: the stable in-cluster address of the engine.
public struct Service: Codable, Sendable, Equatable {
    public var apiVersion = "v1"
    public var kind = "Service"
    public var metadata: ObjectMeta
    public var spec: ServiceSpec

    public init(metadata: ObjectMeta, spec: ServiceSpec) {
        self.metadata = metadata
        self.spec = spec
    }
}

public struct ServiceSpec: Codable, Sendable, Equatable {
    public var type: String?
    public var selector: [String: String]?
    public var ports: [ServicePort]

    public init(type: String? = nil, selector: [String: String]? = nil, ports: [ServicePort]) {
        self.type = type
        self.selector = selector
        self.ports = ports
    }
}

public struct ServicePort: Codable, Sendable, Equatable {
    public var name: String?
    public var port: Int
    public var targetPort: Int?
    public var `protocol`: String?

    public init(name: String? = nil, port: Int, targetPort: Int? = nil, protocol: String? = nil) {
        self.name = name
        self.port = port
        self.targetPort = targetPort
        self.protocol = `protocol`
    }
}
