import Deploy

/// Who runs a deploy, as the history records it: `user@host`, the lease holder's rule.
enum DeployActor {
    static var current: String { DeployLease.actor }
}
