/// The metadata every object carries: only the fields pipedreamer sets.
public struct ObjectMeta: Codable, Sendable, Equatable {
    public var name: String?
    public var namespace: String?
    public var labels: [String: String]?
    public var annotations: [String: String]?

    public init(
        name: String? = nil,
        namespace: String? = nil,
        labels: [String: String]? = nil,
        annotations: [String: String]? = nil
    ) {
        self.name = name
        self.namespace = namespace
        self.labels = labels
        self.annotations = annotations
    }
}

/// `spec.selector` of a Deployment; immutable once created, so kept minimal.
public struct LabelSelector: Codable, Sendable, Equatable {
    public var matchLabels: [String: String]

    public init(matchLabels: [String: String]) {
        self.matchLabels = matchLabels
    }
}
