import Foundation

/// How the simulated pods of a Deployment's new ReplicaSet behave.
public enum RolloutMode: String, Sendable {
    /// They come up: the rollout completes and old ReplicaSets are scaled to 0.
    case complete
    /// They never become available: one rolling step is taken and the rollout stays in progress
    /// (`ReplicaSetUpdated`), so the old and the new ReplicaSet can be seen side by side.
    case hold
    /// Like `hold`, but the controller reports the progress deadline exceeded (`ProgressDeadlineExceeded`).
    case stuck
}

/// A stand-in for kube-controller-manager's deployment controller (pkg/controller/deployment): after a spec
/// change it finds or creates the new ReplicaSet, scales the ReplicaSets as the rolling updater would, and
/// reports the rollout in `status`. It also counts rollouts as distinct pod templates.
extension ServerCore {
    /// Called with the lock held after a Deployment was written.
    func deploymentChanged(_ key: ObjectKey) {
        guard let stored = store[key] else { return }
        let hash = ServerCore.podTemplateHash(stored.object.value(at: ["spec", "template"]) ?? .null)
        if !(templates[key] ?? []).contains(hash) { templates[key, default: []].append(hash) }
        let generation = stored.object.value(at: ["metadata", "generation"])?.int ?? 1
        if stored.object.value(at: ["status", "observedGeneration"])?.int == generation { return }
        scheduleSync(key)
    }

    /// Called with the lock held when a Deployment's rollout mode changes: like the real controller, it
    /// reports the new state without waiting for a new generation.
    func setRolloutMode(_ key: ObjectKey, _ mode: RolloutMode) {
        let previous = rolloutModes[key] ?? .complete
        rolloutModes[key] = mode == .complete ? nil : mode
        if previous != mode, store[key] != nil { scheduleSync(key) }
    }

    private func scheduleSync(_ key: ObjectKey) {
        schedule(configuration.rolloutDelayMilliseconds) { [weak self] in
            self?.withLock {
                self?.sync(key)
                self?.deliverEvents()
            }
        }
    }

    /// One pass of `syncDeployment` for a rolling update (rolling.go, sync.go, progress.go).
    private func sync(_ key: ObjectKey) {
        guard let deployment = store[key]?.object else { return }
        let mode = rolloutModes[key] ?? .complete
        let desired = deployment.value(at: ["spec", "replicas"])?.int ?? 1
        let (newRS, oldRSs) = syncRevision(key, deployment)
        let (surge, unavailable) = ServerCore.rollingParameters(deployment, desired: desired)
        // Pods that were available stay so; new ones come up only when the mode is `.complete`.
        let wasAvailable = { (key: ObjectKey) in self.store[key]?.object.value(at: ["status", "availableReplicas"])?.int ?? 0 }
        var newReplicas = desired
        var oldReplicas = oldRSs.map { $0.replicas }
        var newAvailable = desired
        if mode != .complete {
            newAvailable = min(desired, wasAvailable(newRS.key))
            if oldReplicas.reduce(0, +) > 0 {
                // reconcileNewReplicaSet, then reconcileOldReplicaSets (rolling.go), repeated as the controller's
                // resyncs would until nothing moves.
                newReplicas = newRS.replicas
                for _ in 0..<Int(desired + surge + 2) {
                    let before = (newReplicas, oldReplicas)
                    let current = newReplicas + oldReplicas.reduce(0, +)
                    newReplicas = min(desired, max(newReplicas, newReplicas + desired + surge - current))
                    newAvailable = min(newReplicas, wasAvailable(newRS.key))
                    var scaleDown = max(0, newReplicas + oldReplicas.reduce(0, +) - (desired - unavailable) - (newReplicas - newAvailable))
                    for index in oldReplicas.indices where scaleDown > 0 {
                        let step = min(scaleDown, oldReplicas[index])
                        oldReplicas[index] -= step
                        scaleDown -= step
                    }
                    if before == (newReplicas, oldReplicas) { break }
                }
            }
        } else {
            oldReplicas = oldReplicas.map { _ in 0 }
        }
        scaleReplicaSet(newRS.key, to: newReplicas, available: newAvailable, deployment: deployment, surge: surge)
        var oldAvailable: Int64 = 0
        for (old, replicas) in zip(oldRSs, oldReplicas) {
            let available = min(replicas, wasAvailable(old.key))
            oldAvailable += available
            scaleReplicaSet(old.key, to: replicas, available: available, deployment: deployment, surge: surge)
        }
        let available = newAvailable + oldAvailable
        let total = newReplicas + oldReplicas.reduce(0, +)
        // DeploymentComplete (util/deployment_util.go).
        let complete = newReplicas == desired && total == desired && available == desired
        var status: JSON = .object([:])
        for (field, value) in [("observedGeneration", deployment.value(at: ["metadata", "generation"])?.int ?? 1),
                               ("replicas", total), ("updatedReplicas", newReplicas), ("readyReplicas", available),
                               ("availableReplicas", available), ("unavailableReplicas", max(0, total - available))] where value != 0 {
            status[field] = .int(value)  // DeploymentStatus fields are omitempty.
        }
        var conditions = deployment.value(at: ["status", "conditions"])?.array ?? []
        let now = ObjectStore.now()
        if available >= desired - unavailable {
            ServerCore.setCondition(&conditions, "Available", true, "MinimumReplicasAvailable", "Deployment has minimum availability.", now)
        } else {
            ServerCore.setCondition(&conditions, "Available", false, "MinimumReplicasUnavailable", "Deployment does not have minimum availability.", now)
        }
        let name = FieldError.goQuote(newRS.key.name)
        let progressing = conditions.first { $0["type"]?.string == "Progressing" }
        if progressing?["message"]?.string?.hasPrefix("ReplicaSet \(name) ") != true {
            // A new ReplicaSet passes through `ReplicaSetUpdated` on its way (progress.go), so the message names it.
            ServerCore.setCondition(&conditions, "Progressing", true, "ReplicaSetUpdated", "ReplicaSet \(name) is progressing.", now)
        }
        switch complete ? .complete : mode {
        case .complete:
            ServerCore.setCondition(&conditions, "Progressing", true, "NewReplicaSetAvailable", "ReplicaSet \(name) has successfully progressed.", now)
        case .hold:
            ServerCore.setCondition(&conditions, "Progressing", true, "ReplicaSetUpdated", "ReplicaSet \(name) is progressing.", now)
        case .stuck:
            ServerCore.setCondition(&conditions, "Progressing", false, "ProgressDeadlineExceeded", "ReplicaSet \(name) has timed out progressing.", now)
        }
        status["conditions"] = .array(conditions)
        writeStatusAsController(key, status)
        if complete { cleanUpOldReplicaSets(oldRSs, deployment: deployment) }
    }

    /// `SetDeploymentCondition` (pkg/controller/deployment/util/deployment_util.go): an unchanged status and
    /// reason leaves the condition alone; a changed one moves to the end, keeping its transition time if
    /// only the reason changed.
    static func setCondition(_ conditions: inout [JSON], _ type: String, _ value: Bool, _ reason: String,
                             _ message: String, _ now: String) {
        let status: JSON = value ? "True" : "False"
        let current = conditions.first { $0["type"]?.string == type }
        if let current, current["status"] == status, current["reason"]?.string == reason { return }
        var condition: JSON = ["type": .string(type), "status": status, "reason": .string(reason), "message": .string(message),
                               "lastUpdateTime": .string(now), "lastTransitionTime": .string(now)]
        if let current, current["status"] == status { condition["lastTransitionTime"] = current["lastTransitionTime"] }
        conditions = conditions.filter { $0["type"]?.string != type } + [condition]
    }

    /// `MaxSurge` and `MaxUnavailable` of a RollingUpdate strategy (defaults 25% each; surge rounds up,
    /// unavailable down; both 0 makes unavailable 1), as `ResolveFenceposts` computes them.
    static func rollingParameters(_ deployment: JSON, desired: Int64) -> (surge: Int64, unavailable: Int64) {
        func resolve(_ value: JSON?, roundUp: Bool) -> Int64 {
            if let number = value?.int { return number }
            let text = value?.string ?? "25%"
            guard text.hasSuffix("%"), let percent = Double(text.dropLast()) else { return 0 }
            let exact = Double(desired) * percent / 100
            return Int64(roundUp ? exact.rounded(.up) : exact.rounded(.down))
        }
        let rolling = deployment.value(at: ["spec", "strategy", "rollingUpdate"])
        let surge = resolve(rolling?["maxSurge"], roundUp: true)
        let unavailable = resolve(rolling?["maxUnavailable"], roundUp: false)
        return surge == 0 && unavailable == 0 ? (0, 1) : (surge, unavailable)
    }

    /// Like the controller's `pod-template-hash`: FNV-1a of the template as the typed struct sees it, in the
    /// "safe" alphabet (`rand.SafeEncodeString`). The real hash is FNV-32a of Go's spew dump of the template struct, which
    /// cannot be reproduced from JSON: names match the real form, not the real values.
    static func podTemplateHash(_ template: JSON) -> String {
        var hash: UInt32 = 2_166_136_261
        for byte in semantic(template).text().utf8 {
            hash ^= UInt32(byte)
            hash = hash &* 16_777_619
        }
        let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")
        return String(String(hash).utf8.map { alphabet[Int($0) % alphabet.count] })
    }
}
