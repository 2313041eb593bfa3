import Foundation

/// Who runs a deploy, as the history records it: `user@host`.
enum DeployActor {
    static var current: String {
        let environment = ProcessInfo.processInfo.environment
        let user = environment["USER"] ?? environment["LOGNAME"] ?? "unknown"
        return "\(user)@\(ProcessInfo.processInfo.hostName)"
    }
}
