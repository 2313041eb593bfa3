import Deploy
import Foundation
import KubeClient
import Synchronization

/// An in-memory `KubernetesAPI` for logic that needs no server semantics beyond object identity
/// and optimistic concurrency, in the spirit of client-go's `testing.ObjectTracker`: objects by
/// resource, namespace and name; `metadata.resourceVersion` from one counter; create refuses an
/// existing name (409 AlreadyExists), update a stale resourceVersion (409 Conflict), delete a
/// precondition that no longer holds (409). Server-side apply, patches and access reviews are the
/// test API server's business (Tests/KubeTestServer) and are refused here.
final class InMemoryKubernetesAPI: KubernetesAPI, @unchecked Sendable {
    struct Key: Hashable { let plural: String; let namespace: String; let name: String }
    struct Request: Equatable { let verb: String; let name: String; let status: Int }

    private struct State {
        var objects: [Key: JSONValue] = [:]
        var version = 0
        var requests: [Request] = []
    }
    private let state = Mutex(State())

    /// Every call made, with the status the real server would have answered.
    var requests: [Request] { state.withLock { $0.requests } }

    func object(_ type: ResourceType, namespace: String, name: String) -> JSONValue? {
        state.withLock { $0.objects[Key(plural: type.plural, namespace: namespace, name: name)] }
    }

    /// Stores `object` as another actor (kubectl, another deploy) would, with a new resourceVersion.
    @discardableResult
    func put(_ type: ResourceType, namespace: String, _ object: JSONValue) -> JSONValue {
        state.withLock { state in
            let name = object[path: "metadata", "name"]?.stringValue ?? ""
            state.version += 1
            let stored = object.setting(["metadata", "resourceVersion"], .string(String(state.version)))
                .setting(["metadata", "namespace"], .string(namespace))
            state.objects[Key(plural: type.plural, namespace: namespace, name: name)] = stored
            return stored
        }
    }

    private func record(_ verb: String, _ name: String, _ status: Int) {
        state.withLock { $0.requests.append(Request(verb: verb, name: name, status: status)) }
    }

    private static func error(_ code: Int, _ reason: String, _ message: String) -> KubeAPIError {
        KubeAPIError(code: code, reason: reason, message: message)
    }

    func serverVersion() async throws -> String { "v1.32.0" }

    func get(_ type: ResourceType, namespace: String?, name: String) async throws -> JSONValue? {
        let found = object(type, namespace: namespace ?? "", name: name)
        record("get", name, found == nil ? 404 : 200)
        return found
    }

    func list(_ type: ResourceType, namespace: String?, labelSelector: String) async throws -> [JSONValue] {
        let required = labelSelector.split(separator: ",").compactMap { term -> (String, String)? in
            let parts = term.split(separator: "=", maxSplits: 1).map(String.init)
            return parts.count == 2 ? (parts[0], parts[1]) : nil
        }
        record("list", labelSelector, 200)
        return state.withLock { state in
            state.objects.filter { key, object in
                key.plural == type.plural && (namespace == nil || key.namespace == namespace)
                    && required.allSatisfy { object[path: "metadata", "labels", $0.0]?.stringValue == $0.1 }
            }.sorted { $0.key.name < $1.key.name }.map(\.value)
        }
    }

    func create(_ type: ResourceType, namespace: String?, object: JSONValue) async throws -> JSONValue {
        let name = object[path: "metadata", "name"]?.stringValue ?? ""
        if self.object(type, namespace: namespace ?? "", name: name) != nil {
            record("create", name, 409)
            throw Self.error(409, "AlreadyExists", "\(type.plural).\(type.group) \"\(name)\" already exists")
        }
        record("create", name, 201)
        return put(type, namespace: namespace ?? "", object)
    }

    /// As the Lease strategy allows (AllowCreateOnUpdate), a PUT of a missing object creates it.
    func update(_ type: ResourceType, namespace: String?, name: String, object: JSONValue) async throws -> JSONValue {
        let current = self.object(type, namespace: namespace ?? "", name: name)
        if let expected = object[path: "metadata", "resourceVersion"]?.stringValue, let current,
           current[path: "metadata", "resourceVersion"]?.stringValue != expected {
            record("update", name, 409)
            throw Self.error(409, "Conflict", "Operation cannot be fulfilled on \(type.plural).\(type.group) \"\(name)\": the object has been modified; please apply your changes to the latest version and try again")
        }
        record("update", name, current == nil ? 201 : 200)
        return put(type, namespace: namespace ?? "", object)
    }

    func delete(_ type: ResourceType, namespace: String?, name: String, resourceVersion: String) async throws -> Bool {
        let key = Key(plural: type.plural, namespace: namespace ?? "", name: name)
        return try state.withLock { state in
            guard let current = state.objects[key] else {
                state.requests.append(Request(verb: "delete", name: name, status: 404))
                return false
            }
            guard current[path: "metadata", "resourceVersion"]?.stringValue == resourceVersion else {
                state.requests.append(Request(verb: "delete", name: name, status: 409))
                throw Self.error(409, "Conflict", "Precondition failed: ResourceVersion in precondition: \(resourceVersion), ResourceVersion in object meta: \(current[path: "metadata", "resourceVersion"]?.stringValue ?? "")")
            }
            state.objects[key] = nil
            state.requests.append(Request(verb: "delete", name: name, status: 200))
            return true
        }
    }

    func delete(_ type: ResourceType, namespace: String?, name: String, dryRun: Bool) async throws -> Bool {
        let key = Key(plural: type.plural, namespace: namespace ?? "", name: name)
        return state.withLock { state in
            let existed = state.objects[key] != nil
            if !dryRun { state.objects[key] = nil }
            state.requests.append(Request(verb: "delete", name: name, status: existed ? 200 : 404))
            return existed
        }
    }

    struct NotModelled: Error, CustomStringConvertible {
        let description: String
    }

    func apply(_ type: ResourceType, namespace: String?, name: String, object: JSONValue, dryRun: Bool) async throws -> JSONValue {
        throw NotModelled(description: "server-side apply is tested against the test API server")
    }

    func apply(_ type: ResourceType, namespace: String?, name: String, object: JSONValue, dryRun: Bool, force: Bool) async throws -> JSONValue {
        throw NotModelled(description: "server-side apply is tested against the test API server")
    }

    func patch(_ type: ResourceType, namespace: String?, name: String, strategicMerge: JSONValue, dryRun: Bool) async throws -> JSONValue {
        throw NotModelled(description: "patches are tested against the test API server")
    }

    func accessReview(verb: String, type: ResourceType, namespace: String?, name: String?) async throws -> AccessReview {
        throw NotModelled(description: "access reviews are tested against the test API server")
    }
}

/// A `LeaseClock` that moves only when the test moves it. A sleeper is resumed by `advance`
/// once its wake time is reached; cancellation resumes it with `CancellationError`, as
/// `Task.sleep` does.
final class ManualLeaseClock: @unchecked Sendable {
    private struct Sleeper { let id: Int; let wake: Duration; let length: Duration; let continuation: CheckedContinuation<Void, Error> }
    private struct State {
        var elapsed = Duration.zero
        var sleepers: [Sleeper] = []
        var cancelled: Set<Int> = []
        var nextID = 0
    }
    private let state = Mutex(State())
    let origin: Date

    init(origin: Date = Date(timeIntervalSince1970: 1_796_000_000)) { self.origin = origin }

    var now: Date { origin.addingTimeInterval(Self.seconds(state.withLock { $0.elapsed })) }
    var sleeperCount: Int { state.withLock { $0.sleepers.count } }

    /// Tasks asleep for at most `length` (a poll, not a renewal).
    func sleepers(upTo length: Duration) -> Int { state.withLock { $0.sleepers.filter { $0.length <= length }.count } }

    var clock: LeaseClock {
        LeaseClock(now: { self.now }, uptime: { self.state.withLock { $0.elapsed } }, sleep: { try await self.sleep($0) })
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    func sleep(_ duration: Duration) async throws {
        let id = state.withLock { state -> Int in state.nextID += 1; return state.nextID }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, Error>) in
                let resumeNow: Error?? = state.withLock { state in
                    if state.cancelled.remove(id) != nil { return .some(CancellationError()) }
                    if duration <= .zero { return .some(nil) }
                    state.sleepers.append(Sleeper(id: id, wake: state.elapsed + duration, length: duration, continuation: continuation))
                    return .none
                }
                if case .some(let error) = resumeNow {
                    if let error { continuation.resume(throwing: error) } else { continuation.resume() }
                }
            }
        } onCancel: {
            let sleeper = state.withLock { state -> Sleeper? in
                if let index = state.sleepers.firstIndex(where: { $0.id == id }) { return state.sleepers.remove(at: index) }
                state.cancelled.insert(id)
                return nil
            }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Moves time on by `duration`, waking every sleeper due by then, in wake order.
    func advance(by duration: Duration) {
        let due = state.withLock { state -> [Sleeper] in
            state.elapsed += duration
            let due = state.sleepers.filter { $0.wake <= state.elapsed }.sorted { $0.wake < $1.wake }
            state.sleepers.removeAll { $0.wake <= state.elapsed }
            return due
        }
        for sleeper in due { sleeper.continuation.resume() }
    }

    /// Returns once at least `count` tasks sleep on this clock (they have done what they do
    /// before sleeping) or `until` holds; yields to them meanwhile, never moving time. False when
    /// neither happened within a generous real-time bound, so a broken test fails instead of hanging.
    @discardableResult
    func waitForSleepers(_ count: Int, upTo length: Duration = .seconds(1 << 40), until done: () -> Bool = { false }) async -> Bool {
        let giveUp = ContinuousClock.now + .seconds(60)
        var spins = 0
        while sleepers(upTo: length) < count && !done() {
            if ContinuousClock.now > giveUp { return false }
            await Task.yield()
            spins += 1
            // Backs off now and then, so tasks on a busy cooperative pool get the processor.
            if spins % 1000 == 0 { try? await Task.sleep(for: .milliseconds(1)) }
        }
        return true
    }
}
