import Foundation

/// A stand-in for kube-controller-manager's deployment controller: after a spec change it reports the
/// rollout done (or stuck) in `status`, and it counts rollouts as distinct pod templates.
extension ServerCore {
    /// Called with the lock held after a Deployment was written.
    func deploymentChanged(_ key: ObjectKey) {
        guard let stored = store[key] else { return }
        let hash = ServerCore.podTemplateHash(stored.object.value(at: ["spec", "template"]) ?? .null)
        if !(templates[key] ?? []).contains(hash) { templates[key, default: []].append(hash) }
        let generation = stored.object.value(at: ["metadata", "generation"])?.int ?? 1
        if stored.object.value(at: ["status", "observedGeneration"])?.int == generation { return }
        schedule(configuration.rolloutDelayMilliseconds) { [weak self] in
            self?.withLock { self?.reconcile(key) }
        }
    }

    /// Called with the lock held when a stuck Deployment's pods come up: like the real controller, it
    /// reports the rollout done without waiting for a new generation.
    func podsBecameAvailable(_ key: ObjectKey) {
        guard store[key] != nil else { return }
        schedule(configuration.rolloutDelayMilliseconds) { [weak self] in
            self?.withLock { self?.reconcile(key) }
        }
    }

    /// Writes the status the real controller would reach for the current generation.
    private func reconcile(_ key: ObjectKey) {
        guard let stored = store[key] else { return }
        let object = stored.object
        let generation = object.value(at: ["metadata", "generation"])?.int ?? 1
        let replicas = object.value(at: ["spec", "replicas"])?.int ?? 1
        let hash = ServerCore.podTemplateHash(object.value(at: ["spec", "template"]) ?? .null)
        let replicaSet = "\(key.name)-\(hash)"
        let now = ObjectStore.now()
        var status: JSON
        if neverAvailable.contains(key) {
            status = ["observedGeneration": .int(generation), "replicas": .int(replicas), "updatedReplicas": .int(replicas),
                      "unavailableReplicas": .int(replicas),
                      "conditions": [
                        condition("Available", false, "MinimumReplicasUnavailable", "Deployment does not have minimum availability.", now),
                        condition("Progressing", false, "ProgressDeadlineExceeded", "ReplicaSet \"\(replicaSet)\" has timed out progressing.", now),
                      ]]
        } else {
            status = ["observedGeneration": .int(generation), "replicas": .int(replicas), "updatedReplicas": .int(replicas),
                      "readyReplicas": .int(replicas), "availableReplicas": .int(replicas),
                      "conditions": [
                        condition("Available", true, "MinimumReplicasAvailable", "Deployment has minimum availability.", now),
                        condition("Progressing", true, "NewReplicaSetAvailable", "ReplicaSet \"\(replicaSet)\" has successfully progressed.", now),
                      ]]
            if replicas == 0 { status["readyReplicas"] = nil; status["availableReplicas"] = nil }
        }
        store.setStatus(key, status)
        deliverEvents()
    }

    private func condition(_ type: String, _ value: Bool, _ reason: String, _ message: String, _ now: String) -> JSON {
        ["type": .string(type), "status": value ? "True" : "False", "reason": .string(reason), "message": .string(message),
         "lastUpdateTime": .string(now), "lastTransitionTime": .string(now)]
    }

    /// Like the controller's `pod-template-hash`: FNV-1a of the template, in the "safe" alphabet.
    static func podTemplateHash(_ template: JSON) -> String {
        var hash: UInt32 = 2_166_136_261
        for byte in template.text().utf8 {
            hash ^= UInt32(byte)
            hash = hash &* 16_777_619
        }
        let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")
        return String(String(hash).utf8.map { alphabet[Int($0) % alphabet.count] })
    }
}
