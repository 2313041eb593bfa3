import Foundation

/// Where a stored object lives.
struct ObjectKey: Hashable, Sendable {
    let resource: Resource
    let namespace: String?
    let name: String
}

/// One stored object and its field ownership (rendered as `metadata.managedFields`).
struct StoredObject: Sendable {
    var object: JSON
    var managers: [ManagedEntry]

    /// The object as the API returns it.
    var rendered: JSON {
        var out = StoredObject.encoded(object)
        if !managers.isEmpty { out.set(["metadata", "managedFields"], .array(StoredObject.sorted(managers).map(\.json))) }
        return out
    }

    /// What encoding/json writes for a workload's struct fields that are not pointers and so are never omitted:
    /// a pod or job template's `ObjectMeta` carries `creationTimestamp: null` (a zero `metav1.Time` marshals as null,
    /// staging/src/k8s.io/apimachinery/pkg/apis/meta/v1/time.go), and an unset status is `status: {}`
    /// (`DeploymentStatus`, `ReplicaSetStatus`, `CronJobStatus` in staging/src/k8s.io/api). Decoding drops the null
    /// again (`Decoding.normalize`), so it is never stored, owned or hashed.
    static func encoded(_ object: JSON) -> JSON {
        var out = object
        let templates: [[String]]
        switch out["kind"]?.string {
        case "Deployment", "ReplicaSet": templates = [["spec", "template"]]
        case "CronJob": templates = [["spec", "jobTemplate"], ["spec", "jobTemplate", "spec", "template"]]
        default: return out
        }
        for path in templates where out.value(at: path)?.object != nil && out.value(at: path + ["metadata", "creationTimestamp"]) == nil {
            out.set(path + ["metadata", "creationTimestamp"], .null)
        }
        if out["status"] == nil || out["status"] == .null { out["status"] = .object([:]) }
        return out
    }

    /// `sortEncodedManagedFields` (staging/src/k8s.io/apimachinery/pkg/util/managedfields/internal/managedfields.go):
    /// by operation (Apply before Update), time (to the second), manager, apiVersion, subresource.
    static func sorted(_ entries: [ManagedEntry]) -> [ManagedEntry] {
        entries.sorted { p, q in
            let (a, b) = (p.manager, q.manager)
            if a.operation != b.operation { return a.operation < b.operation }
            if p.time != q.time { return p.time < q.time }
            if a.name != b.name { return a.name < b.name }
            if a.apiVersion != b.apiVersion { return a.apiVersion < b.apiVersion }
            return a.subresource < b.subresource
        }
    }
}

/// One change, as a watch reports it.
struct WatchEvent: Sendable {
    let resourceVersion: Int
    let type: String
    let key: ObjectKey
    let object: JSON
}

/// The objects, the global resourceVersion counter, the recent changes (for watches) and the clock;
/// not thread-safe (the server locks around it). A value, so a dry run works on a discarded copy.
struct ObjectStore: Sendable {
    private(set) var objects: [ObjectKey: StoredObject] = [:]
    private(set) var events: [WatchEvent] = []
    static let eventHistory = 5000
    private var lastResourceVersion = 1000
    private var uidCounter = 0

    mutating func nextResourceVersion() -> String {
        lastResourceVersion += 1
        return String(lastResourceVersion)
    }

    var currentResourceVersion: String { String(lastResourceVersion) }
    var lastEventVersion: Int { lastResourceVersion }

    private mutating func emit(_ type: String, _ key: ObjectKey, _ stored: StoredObject) {
        events.append(WatchEvent(resourceVersion: lastResourceVersion, type: type, key: key, object: stored.rendered))
        if events.count > ObjectStore.eventHistory { events.removeFirst(events.count - ObjectStore.eventHistory) }
    }

    mutating func newUID() -> String {
        uidCounter += 1
        let random = UUID().uuidString.lowercased()
        return String(random.dropLast(12)) + String(format: "%012x", uidCounter)
    }

    static func now() -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: Date())
    }

    subscript(key: ObjectKey) -> StoredObject? {
        get { objects[key] }
        set { objects[key] = newValue }
    }

    func list(_ resource: Resource, namespace: String?) -> [StoredObject] {
        objects.filter { $0.key.resource == resource && (namespace == nil || $0.key.namespace == namespace) }
            .sorted { ($0.key.namespace ?? "", $0.key.name) < ($1.key.namespace ?? "", $1.key.name) }
            .map(\.value)
    }

    func namespaceExists(_ name: String) -> Bool {
        objects[ObjectKey(resource: .namespaces, namespace: nil, name: name)] != nil
    }

    /// Stores a new object with the bookkeeping the registry adds on create.
    mutating func create(_ key: ObjectKey, object: JSON, managers: [ManagedEntry]) -> StoredObject {
        var object = object
        object.set(["metadata", "uid"], .string(newUID()))
        object.set(["metadata", "creationTimestamp"], .string(ObjectStore.now()))
        object.set(["metadata", "resourceVersion"], .string(nextResourceVersion()))
        if key.resource.tracksGeneration { object.set(["metadata", "generation"], 1) }
        let stored = StoredObject(object: object, managers: managers)
        objects[key] = stored
        emit("ADDED", key, stored)
        return stored
    }

    /// Replaces an object, keeping identity and bumping resourceVersion (and generation when spec changed)
    /// only if something changed. Returns the stored object and whether it was written.
    /// `throughStatus` is a write through the `status` subresource, whose strategies never bump the generation.
    mutating func update(_ key: ObjectKey, object: JSON, managers: [ManagedEntry], throughStatus: Bool = false) -> (StoredObject, Bool) {
        guard let old = objects[key] else { return (create(key, object: object, managers: managers), true) }
        var object = object
        for field in ["uid", "creationTimestamp", "resourceVersion", "generation"] {
            object.set(["metadata", field], old.object.value(at: ["metadata", field]))
        }
        // `rest.BeforeUpdate` (staging/src/k8s.io/apiserver/pkg/registry/rest/update.go): a deleting object stays deleting.
        for field in ["deletionTimestamp", "deletionGracePeriodSeconds"] where old.object.value(at: ["metadata", field]) != nil {
            object.set(["metadata", field], old.object.value(at: ["metadata", field]))
        }
        if old.object["status"] != nil { object["status"] = old.object["status"] } else { object["status"] = nil }
        if object == old.object && managers == old.managers { return (old, false) }
        if key.resource.tracksGeneration && !throughStatus
            && (object["spec"] != old.object["spec"] || ObjectStore.annotationsBumpGeneration(key.resource, old.object, object)) {
            object.set(["metadata", "generation"], .int((old.object.value(at: ["metadata", "generation"])?.int ?? 1) + 1))
        }
        object.set(["metadata", "resourceVersion"], .string(nextResourceVersion()))
        let stored = StoredObject(object: object, managers: managers)
        objects[key] = stored
        emit("MODIFIED", key, stored)
        return (stored, true)
    }

    /// The Deployment strategy's `PrepareForUpdate` (pkg/registry/apps/deployment/strategy.go) also bumps the
    /// generation when the annotations change, "because annotations are copied from deployments to their replica
    /// sets". `apiequality.Semantic.DeepEqual` takes an empty map for an absent one.
    static func annotationsBumpGeneration(_ resource: Resource, _ old: JSON, _ new: JSON) -> Bool {
        guard resource == .deployments else { return false }
        let before = old.value(at: ["metadata", "annotations"])?.object ?? [:]
        let after = new.value(at: ["metadata", "annotations"])?.object ?? [:]
        return before != after
    }

    /// Writes the object as given (the registry's own metadata changes: `markAsDeleting`, finalizers, the
    /// collector's ownerReferences), keeping its managers; bumps resourceVersion.
    mutating func write(_ key: ObjectKey, object: JSON) {
        guard var stored = objects[key], stored.object != object else { return }
        stored.object = object
        stored.object.set(["metadata", "resourceVersion"], .string(nextResourceVersion()))
        objects[key] = stored
        emit("MODIFIED", key, stored)
    }

    /// Writes status only (the controllers' subresource); bumps resourceVersion when it changed.
    mutating func setStatus(_ key: ObjectKey, _ status: JSON) {
        guard var stored = objects[key], stored.object["status"] != status else { return }
        stored.object["status"] = status
        stored.object.set(["metadata", "resourceVersion"], .string(nextResourceVersion()))
        objects[key] = stored
        emit("MODIFIED", key, stored)
    }

    @discardableResult
    mutating func delete(_ key: ObjectKey) -> StoredObject? {
        guard var stored = objects.removeValue(forKey: key) else { return nil }
        stored.object.set(["metadata", "resourceVersion"], .string(nextResourceVersion()))
        emit("DELETED", key, stored)
        return stored
    }
}
