import Foundation

/// The deployment controller's ReplicaSet bookkeeping (pkg/controller/deployment/sync.go and
/// util/deployment_util.go): one ReplicaSet `<deployment>-<pod-template-hash>` per pod template, owned by the
/// Deployment, numbered by the `deployment.kubernetes.io/revision` annotation. Called with the lock held.
extension ServerCore {
    struct OwnedReplicaSet {
        let key: ObjectKey
        let replicas: Int64
        let revision: Int64
    }

    static let revisionAnnotation = "deployment.kubernetes.io/revision"
    static let revisionHistoryAnnotation = "deployment.kubernetes.io/revision-history"
    static let controllerManager = FieldManager(name: "kube-controller-manager", operation: "Update", apiVersion: "apps/v1")
    /// `skipCopyAnnotation`: what a ReplicaSet does not take from its Deployment.
    static let uncopiedAnnotations: Set<String> = [
        "kubectl.kubernetes.io/last-applied-configuration", revisionAnnotation, revisionHistoryAnnotation,
        "deployment.kubernetes.io/desired-replicas", "deployment.kubernetes.io/max-replicas", "deprecated.deployment.rollback.to",
    ]

    /// The ReplicaSets whose controller ownerReference is this Deployment, oldest revision first.
    func ownedReplicaSets(_ deployment: JSON, namespace: String?) -> [(ObjectKey, JSON)] {
        let uid = deployment.value(at: ["metadata", "uid"])?.string
        return store.objects.filter { key, stored in
            key.resource == .replicaSets && key.namespace == namespace
                && (stored.object.value(at: ["metadata", "ownerReferences"])?.array ?? [])
                    .contains { $0["uid"]?.string == uid && $0["controller"]?.bool == true }
        }
        .map { ($0.key, $0.value.object) }
        .sorted { ServerCore.revision(of: $0.1) < ServerCore.revision(of: $1.1) }
    }

    static func revision(of object: JSON) -> Int64 {
        Int64(object.value(at: ["metadata", "annotations", revisionAnnotation])?.string ?? "") ?? 0
    }

    /// `getAllReplicaSetsAndSyncRevision`: finds the ReplicaSet whose template equals the Deployment's (ignoring
    /// the hash label) or creates it, gives it the next revision when it is not the newest, and stamps that
    /// revision on the Deployment.
    func syncRevision(_ key: ObjectKey, _ deployment: JSON) -> (OwnedReplicaSet, [OwnedReplicaSet]) {
        let owned = ownedReplicaSets(deployment, namespace: key.namespace)
        let template = deployment.value(at: ["spec", "template"]) ?? .null
        let maxRevision = owned.map { ServerCore.revision(of: $0.1) }.max() ?? 0
        let matching = owned.first {
            ServerCore.templateWithoutHash($0.1.value(at: ["spec", "template"])).map(ServerCore.semantic) == ServerCore.semantic(template)
        }
        var newKey: ObjectKey
        var revision: Int64
        if case let (existingKey, existing)? = matching {
            newKey = existingKey
            revision = ServerCore.revision(of: existing)
            var object = existing
            if revision < maxRevision {
                let old = String(revision)
                revision = maxRevision + 1
                let history = object.value(at: ["metadata", "annotations", ServerCore.revisionHistoryAnnotation])?.string ?? ""
                object.set(["metadata", "annotations", ServerCore.revisionHistoryAnnotation], .string(history.isEmpty ? old : history + "," + old))
                object.set(["metadata", "annotations", ServerCore.revisionAnnotation], .string(String(revision)))
            }
            // SetNewReplicaSetAnnotations → copyDeploymentAnnotationsToReplicaSet: the Deployment's annotations
            // (but the skipped ones) are set on the new ReplicaSet; keys the Deployment dropped stay.
            for (name, value) in deployment.value(at: ["metadata", "annotations"])?.object ?? [:]
            where !ServerCore.uncopiedAnnotations.contains(name) {
                object.set(["metadata", "annotations", name], value)
            }
            if object != existing { writeAsController(existingKey, object) }
        } else {
            revision = maxRevision + 1
            let hash = ServerCore.podTemplateHash(template)
            newKey = ObjectKey(resource: .replicaSets, namespace: key.namespace, name: "\(key.name)-\(hash)")
            let object = ServerCore.newReplicaSet(deployment, name: newKey.name, hash: hash, revision: revision)
            let managers = Ownership.update([], old: nil, new: object, by: ServerCore.controllerManager, now: ObjectStore.now())
            _ = store.create(newKey, object: object, managers: managers)
        }
        if deployment.value(at: ["metadata", "annotations", ServerCore.revisionAnnotation])?.string != String(revision) {
            // sync.go `getNewReplicaSet` stamps the revision with `UpdateStatus`: through the status subresource,
            // whose strategy keeps spec and labels and leaves the generation alone.
            var updated = deployment
            updated.set(["metadata", "annotations", ServerCore.revisionAnnotation], .string(String(revision)))
            writeAsController(key, updated, throughStatus: true)
        }
        let replicas = { (key: ObjectKey) in self.store[key]?.object.value(at: ["spec", "replicas"])?.int ?? 0 }
        let olds = ownedReplicaSets(deployment, namespace: key.namespace).filter { $0.0 != newKey }
            .map { OwnedReplicaSet(key: $0.0, replicas: replicas($0.0), revision: ServerCore.revision(of: $0.1)) }
        return (OwnedReplicaSet(key: newKey, replicas: replicas(newKey), revision: revision), olds)
    }

    /// A controller's status write through the `status` subresource: kube-controller-manager's entry with
    /// `subresource: status` owns what it wrote, as the real server records it.
    func writeStatusAsController(_ key: ObjectKey, _ status: JSON) {
        guard var stored = store[key], stored.object["status"] != status else { return }
        var manager = ServerCore.controllerManager
        manager.subresource = "status"
        // The entry keeps what else it wrote through `status` (the Deployment's revision annotation).
        let kept = stored.managers.first { $0.manager.sameIdentity(manager) }?.fields.filter { $0.elements.first != .field("status") } ?? Set()
        stored.managers.removeAll { $0.manager.sameIdentity(manager) }
        stored.managers.append(ManagedEntry(manager: manager, fields: kept.union(FieldPath.leaves(of: ["status": status])), time: ObjectStore.now()))
        store[key] = stored
        store.setStatus(key, status)
    }

    /// A controller write: an Update by `kube-controller-manager`, recorded with `subresource: status` when it
    /// went through the status subresource.
    private func writeAsController(_ key: ObjectKey, _ object: JSON, throughStatus: Bool = false) {
        guard let existing = store[key] else { return }
        var manager = ServerCore.controllerManager
        if throughStatus { manager.subresource = "status" }
        let managers = Ownership.update(existing.managers, old: existing.object, new: object, by: manager, now: ObjectStore.now())
        _ = store.update(key, object: object, managers: managers, throughStatus: throughStatus)
    }

    /// What `apiequality.Semantic.DeepEqual` compares of a decoded object: a null, an empty map or an empty
    /// list is the same as an absent field (third_party/forked/golang/reflect/deep_equal.go). Without the Go
    /// types, an empty object is taken for a map or value struct; an empty pointer struct (`securityContext: {}`)
    /// would differ from absent on a real server.
    static func semantic(_ value: JSON) -> JSON {
        switch value {
        case .object(let fields):
            return .object(fields.compactMapValues { child in
                let kept = semantic(child)
                switch kept {
                case .null: return nil
                case .object(let inner) where inner.isEmpty: return nil
                case .array(let items) where items.isEmpty: return nil
                default: return kept
                }
            })
        case .array(let items): return .array(items.map(semantic))
        default: return value
        }
    }

    static func templateWithoutHash(_ template: JSON?) -> JSON? {
        guard var template else { return nil }
        var labels = template.value(at: ["metadata", "labels"])?.object ?? [:]
        labels["pod-template-hash"] = nil
        template.set(["metadata", "labels"], labels.isEmpty ? nil : .object(labels))
        if template["metadata"]?.object?.isEmpty == true { template["metadata"] = nil }
        return template
    }

    /// The ReplicaSet `getNewReplicaSet` creates: the template and selector gain `pod-template-hash`, the
    /// Deployment's annotations are copied, and the Deployment is its controller owner.
    static func newReplicaSet(_ deployment: JSON, name: String, hash: String, revision: Int64) -> JSON {
        var template = deployment.value(at: ["spec", "template"]) ?? .object([:])
        template.set(["metadata", "labels", "pod-template-hash"], .string(hash))
        var selector = deployment.value(at: ["spec", "selector"]) ?? .object([:])
        selector.set(["matchLabels", "pod-template-hash"], .string(hash))
        var annotations = (deployment.value(at: ["metadata", "annotations"])?.object ?? [:]).filter { !uncopiedAnnotations.contains($0.key) }
        annotations[revisionAnnotation] = .string(String(revision))
        let owner: JSON = ["apiVersion": "apps/v1", "kind": "Deployment", "name": deployment.value(at: ["metadata", "name"]) ?? "",
                           "uid": deployment.value(at: ["metadata", "uid"]) ?? "", "controller": true, "blockOwnerDeletion": true]
        var spec: JSON = ["replicas": 0, "selector": selector, "template": template]
        spec["minReadySeconds"] = deployment.value(at: ["spec", "minReadySeconds"])
        return ["apiVersion": "apps/v1", "kind": "ReplicaSet",
                "metadata": ["name": .string(name), "namespace": deployment.value(at: ["metadata", "namespace"]) ?? "default",
                             "labels": template.value(at: ["metadata", "labels"]) ?? .object([:]),
                             "annotations": .object(annotations), "ownerReferences": [owner]],
                "spec": spec]
    }

    /// `scaleReplicaSet` with `SetReplicasAnnotations`, then the ReplicaSet controller's status: pods exist at
    /// once and `available` of them are ready.
    func scaleReplicaSet(_ key: ObjectKey, to replicas: Int64, available: Int64, deployment: JSON, surge: Int64) {
        guard var object = store[key]?.object else { return }
        let desired = deployment.value(at: ["spec", "replicas"])?.int ?? 1
        object.set(["spec", "replicas"], .int(replicas))
        object.set(["metadata", "annotations", "deployment.kubernetes.io/desired-replicas"], .string(String(desired)))
        object.set(["metadata", "annotations", "deployment.kubernetes.io/max-replicas"], .string(String(desired + surge)))
        if object != store[key]?.object { writeAsController(key, object) }
        guard let generation = store[key]?.object.value(at: ["metadata", "generation"])?.int else { return }
        var status: JSON = ["replicas": .int(replicas), "observedGeneration": .int(generation)]
        if replicas > 0 { status["fullyLabeledReplicas"] = .int(replicas) }
        if available > 0 {
            status["readyReplicas"] = .int(available)
            status["availableReplicas"] = .int(available)
        }
        writeStatusAsController(key, status)
    }

    /// `cleanupDeployment`: once the rollout is complete, old ReplicaSets beyond `revisionHistoryLimit`
    /// (10 when unset, the apps/v1 default) go, oldest revision first, only those scaled to 0.
    func cleanUpOldReplicaSets(_ olds: [OwnedReplicaSet], deployment: JSON) {
        let limit = deployment.value(at: ["spec", "revisionHistoryLimit"])?.int ?? 10
        let excess = Int64(olds.count) - limit
        guard excess > 0 else { return }
        for old in olds.sorted(by: { $0.revision < $1.revision }).prefix(Int(excess)) {
            if store[old.key]?.object.value(at: ["spec", "replicas"])?.int == 0 { store.delete(old.key) }
        }
    }
}
