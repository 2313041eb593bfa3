import Deploy
import Dispatch
import Foundation

/// SIGINT and SIGTERM during a deploy release its lease before the process ends, so the next deploy
/// does not wait for the lease to expire.
enum LeaseSignals {
    nonisolated(unsafe) private static var sources: [DispatchSourceSignal] = []

    static func install() {
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                Task {
                    await HeldLease.releaseAll()
                    exit(128 + number)
                }
            }
            source.resume()
            sources.append(source)
        }
    }
}
