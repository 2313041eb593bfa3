import KubeClient

/// One object of a deploy, checked by the server before anything is written.
struct PlannedApply: Sendable {
    let type: ResourceType
    let name: String
    var body: JSONValue
    /// The server's dry-run answer: the object as the apply would leave it.
    var preview: JSONValue
    /// Whether the write must take fields from other managers (our own restart patch, or `--force-conflicts`).
    var force: Bool
    var outcome: AppliedObject.Outcome
}

/// Why the server, or the ownership rules, refuse a deploy before its first write.
public struct DeployRefused: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Reason: Error, Sendable, Equatable {
        /// The object exists without this workflow's labels; these are the labels it has.
        case notOurs(labels: [String: String])
        /// Fields that other managers own with other values: the server's conflict message.
        case conflict(String)
        /// The server's dry run refused the object.
        case refused(KubeAPIError)
    }

    public struct Refusal: Sendable, Equatable {
        public let reference: String
        public let reason: Reason
    }

    public let refusals: [Refusal]

    public var description: String {
        refusals.map(Self.line).joined(separator: "\n") + "\nnothing was written"
    }

    static func line(_ refusal: Refusal) -> String {
        switch refusal.reason {
        case .notOurs(let labels):
            let shown = labels.isEmpty ? "none" : labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
            return "\(refusal.reference) exists and is not managed by this workflow (labels: \(shown)); pass --adopt to take it over"
        case .conflict(let message):
            return "\(refusal.reference): \(message); pass --force-conflicts to take these fields over"
        case .refused(let error):
            // The client names the operation and the object (`validating (server dry run) X: …`).
            return error.operation != nil ? error.description : "the server refused \(refusal.reference): \(error.detail)"
        }
    }
}

/// The server-side dry run of every object of a deploy, in parallel, before the first write: an
/// object the server refuses, one that exists without this workflow's labels, or a field another
/// manager owns, refuses the whole deploy. The previews also tell which objects the real apply would
/// leave unchanged, so those are not written.
struct DeployValidation: Sendable {
    let api: any KubernetesAPI
    let namespace: String
    let workflow: String
    let adopt: Bool
    let forceConflicts: Bool

    func validate(_ objects: [(ResourceType, String, JSONValue)], live: [String: JSONValue]) async throws -> [PlannedApply] {
        let results = try await withThrowingTaskGroup(of: (Int, Result<PlannedApply, DeployRefused.Reason>).self) { group in
            for (index, (type, name, body)) in objects.enumerated() {
                group.addTask {
                    (index, try await plan(type, name, body, live: live[Deployer.key(type, name)]))
                }
            }
            var all = [(Int, Result<PlannedApply, DeployRefused.Reason>)]()
            for try await result in group { all.append(result) }
            return all.sorted { $0.0 < $1.0 }.map(\.1)
        }
        var planned = [PlannedApply]()
        var refusals = [DeployRefused.Refusal]()
        for (result, (type, name, _)) in zip(results, objects) {
            switch result {
            case .success(let plan): planned.append(plan)
            case .failure(let reason): refusals.append(.init(reference: Deployer.reference(type, name), reason: reason))
            }
        }
        if !refusals.isEmpty { throw DeployRefused(refusals: refusals) }
        return planned
    }

    /// One object's dry run: without force first; with force only for conflicts with this tool's own
    /// restart patch, `--force-conflicts`, or an object taken over with `--adopt`.
    func plan(_ type: ResourceType, _ name: String, _ body: JSONValue, live: JSONValue?) async throws -> Result<PlannedApply, DeployRefused.Reason> {
        var body = body
        var force = false
        var adopted = false
        var preview: JSONValue
        do {
            preview = try await api.apply(type, namespace: namespace, name: name, object: body, dryRun: true, force: false)
        } catch let error as KubeAPIError where error.code == 409 {
            if live == nil, let foreign = try await foreignLabels(type, name) {
                guard adopt else { return .failure(.notOurs(labels: foreign.labels)) }
                body = ObjectOwnership.adopting(body, foreign: foreign.object)
                adopted = true
            } else if !forceConflicts, !ObjectOwnership.conflictsOnlyWithOwnManagers(error.message) {
                return .failure(.conflict(error.message))
            }
            force = true
            do {
                preview = try await api.apply(type, namespace: namespace, name: name, object: body, dryRun: true, force: true)
            } catch let error as KubeAPIError {
                return .failure(.refused(error))
            }
        } catch let error as KubeAPIError {
            return .failure(.refused(error))
        }
        if live == nil, !adopted, ObjectOwnership.hasOtherManagers(preview), let foreign = try await foreignLabels(type, name) {
            guard adopt else { return .failure(.notOurs(labels: foreign.labels)) }
            adopted = true
            body = ObjectOwnership.adopting(body, foreign: foreign.object)
            force = true
        }
        let outcome: AppliedObject.Outcome
        if adopted {
            outcome = .adopted
        } else if let live {
            outcome = ObjectOwnership.sameContent(live, preview) ? .unchanged : .configured
        } else {
            outcome = .created
        }
        return .success(PlannedApply(type: type, name: name, body: body, preview: preview, force: force, outcome: outcome))
    }

    /// The object of that name and its labels, when it exists and is not this workflow's.
    func foreignLabels(_ type: ResourceType, _ name: String) async throws -> (object: JSONValue, labels: [String: String])? {
        guard let object = try await api.get(type, namespace: namespace, name: name) else { return nil }
        var labels = [String: String]()
        if case .object(let members)? = object[path: "metadata", "labels"] {
            for (key, value) in members { labels[key] = value.stringValue ?? "" }
        }
        return Manifests.isOwned(object, by: workflow) ? nil : (object, labels)
    }
}
