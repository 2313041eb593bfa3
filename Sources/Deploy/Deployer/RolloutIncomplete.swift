/// The rollout wait ended before the rollout completed: it timed out (`--timeout`) or the
/// Deployment reported a failure (ProgressDeadlineExceeded). The objects were written; `result`
/// says how, so a caller can still report every object with the wait's outcome.
public struct RolloutIncomplete: Error, CustomStringConvertible, Sendable {
    public enum Reason: String, Sendable {
        case timedOut, failed
    }

    public let reason: Reason
    public private(set) var message: String
    /// The last state the wait saw.
    public let state: RolloutState
    /// What the deploy wrote before the wait; nil when the wait ran on its own (a rollback from the cluster).
    public private(set) var result: DeployResult?

    public init(reason: Reason, message: String, state: RolloutState, result: DeployResult? = nil) {
        self.reason = reason
        self.message = message
        self.state = state
        self.result = result
    }

    public var description: String { message }

    /// The same, with the command that returns to the last version that completed.
    func suggestingRollback(workflow: String, namespace: String) -> RolloutIncomplete {
        var copy = self
        copy.message += "; to go back to the last version that completed, run `pipedreamer rollback \(workflow) -n \(namespace)`"
        return copy
    }

    func with(_ result: DeployResult) -> RolloutIncomplete {
        var copy = self
        copy.result = result
        return copy
    }
}
