import KubeClient

/// The bodies a deploy sends and the writes that follow its dry run.
extension Deployer {
    /// Every object's apply body in the deploy order (docs/ARCHITECTURE.md), the Secret second. The Deployment keeps the live
    /// restart stamp, the replicas others set, and carries the Secret's digest.
    func requestBodies(_ rendered: Rendered, secret: Secret?, digest: String?, liveDeployment: JSONValue?,
                       settings: DeploySettings) throws -> [(ResourceType, String, JSONValue)] {
        var objects = rendered.objects
        if let secret { objects.insert(.secret(secret), at: 1) }
        return try objects.map { object in
            let type = Self.resourceType(of: object)
            var body = try JSONValue(encoding: object)
            if case .deployment = object {
                body = Self.keepingLiveStamp(body, live: liveDeployment)
                body = ObjectOwnership.keepingOthersReplicas(body, live: liveDeployment)
                body = ObjectOwnership.keepingOthersHistoryLimit(body, live: liveDeployment)
                body = SecretDigest.stamped(body, digest: digest, live: liveDeployment,
                                            removingSecret: settings.pruneSecret)
            }
            return (type, object.metadata.name ?? "", body)
        }
    }

    /// When the live Deployment is stamped with another commit and this apply changes its pod
    /// template anyway (a node file added, a new image, a new Secret digest), the new stamp rides
    /// along in that one change, so the pods roll once and no restart patch follows. The dry run
    /// already answered whether the template changes.
    static func carryingStamp(_ plan: PlannedApply, live: JSONValue?, sha: String) -> PlannedApply {
        let stampPath = RestartStamp.path
        guard let live, live[stampPath]?.stringValue != sha else { return plan }
        let templateStamp = RestartStamp.templatePath
        let before = live[path: "spec", "template"]?.removing(templateStamp)
        let after = plan.preview[path: "spec", "template"]?.removing(templateStamp)
        guard before != after else { return plan }
        var plan = plan
        plan.body = plan.body.setting(stampPath, .string(sha))
        // The stamp may be the restart patch's (an Update by pipedreamer): the apply takes it back.
        plan.force = true
        plan.outcome = .configured
        return plan
    }

    /// The writes, in order; an object the dry run showed unchanged is not sent again. Returns what
    /// happened to each and the Deployment as it now is.
    func write(_ plans: [PlannedApply], namespace: String, dryRun: Bool) async throws -> ([AppliedObject], JSONValue?) {
        var applied = [AppliedObject]()
        var deployment: JSONValue?
        for plan in plans {
            var result = plan.preview
            // A server dry run has its answer already: the validation was that dry run.
            if plan.outcome != .unchanged, !dryRun {
                result = try await api.apply(plan.type, namespace: namespace, name: plan.name, object: plan.body,
                                             dryRun: dryRun, force: plan.force)
            }
            if plan.type == .deployments { deployment = result }
            let record = AppliedObject(reference: Self.reference(plan.type, plan.name), outcome: plan.outcome)
            applied.append(record)
            say(record.description + (dryRun ? " (server dry run)" : ""))
        }
        return (applied, deployment)
    }

    /// `--prune-secret` without a Secret in the working copy: the live one goes.
    func pruneSecret(_ rendered: Rendered, dryRun: Bool) async throws -> AppliedObject? {
        let name = Manifests.secretName(rendered.spec.name)
        // Only this workflow's Secret; its values are read with it but never used.
        let live = try await api.get(.secrets, namespace: rendered.namespace, name: name)
        guard let live, Manifests.isOwned(live, by: rendered.spec.name) else { return nil }
        guard try await api.delete(.secrets, namespace: rendered.namespace, name: name, dryRun: dryRun) else { return nil }
        let record = AppliedObject(reference: Self.reference(.secrets, name), outcome: .pruned)
        say(record.description + (dryRun ? " (server dry run)" : ""))
        return record
    }

    /// The rollout wait is for this deploy's commit: another deploy's stamp on the Deployment ends it.
    static func takenOver(_ deployment: JSONValue, name: String, commit: String) -> DeployError? {
        guard let other = deployment[path: "metadata", "annotations", Manifests.commitAnnotation]?.stringValue,
              other != commit else { return nil }
        return DeployError("deployment \"\(name)\" was taken over by a deploy of \(other)")
    }
}
