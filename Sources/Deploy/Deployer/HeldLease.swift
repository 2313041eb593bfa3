import Foundation
import KubeClient
import Synchronization

/// A deploy lease this process holds: renewed every third of its duration until released.
public final class HeldLease: Sendable {
    struct State {
        var object: JSONValue
        var lostTo: String?
        var renewal: Task<Void, Never>?
        var released = false
    }

    let lease: DeployLease
    private let state: Mutex<State>

    /// Every lease this process holds, so a signal handler can release them before exiting.
    private static let held = Mutex<[ObjectIdentifier: HeldLease]>([:])

    init(lease: DeployLease, object: JSONValue) {
        self.lease = lease
        state = Mutex(State(object: object))
        Self.held.withLock { $0[ObjectIdentifier(self)] = self }
    }

    /// Who took the lease while this deploy held it, when a renewal found it taken (409).
    public var lostTo: String? { state.withLock { $0.lostTo } }

    func startRenewing() {
        let interval = Duration.milliseconds(max(lease.durationSeconds * 1000 / 3, 100))
        let sleep = lease.clock.sleep
        let task = Task { [weak self] in
            while !Task.isCancelled {
                try? await sleep(interval)
                guard let self, !Task.isCancelled else { return }
                if await !self.renew() { return }
            }
        }
        state.withLock { $0.renewal = task }
    }

    /// One renewal: a PUT with the last resourceVersion. False when the lease is no longer ours.
    func renew() async -> Bool {
        let current = state.withLock { $0.released ? nil : $0.object }
        guard let current else { return false }
        let renewed = current.setting(["spec", "renewTime"], .string(LeaseTime.format(lease.clock.now())))
        do {
            // The PUT runs to its answer even when release() cancels the renewal: a request the
            // server already has would otherwise land after the delete and re-create the lease
            // (the Lease strategy allows create on update), and release() deletes at the version
            // this answer carries.
            let (api, namespace, name) = (lease.api, lease.namespace, lease.name)
            let written = try await Task { try await api.update(.leases, namespace: namespace, name: name, object: renewed) }.value
            state.withLock { $0.object = written }
            return true
        } catch let error as KubeAPIError where error.code == 409 || error.code == 404 {
            let holder = (try? await lease.api.get(.leases, namespace: lease.namespace, name: lease.name))
                .flatMap { $0.map(DeployLease.Holder.init) }
            state.withLock { $0.lostTo = holder?.description ?? "nobody (the lease was deleted)" }
            return false
        } catch {
            // A failed renewal is retried at the next interval; the lease lasts three of them.
            return true
        }
    }

    /// Stops renewing and deletes the lease while it is still this deploy's (resourceVersion
    /// precondition); a lease someone else took over is left to them.
    public func release() async {
        let (releasing, task) = state.withLock { state -> (Bool, Task<Void, Never>?) in
            if state.released { return (false, nil) }
            state.released = true
            return (true, state.renewal)
        }
        guard releasing else { return }
        task?.cancel()
        // A renewal already sent would land after the delete and bring the lease back (a PUT of a
        // missing Lease creates it: the Lease strategy allows create on update), so wait for it and
        // delete at the version it wrote.
        await task?.value
        Self.held.withLock { $0[ObjectIdentifier(self)] = nil }
        let object = state.withLock { $0.object }
        guard state.withLock({ $0.lostTo }) == nil,
              let version = object[path: "metadata", "resourceVersion"]?.stringValue else { return }
        // Unstructured, so a deploy cancelled at its time limit (post-receive) still deletes its lease.
        let lease = lease
        await Task {
            do {
                _ = try await lease.api.delete(.leases, namespace: lease.namespace, name: lease.name, resourceVersion: version)
            } catch let error as KubeAPIError where error.code == 409 {
                // A renewal in flight moved the resourceVersion; delete it only while it still names this process.
                guard let current = try? await lease.api.get(.leases, namespace: lease.namespace, name: lease.name),
                      DeployLease.Holder(current).identity == lease.identity,
                      let version = current[path: "metadata", "resourceVersion"]?.stringValue else { return }
                _ = try? await lease.api.delete(.leases, namespace: lease.namespace, name: lease.name, resourceVersion: version)
            } catch {}
        }.value
    }

    /// Releases every lease this process holds: for SIGINT and SIGTERM handlers.
    public static func releaseAll() async {
        let all = held.withLock { Array($0.values) }
        for lease in all { await lease.release() }
    }
}
