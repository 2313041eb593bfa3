import KubeClient
import Testing

/// Cases from Go's own table (`src/time/time_test.go`, `parseDurationTests` and
/// `parseDurationErrorTests`): what kubectl accepts for a duration flag, to the nanosecond.
@Suite struct GoDurationTests {
    static let second: Int64 = 1_000_000_000
    static let minute = 60 * second
    static let hour = 60 * minute

    static let valid: [(String, Int64)] = [
        ("0", 0), ("5s", 5 * second), ("30s", 30 * second), ("1478s", 1478 * second),
        ("-5s", -5 * second), ("+5s", 5 * second), ("-0", 0), ("+0", 0),
        ("5.0s", 5 * second), ("5.6s", 5 * second + 600_000_000), ("5.s", 5 * second), (".5s", 500_000_000),
        ("1.0s", second), ("1.00s", second), ("1.004s", second + 4_000_000), ("1.0040s", second + 4_000_000),
        ("100.00100s", 100 * second + 1_000_000),
        ("10ns", 10), ("11us", 11_000), ("12µs", 12_000), ("12μs", 12_000), ("13ms", 13_000_000),
        ("14s", 14 * second), ("15m", 15 * minute), ("16h", 16 * hour),
        ("3h30m", 3 * hour + 30 * minute), ("10.5s4m", 4 * minute + 10 * second + 500_000_000),
        ("-2m3.4s", -(2 * minute + 3 * second + 400_000_000)),
        ("1h2m3s4ms5us6ns", hour + 2 * minute + 3 * second + 4_000_000 + 5_000 + 6),
        ("39h9m14.425s", 39 * hour + 9 * minute + 14 * second + 425_000_000),
        ("52763797000ns", 52_763_797_000), ("0.3333333333333333333h", 20 * minute),
        ("9007199254740993ns", (1 << 53) + 1),
        ("9223372036854775807ns", Int64.max), ("9223372036854775.807us", Int64.max),
        ("9223372036s854ms775us807ns", Int64.max),
        ("-9223372036854775808ns", Int64.min), ("-9223372036854775.808us", Int64.min),
        ("-9223372036s854ms775us808ns", Int64.min), ("-2562047h47m16.854775808s", Int64.min),
        ("0.100000000000000000000h", 6 * minute),
        ("0.830103483285477580700h", 49 * minute + 48 * second + 372_539_827),
    ]

    @Test(arguments: valid)
    func goDurationsParseToTheNanosecond(text: String, nanoseconds: Int64) throws {
        #expect(try GoDuration.nanoseconds(text) == nanoseconds)
    }

    static let invalid: [(String, String)] = [
        ("", #"time: invalid duration """#), ("3", #"time: missing unit in duration "3""#),
        ("-", #"time: invalid duration "-""#), ("s", #"time: invalid duration "s""#),
        (".", #"time: invalid duration ".""#), ("-.", #"time: invalid duration "-.""#),
        (".s", #"time: invalid duration ".s""#), ("+.s", #"time: invalid duration "+.s""#),
        ("1d", #"time: unknown unit "d" in duration "1d""#),
        ("9223372036854775810ns", #"time: invalid duration "9223372036854775810ns""#),
        ("9223372036854775808ns", #"time: invalid duration "9223372036854775808ns""#),
        ("-9223372036854775809ns", #"time: invalid duration "-9223372036854775809ns""#),
        ("9223372036854776us", #"time: invalid duration "9223372036854776us""#),
        ("3000000h", #"time: invalid duration "3000000h""#),
        ("9223372036854775.808us", #"time: invalid duration "9223372036854775.808us""#),
        ("9223372036854ms775us808ns", #"time: invalid duration "9223372036854ms775us808ns""#),
    ]

    @Test(arguments: invalid)
    func whatGoRefusesIsRefusedWithGosMessage(text: String, message: String) {
        #expect { try GoDuration.nanoseconds(text) } throws: { ($0 as? GoDuration.Invalid)?.description == message }
    }

    /// `--request-timeout` as client-go's `clientcmd.ParseTimeout` reads it: whole seconds, else a Go duration.
    @Test func requestTimeoutTakesWholeSecondsOrAGoDuration() throws {
        #expect(try KubeRequestTimeout.parse("45") == .seconds(45))
        #expect(try KubeRequestTimeout.parse("+45") == .seconds(45))
        #expect(try KubeRequestTimeout.parse("1m30s") == .seconds(90))
        #expect(try KubeRequestTimeout.parse("1.5h") == .seconds(5400))
        #expect(try KubeRequestTimeout.parse("0s") == nil)
        for refused in ["1.5", "-1", "-5s", "5 s", "1d", "soon"] {
            #expect(throws: KubeConfigError("--request-timeout \"\(refused)\" is not a duration; use e.g. 30s, 2m or 0 for no timeout")) {
                try KubeRequestTimeout.parse(refused)
            }
        }
    }
}
