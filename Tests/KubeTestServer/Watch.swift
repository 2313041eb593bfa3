import Foundation

/// What a `?watch=true` request asks to follow.
struct WatchRequest: Sendable {
    let resource: Resource
    let namespace: String?
    let filter: ObjectFilter
    /// Start after this resourceVersion; nil or "0" starts with the current objects as ADDED.
    let resourceVersion: String?
    let timeoutSeconds: Int?
    /// The shape of each event's object, as `Accept` asked (`as=PartialObjectMetadata`).
    var view: MetadataView = .object
}

/// `labelSelector` and `fieldSelector` (the kind's labels, `FieldSelectors`) of list and watch.
struct ObjectFilter: Sendable {
    var resource: Resource
    var labels: [LabelSelector.Requirement] = []
    var fields: [LabelSelector.Requirement] = []

    init(_ request: APIRequest, resource: Resource) throws {
        self.resource = resource
        if let text = request.parameter("labelSelector"), !text.isEmpty {
            guard let parsed = LabelSelector.parse(text) else {
                throw StatusError.badRequest("unable to parse requirement: invalid label selector \(FieldError.goQuote(text))")
            }
            labels = parsed
        }
        if let text = request.parameter("fieldSelector"), !text.isEmpty {
            guard let parsed = LabelSelector.parse(text) else { throw StatusError.badRequest("invalid field selector \(FieldError.goQuote(text))") }
            for requirement in parsed {
                switch requirement {
                case .equals(let field, _), .notEquals(let field, _):
                    let rule = FieldSelectors.rule(resource)
                    guard rule.labels.contains(field) else { throw StatusError.badRequest(rule.refusal(field)) }
                default: throw StatusError.badRequest("invalid field selector \(FieldError.goQuote(text))")
                }
            }
            fields = parsed
        }
    }

    func matches(_ object: JSON) -> Bool {
        let labelSet = (object.value(at: ["metadata", "labels"])?.object ?? [:]).compactMapValues(\.string)
        let fieldSet = FieldSelectors.values(of: object, as: resource)
        return labels.allSatisfy { $0.matches(labelSet) } && fields.allSatisfy { $0.matches(fieldSet) }
    }
}

/// One open watch: where it is in the event stream and how to reach its connection.
final class Watcher: @unchecked Sendable {
    let request: WatchRequest
    /// One framed event, or nil to end the stream.
    let send: @Sendable (Data?) -> Void
    var position: Int

    init(request: WatchRequest, position: Int, send: @escaping @Sendable (Data?) -> Void) {
        self.request = request
        self.position = position
        self.send = send
    }

    func wants(_ event: WatchEvent) -> Bool {
        event.resourceVersion > position && event.key.resource == request.resource
            && (request.namespace == nil || event.key.namespace == request.namespace) && request.filter.matches(event.object)
    }

    static func frame(_ type: String, _ object: JSON) -> Data {
        Data((JSON.object(["type": .string(type), "object": object]).text() + "\n").utf8)
    }

    /// The event as the watch's embedded encoder writes it (`watchEmbeddedEncoder`,
    /// staging/src/k8s.io/apiserver/pkg/endpoints/handlers/watch.go and response.go's `transformObject`): each
    /// object as PartialObjectMetadata when asked. Asking a watch for PartialObjectMetadataList fails the transform
    /// of the first event (an event holds one object, not a list), and `HandleHTTP` then ends the stream: nil.
    func frame(_ type: String, _ object: JSON) -> Data? {
        switch request.view {
        case .object: return Watcher.frame(type, object)
        case .partial(let apiVersion): return Watcher.frame(type, MetadataView.partial(object, apiVersion))
        case .partialList: return nil
        }
    }
}

extension ServerCore {
    /// Registers a watch and sends what it starts with; returns its id for `closeWatch`.
    func openWatch(_ request: WatchRequest, send: @escaping @Sendable (Data?) -> Void) -> Int {
        withLock {
            let start = Int(request.resourceVersion ?? "") ?? 0
            let watcher = Watcher(request: request, position: store.lastEventVersion, send: send)
            if start == 0 {
                for stored in store.list(request.resource, namespace: request.namespace) where request.filter.matches(stored.rendered) {
                    send(watcher.frame("ADDED", stored.rendered))
                }
            } else {
                watcher.position = start
                deliver(to: watcher)
            }
            nextWatchID += 1
            watchers[nextWatchID] = watcher
            return nextWatchID
        }
    }

    func closeWatch(_ id: Int) { withLock { watchers[id] = nil } }

    /// Sends every open watch the changes it has not seen. Called with the lock held after writes.
    func deliverEvents() {
        for watcher in watchers.values { deliver(to: watcher) }
    }

    private func deliver(to watcher: Watcher) {
        for event in store.events where watcher.wants(event) {
            watcher.send(watcher.frame(event.type, event.object))
        }
        watcher.position = store.lastEventVersion
    }
}
