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
    /// A single cron trigger gets `<name>-cron`; with several, a named trigger gets
    /// `<name>-cron-<trigger name>` (stable when other triggers come and go, so its job history stays)
    /// and an unnamed one `<name>-cron-<i>`, `i` counting cron triggers from 1.
    public static func cronJobNames(_ name: String, triggerNames: [String?]) -> [String] {
        if triggerNames.count == 1 { return ["\(name)-cron"] }
        return triggerNames.enumerated().map { index, trigger in "\(name)-cron-\(trigger ?? String(index + 1))" }
    }
}
