import Foundation
import KubeClient
import Synchronization

extension ResourceType {
    public static let leases = ResourceType(group: "coordination.k8s.io", version: "v1", plural: "leases", kind: "Lease", namespaced: true)
}

/// Serialises the deploys of one workflow: a `coordination.k8s.io/v1` Lease `<name>-deploy` in its
/// namespace, created or taken over with resourceVersion preconditions (a 409 means another deploy
/// won the race; the lease is read again), renewed while held and deleted when released.
public struct DeployLease: Sendable {
    /// Who holds the lease and for which commit, as recorded in it.
    public struct Holder: Sendable, Equatable {
        public let identity: String
        public let commit: String?
        public let acquired: String?
        public let renewed: Date?
        public let durationSeconds: Int

        init(_ lease: JSONValue) {
            identity = lease[path: "spec", "holderIdentity"]?.stringValue ?? ""
            commit = lease[path: "metadata", "annotations", Manifests.commitAnnotation]?.stringValue
            acquired = lease[path: "spec", "acquireTime"]?.stringValue
            renewed = (lease[path: "spec", "renewTime"]?.stringValue).flatMap(LeaseTime.parse)
            durationSeconds = lease[path: "spec", "leaseDurationSeconds"]?.intValue ?? 0
        }

        /// `alice@laptop (pid 42), deploying 1a2b3c4d5e6f, since 2026-12-01T20:41:02Z`.
        public var description: String {
            identity + (commit.map { ", deploying \($0.prefix(12))" } ?? "") + (acquired.map { ", since \(LeaseTime.shown($0))" } ?? "")
        }
    }

    let api: any KubernetesAPI
    let namespace: String
    let workflow: String
    let commit: String
    let identity: String
    let durationSeconds: Int
    let clock: LeaseClock

    public var name: String { Self.leaseName(workflow) }
    public static func leaseName(_ workflow: String) -> String { "\(workflow)-deploy" }

    /// The lease duration: `PIPEDREAMER_LEASE_DURATION` seconds when set (tests shorten it), else 30.
    public static var defaultDurationSeconds: Int {
        ProcessInfo.processInfo.environment["PIPEDREAMER_LEASE_DURATION"].flatMap(Int.init).flatMap { $0 > 0 ? $0 : nil } ?? 30
    }

    /// `user@host`: who deploys, one rule for the lease and the history ($USER, else $LOGNAME,
    /// else the account's name, so an unset $USER does not make a deploy anonymous).
    public static var actor: String {
        let environment = ProcessInfo.processInfo.environment
        let user = environment["USER"].flatMap { $0.isEmpty ? nil : $0 }
            ?? environment["LOGNAME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSUserName()
        return "\(user)@\(ProcessInfo.processInfo.hostName)"
    }

    /// `user@host (pid N)`: the holder identity recorded in the lease.
    public static var processIdentity: String { "\(actor) (pid \(getpid()))" }

    public init(api: any KubernetesAPI, namespace: String, workflow: String, commit: String,
                identity: String = DeployLease.processIdentity, durationSeconds: Int = DeployLease.defaultDurationSeconds,
                clock: LeaseClock = .system) {
        self.api = api
        self.namespace = namespace
        self.workflow = workflow
        self.commit = commit
        self.identity = identity
        self.durationSeconds = durationSeconds
        self.clock = clock
    }

    /// `commit` is the SHA being deployed, or "" for a delete.
    /// Takes the lease, waiting up to `timeout` (zero: fail at once) while another deploy holds it.
    /// `say` gets the wait line once per holder, `warn` the take-over of a lease nobody renewed.
    public func acquire(timeout: Duration, say: @Sendable (String) -> Void, warn: @Sendable (String) -> Void) async throws -> HeldLease {
        let deadline = clock.uptime() + timeout
        var announced: (identity: String, commit: String?, acquired: String?)?
        // A holder's renewals as this process saw them. As in client-go's leader election
        // (tools/leaderelection/leaderelection.go, tryAcquireOrRenew), a lease is expired when this
        // process has seen it unchanged for its duration, whatever the clocks of the two machines say.
        var observed: (version: String, since: Duration, identity: String)?
        // Seen to change while watched: its holder is alive, and a renewTime that looks old by
        // this machine's clock is the other machine's clock, not a dead holder.
        var holderRenews = false
        while true {
            let current = try await api.get(.leases, namespace: namespace, name: name)
            guard let current else {
                if let held = try await write(nil) { return held }
                continue
            }
            let holder = Holder(current)
            let version = current[path: "metadata", "resourceVersion"]?.stringValue ?? ""
            let now = clock.uptime()
            if let seen = observed, seen.version != version {
                holderRenews = seen.identity == holder.identity
            }
            if observed?.version != version { observed = (version, now, holder.identity) }
            let unchangedFor = now - (observed?.since ?? now)
            let duration = Duration.seconds(max(holder.durationSeconds, 1))
            // A lease whose own renewTime is older than its duration (a deploy that died) is
            // confirmed dead sooner: its holder would renew every third of the duration, so half of
            // it unchanged is enough; the lock timeout does not count while that is watched.
            let stale = !holderRenews && isStale(holder)
            let expired = holder.identity.isEmpty || unchangedFor >= duration || (stale && unchangedFor >= duration / 2)
            if expired {
                if let held = try await write(current) {
                    if !holder.identity.isEmpty {
                        warn("took over the deploy lease \(name) from \(holder.description): not renewed within its \(holder.durationSeconds)s")
                    }
                    return held
                }
                continue
            }
            if !stale {
                if timeout == .zero {
                    throw DeployError("another deploy of \(workflow) is in progress: lease \(name) is held by \(holder.description); wait for it with --lock-timeout DURATION")
                }
                if now >= deadline {
                    throw DeployError("timed out after \(timeout) waiting for the deploy lease \(name), held by \(holder.description)")
                }
            }
            // Once per holder: its renewals are not news.
            if announced?.identity != holder.identity || announced?.commit != holder.commit || announced?.acquired != holder.acquired {
                say("waiting for the deploy lease \(name): held by \(holder.description)")
                announced = (holder.identity, holder.commit, holder.acquired)
            }
            try await clock.sleep(stale || deadline <= now ? .milliseconds(250) : min(.milliseconds(250), deadline - now))
        }
    }

    /// Takes the lease (as `acquire`), runs `body` while holding it and releases it whatever
    /// happens: the one way deploy, rollback and delete hold it. Work done while another process
    /// took the lease over is not reported as done.
    public func holding<T: Sendable>(timeout: Duration, say: @Sendable (String) -> Void, warn: @Sendable (String) -> Void,
                                     _ body: () async throws -> T) async throws -> T {
        let held = try await acquire(timeout: timeout, say: say, warn: warn)
        do {
            let result = try await body()
            if let other = held.lostTo {
                let work = commit.isEmpty ? "delete" : "deploy"
                throw DeployError("the deploy lease \(name) was taken over by \(other) during this \(work); run the \(work) again")
            }
            await held.release()
            return result
        } catch {
            await held.release()
            throw error
        }
    }

    /// True when the holder's last renewal is older than its duration by the local clock.
    func isStale(_ holder: Holder) -> Bool {
        guard let renewed = holder.renewed else { return true }
        return clock.now().timeIntervalSince(renewed) > Double(max(holder.durationSeconds, 1))
    }

    /// Creates the lease (`existing` nil) or takes it over with `existing`'s resourceVersion as the
    /// precondition; nil when another deploy got there first.
    func write(_ existing: JSONValue?) async throws -> HeldLease? {
        let now = LeaseTime.format(clock.now())
        // As client-go counts them (leaderelection.go): a new lease has none, a take-over adds one
        // to what the lease records (an absent field is 0).
        let transitions = existing.map { ($0[path: "spec", "leaseTransitions"]?.intValue ?? 0) + 1 } ?? 0
        var lease = leaseObject(acquired: now, renewed: now, transitions: transitions)
        do {
            let written: JSONValue
            if let existing, let version = existing[path: "metadata", "resourceVersion"]?.stringValue {
                lease = lease.setting(["metadata", "resourceVersion"], .string(version))
                written = try await api.update(.leases, namespace: namespace, name: name, object: lease)
            } else {
                written = try await api.create(.leases, namespace: namespace, object: lease)
            }
            let held = HeldLease(lease: self, object: written)
            held.startRenewing()
            return held
        } catch let error as KubeAPIError where error.code == 409 {
            return nil
        }
    }

    func leaseObject(acquired: String, renewed: String, transitions: Int) -> JSONValue {
        var labels = [String: JSONValue]()
        for (key, value) in Manifests.labels(workflow) { labels[key] = .string(value) }
        return .object([
            "apiVersion": .string("coordination.k8s.io/v1"), "kind": .string("Lease"),
            "metadata": .object([
                "name": .string(name), "namespace": .string(namespace), "labels": .object(labels),
                "annotations": .object(commit.isEmpty ? [:] : [Manifests.commitAnnotation: .string(commit)]),
            ]),
            "spec": .object([
                "holderIdentity": .string(identity), "leaseDurationSeconds": .int(durationSeconds),
                "acquireTime": .string(acquired), "renewTime": .string(renewed), "leaseTransitions": .int(transitions),
            ]),
        ])
    }
}

/// `metav1.MicroTime` as the API server reads it: RFC 3339 with exactly six fractional digits, UTC.
enum LeaseTime {
    static func format(_ date: Date) -> String {
        let seconds = date.timeIntervalSince1970.rounded(.down)
        let micros = Int((date.timeIntervalSince1970 - seconds) * 1_000_000)
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        let base = String(formatter.string(from: Date(timeIntervalSince1970: seconds)).dropLast()) // without "Z"
        return base + "." + String(format: "%06d", min(micros, 999_999)) + "Z"
    }

    static func parse(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)
    }

    /// Whole seconds, for messages: `2026-12-01T20:41:02Z`.
    static func shown(_ text: String) -> String {
        guard let date = parse(text) else { return text }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }
}
