/// One object of a rendered manifest; a list of them keeps apply order.
public enum KubeObject: Sendable, Equatable, Encodable {
    case configMap(ConfigMap)
    case secret(Secret)
    case deployment(Deployment)
    case service(Service)
    case cronJob(CronJob)

    public var apiVersion: String {
        switch self {
        case .configMap(let object): object.apiVersion
        case .secret(let object): object.apiVersion
        case .deployment(let object): object.apiVersion
        case .service(let object): object.apiVersion
        case .cronJob(let object): object.apiVersion
        }
    }

    public var kind: String {
        switch self {
        case .configMap(let object): object.kind
        case .secret(let object): object.kind
        case .deployment(let object): object.kind
        case .service(let object): object.kind
        case .cronJob(let object): object.kind
        }
    }

    public var metadata: ObjectMeta {
        switch self {
        case .configMap(let object): object.metadata
        case .secret(let object): object.metadata
        case .deployment(let object): object.metadata
        case .service(let object): object.metadata
        case .cronJob(let object): object.metadata
        }
    }

    /// Encodes as the wrapped object itself, with no enum wrapper.
    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .configMap(let object): try object.encode(to: encoder)
        case .secret(let object): try object.encode(to: encoder)
        case .deployment(let object): try object.encode(to: encoder)
        case .service(let object): try object.encode(to: encoder)
        case .cronJob(let object): try object.encode(to: encoder)
        }
    }
}
