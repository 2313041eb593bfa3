import Foundation

/// The time a deploy lease runs on: the wall clock it writes into `acquireTime`/`renewTime` and
/// compares with another machine's renewals, a monotonic clock for how long this process has
/// watched a lease stay unchanged, and the sleep between polls and renewals. `system` is the real
/// one; tests give a clock they advance themselves, so no test waits for time to pass.
public struct LeaseClock: Sendable {
    public let now: @Sendable () -> Date
    /// Monotonic time since an arbitrary origin.
    public let uptime: @Sendable () -> Duration
    public let sleep: @Sendable (Duration) async throws -> Void

    public init(now: @escaping @Sendable () -> Date, uptime: @escaping @Sendable () -> Duration,
                sleep: @escaping @Sendable (Duration) async throws -> Void) {
        self.now = now
        self.uptime = uptime
        self.sleep = sleep
    }

    public static let system: LeaseClock = {
        let clock = ContinuousClock()
        let origin = clock.now
        return LeaseClock(now: { Date() }, uptime: { clock.now - origin }, sleep: { try await Task.sleep(for: $0) })
    }()
}
