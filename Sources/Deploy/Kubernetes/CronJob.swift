/// batch/v1 CronJob: fires a workflow's `cron` trigger on schedule.
public struct CronJob: Codable, Sendable, Equatable {
    public var apiVersion = "batch/v1"
    public var kind = "CronJob"
    public var metadata: ObjectMeta
    public var spec: CronJobSpec

    public init(metadata: ObjectMeta, spec: CronJobSpec) {
        self.metadata = metadata
        self.spec = spec
    }
}

public struct CronJobSpec: Codable, Sendable, Equatable {
    public var schedule: String
    public var concurrencyPolicy: String?
    public var successfulJobsHistoryLimit: Int?
    public var failedJobsHistoryLimit: Int?
    public var jobTemplate: JobTemplateSpec

    public init(
        schedule: String,
        concurrencyPolicy: String? = nil,
        successfulJobsHistoryLimit: Int? = nil,
        failedJobsHistoryLimit: Int? = nil,
        jobTemplate: JobTemplateSpec
    ) {
        self.schedule = schedule
        self.concurrencyPolicy = concurrencyPolicy
        self.successfulJobsHistoryLimit = successfulJobsHistoryLimit
        self.failedJobsHistoryLimit = failedJobsHistoryLimit
        self.jobTemplate = jobTemplate
    }
}

public struct JobTemplateSpec: Codable, Sendable, Equatable {
    public var metadata: ObjectMeta?
    public var spec: JobSpec

    public init(metadata: ObjectMeta? = nil, spec: JobSpec) {
        self.metadata = metadata
        self.spec = spec
    }
}

public struct JobSpec: Codable, Sendable, Equatable {
    public var backoffLimit: Int?
    public var template: PodTemplateSpec

    public init(backoffLimit: Int? = nil, template: PodTemplateSpec) {
        self.backoffLimit = backoffLimit
        self.template = template
    }
}
