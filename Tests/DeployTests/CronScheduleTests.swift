import Deploy
import Foundation
import Testing
@testable import KubeTestServer

/// A workflow whose only trigger is a cron trigger with `schedule` on line 7.
private func withSchedule(_ schedule: String) -> String {
    "name: hello\nversion: 1.0\nnodes:\n  fetch: nodes/fetch.ts\ntriggers:\n  - type: cron\n    schedule: '\(schedule)'\n"
}

private func scheduleErrors(_ schedule: String) -> [String] {
    do {
        _ = try WorkflowSpec.parse(withSchedule(schedule), file: "workflow.yaml")
        return []
    } catch {
        return error.errors.map(\.description)
    }
}

/// Schedules kube-apiserver accepts for a new CronJob: robfig/cron v3's standard parser as
/// Kubernetes calls it (day of week 0-6, names, `?`, descriptors, `@every`), no TZ.
let acceptedSchedules = [
    "0 3 * * *", "*/60 * * * *", "0 0 31 2 *", "@every 1h", "@every 1h30m", "@every 1.5h", "@every 0",
    "*/15 9-17 * * MON-FRI", "0 0 1,15 * ?", "0 12 * JAN,jul 0", "0 6 * * sun-sat", "5/10 * * * *",
    "0  0   * * *", "? ? ? ? ?", "1,,2 * * * *", "*-5 * * * *", "+5 * * * *",
    "@hourly", "@daily", "@weekly", "@monthly", "@yearly", "@annually", "@midnight",
]

@Test(arguments: acceptedSchedules)
func acceptsTheSchedulesTheAPIServerAccepts(schedule: String) {
    #expect(scheduleErrors(schedule) == [])
}

/// Each refused schedule with the API server's message (`spec.schedule: Invalid value: ...: <message>`).
let refusedSchedules: [(String, String)] = [
    ("30 2 * * 7", "end of range (7) above maximum (6): 7"),
    ("0 0 * * 0-7", "end of range (7) above maximum (6): 0-7"),
    ("TZ=UTC 0 * * * *", "cannot use TZ or CRON_TZ in schedule, use timeZone field instead"),
    ("CRON_TZ=Europe/Berlin 0 9 * * 1-5", "cannot use TZ or CRON_TZ in schedule, use timeZone field instead"),
    ("TZ=UTC 0 * * *", "expected exactly 5 fields, found 4: [0 * * *]; cannot use TZ or CRON_TZ in schedule, use timeZone field instead"),
    ("61 * * * *", "end of range (61) above maximum (59): 61"),
    ("* 24 * * *", "end of range (24) above maximum (23): 24"),
    ("* * 0 * *", "beginning of range (0) below minimum (1): 0"),
    ("* * * 13 *", "end of range (13) above maximum (12): 13"),
    ("*/0 * * * *", "step of range should be a positive number: */0"),
    ("5-3 * * * *", "beginning of range (5) beyond end of range (3): 5-3"),
    ("1-2-3 * * * *", "too many hyphens: 1-2-3"),
    ("*/5/2 * * * *", "too many slashes: */5/2"),
    ("*/-1 * * * *", "negative number (-1) not allowed: -1"),
    ("x * * * *", "failed to parse int from x: strconv.Atoi: parsing \"x\": invalid syntax"),
    ("* * * * FRY", "failed to parse int from FRY: strconv.Atoi: parsing \"FRY\": invalid syntax"),
    ("* * * *", "expected exactly 5 fields, found 4: [* * * *]"),
    ("0 0 * * * *", "expected exactly 5 fields, found 6: [0 0 * * * *]"),
    ("@every 5x", "failed to parse duration @every 5x: time: unknown unit \"x\" in duration \"5x\""),
    ("@every 5", "failed to parse duration @every 5: time: missing unit in duration \"5\""),
    ("@every", "unrecognized descriptor: @every"),
    ("@reboot", "unrecognized descriptor: @reboot"),
    ("@daily ", "unrecognized descriptor: @daily "),
]

@Test(arguments: refusedSchedules)
func refusesTheSchedulesTheAPIServerRefusesWithItsMessage(schedule: String, message: String) {
    #expect(scheduleErrors(schedule) == ["workflow.yaml:7: triggers[0].schedule: '\(schedule)' is not a valid schedule: \(message)"])
}

/// The test API server keeps its own model of kube-apiserver's rule; the two must agree on every verdict.
@Test func theTestAPIServerAgreesOnEveryVerdict() {
    for schedule in acceptedSchedules {
        #expect(CronSchedule.problems(schedule) == [], "\(schedule)")
    }
    for (schedule, _) in refusedSchedules {
        #expect(!CronSchedule.problems(schedule).isEmpty, "\(schedule)")
    }
}
