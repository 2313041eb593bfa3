/// etcd's limit on one request (`--max-request-bytes`, 1.5 MiB by default), which a stored object must fit.
enum StorageLimit {
    /// etcd's `DefaultMaxRequestBytes` (server/embed/config.go): 1.5 MiB.
    static let maxRequestBytes = 1_572_864

    /// What etcd is asked to store: the key (`/registry/<resource>/<namespace>/<name>`) and the object,
    /// managedFields included. The apiserver stores built-in kinds as protobuf, which is somewhat smaller than
    /// the JSON measured here (managedFields' `fieldsV1` is JSON in both), so this errs on the strict side.
    static func storedSize(_ stored: StoredObject, key: ObjectKey) -> Int {
        let path = ["/registry", key.resource.storagePrefix, key.namespace, key.name].compactMap { $0 }.joined(separator: "/")
        return path.utf8.count + stored.rendered.serialized().count
    }

    /// The apiserver passes etcd's `rpctypes.ErrRequestTooLarge` through unconverted, so `ErrorToAPIStatus`
    /// (staging/src/k8s.io/apiserver/pkg/endpoints/handlers/responsewriters/status.go) answers 500 with the
    /// etcd text and no reason.
    static let tooLarge = StatusError(code: 500, reason: "", message: "etcdserver: request is too large")

    static func check(_ stored: StoredObject, key: ObjectKey) throws {
        if storedSize(stored, key: key) > maxRequestBytes { throw tooLarge }
    }
}
