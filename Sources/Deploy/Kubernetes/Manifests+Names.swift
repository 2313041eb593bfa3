/// Every object name derived from a workflow's name: the one place they are made, so the spec's
/// length checks and the objects agree.
extension Manifests {
    /// CronJob names are capped below the 63 of other names: the controller appends an
    /// 11-character suffix to name each Job (kube-apiserver's `ValidateCronJobCreate`).
    public static let maxCronJobNameLength = 52
    /// Services are DNS-1035 labels.
    public static let maxServiceNameLength = 63

    public static func codeConfigMapName(_ name: String) -> String { "\(name)-code" }
    public static func secretName(_ name: String) -> String { "\(name)-secrets" }

    /// One CronJob per cron trigger, in trigger order, given each trigger's `name` (nil when unnamed).
    /// A trigger's name depends on that trigger alone, whether it is the only one or one of many, so
    /// adding a trigger never recreates another (a CronJob's name cannot change; its Jobs would go):
    /// a named trigger gets `<name>-cron-<trigger name>`, an unnamed one `<name>-cron-<i>`, `i`
    /// counting cron triggers from 1.
    /// What an earlier version named a workflow's lone CronJob, moved to its stable name once.
    public static func legacyCronJobName(_ name: String) -> String { "\(name)-cron" }

    public static func cronJobNames(_ name: String, triggerNames: [String?]) -> [String] {
        triggerNames.enumerated().map { index, trigger in "\(name)-cron-\(trigger ?? String(index + 1))" }
    }
}
