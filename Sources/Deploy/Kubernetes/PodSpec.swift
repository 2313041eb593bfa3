/// core/v1 PodSpec, reduced to what the engine and trigger pods use.
public struct PodSpec: Codable, Sendable, Equatable {
    /// false on every pod pipedreamer makes: workflow code never needs the namespace's service account.
    public var automountServiceAccountToken: Bool?
    public var containers: [Container]
    public var restartPolicy: String?
    public var runtimeClassName: String?
    public var securityContext: PodSecurityContext?
    public var volumes: [Volume]?

    public init(
        automountServiceAccountToken: Bool? = nil,
        containers: [Container],
        restartPolicy: String? = nil,
        runtimeClassName: String? = nil,
        securityContext: PodSecurityContext? = nil,
        volumes: [Volume]? = nil
    ) {
        self.automountServiceAccountToken = automountServiceAccountToken
        self.containers = containers
        self.restartPolicy = restartPolicy
        self.runtimeClassName = runtimeClassName
        self.securityContext = securityContext
        self.volumes = volumes
    }
}

public struct Container: Codable, Sendable, Equatable {
    public var name: String
    public var image: String
    public var command: [String]?
    public var args: [String]?
    public var ports: [ContainerPort]?
    public var livenessProbe: Probe?
    public var readinessProbe: Probe?
    public var resources: ResourceRequirements?
    public var securityContext: SecurityContext?
    public var volumeMounts: [VolumeMount]?

    public init(
        name: String,
        image: String,
        command: [String]? = nil,
        args: [String]? = nil,
        ports: [ContainerPort]? = nil,
        livenessProbe: Probe? = nil,
        readinessProbe: Probe? = nil,
        resources: ResourceRequirements? = nil,
        securityContext: SecurityContext? = nil,
        volumeMounts: [VolumeMount]? = nil
    ) {
        self.name = name
        self.image = image
        self.command = command
        self.args = args
        self.ports = ports
        self.livenessProbe = livenessProbe
        self.readinessProbe = readinessProbe
        self.resources = resources
        self.securityContext = securityContext
        self.volumeMounts = volumeMounts
    }
}

public struct ContainerPort: Codable, Sendable, Equatable {
    public var name: String?
    public var containerPort: Int
    public var `protocol`: String?

    public init(name: String? = nil, containerPort: Int, protocol: String? = nil) {
        self.name = name
        self.containerPort = containerPort
        self.protocol = `protocol`
    }
}

public struct Probe: Codable, Sendable, Equatable {
    public var httpGet: HTTPGetAction

    public init(httpGet: HTTPGetAction) {
        self.httpGet = httpGet
    }
}

public struct HTTPGetAction: Codable, Sendable, Equatable {
    public var path: String
    public var port: Int

    public init(path: String, port: Int) {
        self.path = path
        self.port = port
    }
}

/// Requests and limits as Kubernetes quantities (`100m`, `128Mi`).
public struct ResourceRequirements: Codable, Sendable, Equatable {
    public var requests: [String: String]?
    public var limits: [String: String]?

    public init(requests: [String: String]? = nil, limits: [String: String]? = nil) {
        self.requests = requests
        self.limits = limits
    }
}

public struct SecurityContext: Codable, Sendable, Equatable {
    public var allowPrivilegeEscalation: Bool?
    public var capabilities: Capabilities?
    public var readOnlyRootFilesystem: Bool?
    public var runAsNonRoot: Bool?
    public var runAsUser: Int?
    public var runAsGroup: Int?
    public var seccompProfile: SeccompProfile?

    public init(
        allowPrivilegeEscalation: Bool? = nil,
        capabilities: Capabilities? = nil,
        readOnlyRootFilesystem: Bool? = nil,
        runAsNonRoot: Bool? = nil,
        runAsUser: Int? = nil,
        runAsGroup: Int? = nil,
        seccompProfile: SeccompProfile? = nil
    ) {
        self.allowPrivilegeEscalation = allowPrivilegeEscalation
        self.capabilities = capabilities
        self.readOnlyRootFilesystem = readOnlyRootFilesystem
        self.runAsNonRoot = runAsNonRoot
        self.runAsUser = runAsUser
        self.runAsGroup = runAsGroup
        self.seccompProfile = seccompProfile
    }
}

public struct PodSecurityContext: Codable, Sendable, Equatable {
    public var runAsNonRoot: Bool?
    public var runAsUser: Int?
    public var runAsGroup: Int?
    public var fsGroup: Int?
    public var seccompProfile: SeccompProfile?

    public init(
        runAsNonRoot: Bool? = nil,
        runAsUser: Int? = nil,
        runAsGroup: Int? = nil,
        fsGroup: Int? = nil,
        seccompProfile: SeccompProfile? = nil
    ) {
        self.runAsNonRoot = runAsNonRoot
        self.runAsUser = runAsUser
        self.runAsGroup = runAsGroup
        self.fsGroup = fsGroup
        self.seccompProfile = seccompProfile
    }
}

public struct Capabilities: Codable, Sendable, Equatable {
    public var drop: [String]?

    public init(drop: [String]? = nil) {
        self.drop = drop
    }
}

public struct SeccompProfile: Codable, Sendable, Equatable {
    public var type: String

    public init(type: String) {
        self.type = type
    }

    public static let runtimeDefault = SeccompProfile(type: "RuntimeDefault")
}
