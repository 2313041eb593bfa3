@testable import Deploy
import Foundation
import KubeClient
import Synchronization
import Testing

/// The deploy lease's timing and take-over rules on an in-memory API and a clock the test moves:
/// nothing here waits for real time. The end-to-end contract (the real requests, kubectl's
/// leases, signals) is `DeployLeaseTests` against the test API server.
@Suite struct DeployLeaseLogicTests {
    static let namespace = "default"
    static let bob = "bob@ci (pid 7)"
    static let bobsCommit = "0123456789abcdef0123456789abcdef01234567"

    final class Lines: @unchecked Sendable {
        private let lines = Mutex<[String]>([])
        func add(_ line: String) { lines.withLock { $0.append(line) } }
        var all: [String] { lines.withLock { $0 } }
    }

    struct World {
        let api = InMemoryKubernetesAPI()
        let clock = ManualLeaseClock()
        let said = Lines()
        let warned = Lines()

        func lease(identity: String = "me@here (pid 1)") -> DeployLease {
            DeployLease(api: api, namespace: DeployLeaseLogicTests.namespace, workflow: "hello", commit: String(repeating: "a", count: 40),
                        identity: identity, durationSeconds: 3, clock: clock.clock)
        }

        /// Bob's lease as his deploy writes it, renewed `renewedSecondsAgo` by this machine's clock.
        @discardableResult
        func bobHolds(durationSeconds: Int = 3, renewedSecondsAgo: Double = 0, acquired: String = "2026-12-01T20:41:02.000000Z") -> JSONValue {
            api.put(.leases, namespace: DeployLeaseLogicTests.namespace, .object([
                "apiVersion": .string("coordination.k8s.io/v1"), "kind": .string("Lease"),
                "metadata": .object(["name": .string("hello-deploy"), "annotations": .object([Manifests.commitAnnotation: .string(DeployLeaseLogicTests.bobsCommit)])]),
                "spec": .object([
                    "holderIdentity": .string(DeployLeaseLogicTests.bob), "leaseDurationSeconds": .int(durationSeconds),
                    "acquireTime": .string(acquired),
                    "renewTime": .string(LeaseTime.format(clock.now.addingTimeInterval(-renewedSecondsAgo))),
                ]),
            ]))
        }

        var holder: String? { api.object(.leases, namespace: DeployLeaseLogicTests.namespace, name: "hello-deploy")?[path: "spec", "holderIdentity"]?.stringValue }

        /// Runs `acquire`, moving the clock by `step` each time it sleeps and calling `between`
        /// with the time elapsed so far; returns what acquire returned or threw, and when.
        func acquire(timeout: Duration, step: Duration = .milliseconds(250), limit: Duration = .seconds(120),
                     between: (Duration) -> Void = { _ in }) async -> (Result<HeldLease, Error>, Duration) {
            let lease = lease()
            let (said, warned) = (said, warned)
            let done = Mutex<Result<HeldLease, Error>?>(nil)
            let task = Task {
                let result: Result<HeldLease, Error>
                do { result = .success(try await lease.acquire(timeout: timeout, say: { said.add($0) }, warn: { warned.add($0) })) }
                catch { result = .failure(error) }
                done.withLock { $0 = result }
            }
            var elapsed = Duration.zero
            while elapsed < limit {
                // acquire's poll sleeps at most 250 ms; the renewal a held lease starts sleeps longer.
                let waited = await clock.waitForSleepers(1, upTo: .milliseconds(250), until: { done.withLock { $0 != nil } })
                if let result = done.withLock({ $0 }) { return (result, elapsed) }
                guard waited else { break }
                between(elapsed)
                clock.advance(by: step)
                elapsed += step
                await Task.yield()
            }
            task.cancel()
            await task.value
            return (done.withLock { $0 } ?? .failure(CancellationError()), elapsed)
        }
    }

    @Test func anAbsentLeaseIsCreatedAtOnceAndDeletedOnRelease() async throws {
        let world = World()
        let (result, elapsed) = await world.acquire(timeout: .seconds(10))
        let held = try result.get()
        #expect(elapsed == .zero)
        let lease = try #require(world.api.object(.leases, namespace: Self.namespace, name: "hello-deploy"))
        #expect(lease[path: "spec", "acquireTime"]?.stringValue == LeaseTime.format(world.clock.now))
        #expect(lease[path: "spec", "leaseTransitions"]?.intValue == 0)
        await held.release()
        #expect(world.api.requests.map { "\($0.verb) \($0.status)" } == ["get 404", "create 201", "delete 200"])
        #expect(world.holder == nil)
    }

    @Test func aRenewingHolderIsWaitedForAnnouncedOnceAndTakenOverWhenItStops() async throws {
        let world = World()
        world.bobHolds()
        // Bob renews every second for 8 seconds, then dies.
        var lastRenewal = Duration.zero
        let (result, elapsed) = await world.acquire(timeout: .seconds(60)) { now in
            if now < .seconds(8), now - lastRenewal >= .seconds(1) {
                world.bobHolds()
                lastRenewal = now
            }
        }
        let held = try result.get()
        // Taken over once the lease stood unchanged for its 3 seconds, not before.
        #expect(elapsed - lastRenewal >= .seconds(3) && elapsed - lastRenewal <= .seconds(3) + .milliseconds(250), "\(elapsed) after \(lastRenewal)")
        #expect(world.said.all == ["waiting for the deploy lease hello-deploy: held by \(Self.bob), deploying 0123456789ab, since 2026-12-01T20:41:02Z"])
        #expect(world.warned.all == ["took over the deploy lease hello-deploy from \(Self.bob), deploying 0123456789ab, since 2026-12-01T20:41:02Z: not renewed within its 3s"])
        #expect(world.holder == "me@here (pid 1)")
        #expect(world.api.object(.leases, namespace: Self.namespace, name: "hello-deploy")?[path: "spec", "leaseTransitions"]?.intValue == 1)
        await held.release()
        #expect(world.holder == nil)
    }

    /// Bob's clock is ten minutes behind: his renewTime looks old here, but he renews. As in
    /// client-go, only renewals this process watches decide; his lease is never taken.
    @Test func aHolderWhoseClockIsBehindButRenewsIsNeverTakenOver() async throws {
        let world = World()
        world.bobHolds(renewedSecondsAgo: 600)
        var lastRenewal = Duration.zero
        let (result, elapsed) = await world.acquire(timeout: .seconds(5)) { now in
            if now - lastRenewal >= .seconds(1) {
                world.bobHolds(renewedSecondsAgo: 600)
                lastRenewal = now
            }
        }
        #expect(throws: DeployError("timed out after 5.0 seconds waiting for the deploy lease hello-deploy, held by \(Self.bob), deploying 0123456789ab, since 2026-12-01T20:41:02Z")) {
            try result.get()
        }
        #expect(elapsed >= .seconds(5) && elapsed <= .seconds(5) + .milliseconds(250))
        #expect(world.holder == Self.bob)
        #expect(world.warned.all.isEmpty)
    }

    /// A lease its own renewTime shows dead (a deploy killed long ago) is taken over after half
    /// its duration unchanged, even with --lock-timeout 0: it is no deploy in progress.
    @Test func aLeaseDeadByItsOwnRenewTimeIsTakenOverAfterHalfItsDurationEvenWithoutWaiting() async throws {
        let world = World()
        world.bobHolds(durationSeconds: 30, renewedSecondsAgo: 3600)
        let (result, elapsed) = await world.acquire(timeout: .zero)
        let held = try result.get()
        #expect(elapsed >= .seconds(15) && elapsed <= .seconds(15) + .milliseconds(250), "\(elapsed)")
        #expect(world.warned.all == ["took over the deploy lease hello-deploy from \(Self.bob), deploying 0123456789ab, since 2026-12-01T20:41:02Z: not renewed within its 30s"])
        await held.release()
    }

    @Test func aLiveHolderWithLockTimeoutZeroFailsAtOnce() async throws {
        let world = World()
        world.bobHolds()
        let (result, elapsed) = await world.acquire(timeout: .zero)
        #expect(throws: DeployError("another deploy of hello is in progress: lease hello-deploy is held by \(Self.bob), deploying 0123456789ab, since 2026-12-01T20:41:02Z; wait for it with --lock-timeout DURATION")) {
            try result.get()
        }
        #expect(elapsed == .zero)
        #expect(world.holder == Self.bob)
    }

    @Test func aHeldLeaseIsRenewedEveryThirdOfItsDuration() async throws {
        let world = World()
        let held = try await world.acquire(timeout: .seconds(1)).0.get()
        let first = world.api.object(.leases, namespace: Self.namespace, name: "hello-deploy")
        #expect(await world.clock.waitForSleepers(1))
        world.clock.advance(by: .milliseconds(999))
        #expect(world.api.object(.leases, namespace: Self.namespace, name: "hello-deploy") == first, "not renewed before a third of 3s")
        world.clock.advance(by: .milliseconds(1))
        // The renewal runs on its own task: the next sleep begins once its PUT is answered.
        #expect(await world.clock.waitForSleepers(1))
        let renewed = try #require(world.api.object(.leases, namespace: Self.namespace, name: "hello-deploy"))
        #expect(renewed[path: "spec", "renewTime"]?.stringValue == LeaseTime.format(world.clock.now))
        #expect(renewed[path: "metadata", "resourceVersion"] != first?[path: "metadata", "resourceVersion"])
        await held.release()
        #expect(world.holder == nil)
    }

    @Test func aLeaseTakenByAnotherWhileHeldIsReportedAndLeftToThem() async throws {
        let world = World()
        let held = try await world.acquire(timeout: .seconds(1)).0.get()
        world.bobHolds()
        #expect(await held.renew() == false)
        #expect(held.lostTo == "\(Self.bob), deploying 0123456789ab, since 2026-12-01T20:41:02Z")
        await held.release()
        #expect(world.holder == Self.bob, "release never deletes a lease someone else holds")
    }
    /// Work done while another process took the lease over is not reported as done, for deploy,
    /// rollback and delete alike (they all hold it through `holding`), and the lease stays theirs.
    @Test(arguments: [String(repeating: "a", count: 40), ""])
    func workDoneWhileTheLeaseWasTakenOverFails(commit: String) async throws {
        let world = World()
        let lease = DeployLease(api: world.api, namespace: Self.namespace, workflow: "hello", commit: commit,
                                identity: "me@here (pid 1)", durationSeconds: 3, clock: world.clock.clock)
        let work = commit.isEmpty ? "delete" : "deploy"
        await #expect(throws: DeployError("the deploy lease hello-deploy was taken over by \(Self.bob), deploying 0123456789ab, since 2026-12-01T20:41:02Z during this \(work); run the \(work) again")) {
            try await lease.holding(timeout: .zero, say: { _ in }, warn: { _ in }) {
                world.bobHolds()
                #expect(await world.clock.waitForSleepers(1), "the renewal sleeps")
                world.clock.advance(by: .seconds(1))
                // The renewal meets bob's version (409), reads who holds the lease and stops.
                let giveUp = ContinuousClock.now + .seconds(60)
                while !world.api.requests.contains(where: { $0.verb == "update" && $0.status == 409 }) || world.api.requests.last?.verb != "get",
                      ContinuousClock.now < giveUp {
                    await Task.yield()
                }
            }
        }
        #expect(world.holder == Self.bob)
    }
}
