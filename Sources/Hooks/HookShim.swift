import Deploy
import WorkflowBundle

/// The git hooks pipedreamer provides.
public enum HookName: String, CaseIterable, Sendable {
    case preCommit = "pre-commit"
    /// What `git merge` runs instead of pre-commit before it records a merge commit.
    case preMergeCommit = "pre-merge-commit"
    case prePush = "pre-push"
    case postReceive = "post-receive"

    /// The hooks of a developer's clone.
    public static let client: [HookName] = [.preCommit, .preMergeCommit, .prePush]
    /// The hook of the server's bare repository.
    public static let server: [HookName] = [.postReceive]

    /// Whether git waits for this hook's verdict: a failure of post-receive could only confuse the pusher.
    var blocks: Bool { self != .postReceive }

    /// Whether `pipedreamer-hook` can answer the hook before the full tool starts.
    var hasFastPath: Bool { self == .preCommit || self == .preMergeCommit }

    /// Whether git passes the hook anything on standard input.
    var readsInput: Bool { self == .prePush || self == .postReceive }

    /// The command whose `--no-verify` skips the hook.
    var skippedBy: String {
        switch self {
        case .preCommit: "git commit"
        case .preMergeCommit: "git merge"
        case .prePush, .postReceive: "git push"
        }
    }
}

/// The small POSIX shell script git runs as a hook: it finds the pipedreamer binary and execs
/// `pipedreamer hook <name> "$@"` with standard input passed through. The files in `hooks/` are
/// this script with no recorded path.
public enum HookShim {
    /// The line that marks a hook as pipedreamer's, so uninstall removes only its own.
    public static let marker = "# Installed by `pipedreamer install-hooks`; `pipedreamer uninstall-hooks` removes it."
    /// A hook that was in place before pipedreamer's is kept under this suffix and run first.
    public static let chainedSuffix = ".pipedreamer-chained"

    /// The script for `hook`; `binary` (an absolute path) is recorded as the path to try after
    /// `$PIPEDREAMER_BIN`. The script skips any path that is not absolute, PATH's empty and
    /// relative entries included.
    public static func script(for hook: HookName, binary: String?) -> String {
        let binary = binary.flatMap { $0.hasPrefix("/") ? $0 : nil }
        let tried = binary == nil ? "" : "$recorded, "
        let missing = hook.blocks
            ? "echo \"pipedreamer: cannot run the \(hook.rawValue) check: the pipedreamer binary was not found (tried \\$PIPEDREAMER_BIN, \(tried)and the absolute directories on PATH). Install it (./install.sh) or set PIPEDREAMER_BIN=/absolute/path/to/pipedreamer; \(hook.skippedBy) --no-verify skips the check.\" >&2\n    exit 1"
            : "echo \"pipedreamer: nothing deployed: the pipedreamer binary was not found on this server (tried \\$PIPEDREAMER_BIN, \(tried)and the absolute directories on PATH).\"\n    exit 0"
        let passInput = !hook.readsInput
            ? "    \"$chained\" \"$@\" || exit $?"
            : """
                  input=$(cat)
                  \(hook.blocks
                      ? "status=0\n    printf '%s\\n' \"$input\" | \"$chained\" \"$@\" || status=$?\n    [ \"$status\" -eq 0 ] || exit \"$status\""
                      : "# Its failure cannot stop what git already received; pipedreamer's deploy still runs.\n    printf '%s\\n' \"$input\" | \"$chained\" \"$@\" || :")
                  printf '%s\\n' "$input" | "$bin" hook \(hook.rawValue) "$@"
                  exit $?
              """
        // pipedreamer-hook, installed beside the binary, answers a commit that touches no workflow
        // without starting the full tool (and execs it otherwise).
        let fastPath = hook.hasFastPath
            ? "# pipedreamer-hook beside the binary answers a commit that touches no workflow before the full tool starts.\n"
                + "case $bin in */*) fast=\"${bin%/*}/pipedreamer-hook\"; if [ -x \"$fast\" ]; then exec \"$fast\" \(hook.rawValue) \"$bin\" \"$@\"; fi ;; esac\n"
            : ""
        return """
            #!/bin/sh
            # pipedreamer \(hook.rawValue) hook: runs `pipedreamer hook \(hook.rawValue)` with git's arguments and standard input.
            \(marker)
            # The binary: $PIPEDREAMER_BIN, else the path recorded at install time, else pipedreamer on PATH.
            # Only absolute paths: git runs hooks at the top of the working tree, where a relative one names a committed file.
            recorded=\(ShellQuoting.quoted(binary ?? "", always: true))
            bin=
            case ${PIPEDREAMER_BIN:-} in /*) bin=$PIPEDREAMER_BIN ;; esac
            case $recorded in /*) if [ -z "$bin" ] && [ -x "$recorded" ]; then bin=$recorded; fi ;; esac
            rest=${PATH:-}:
            while [ -z "$bin" ] && [ -n "$rest" ]; do
                dir=${rest%%:*}
                rest=${rest#*:}
                case $dir in /*) if [ -f "$dir/pipedreamer" ] && [ -x "$dir/pipedreamer" ]; then bin=$dir/pipedreamer; fi ;; esac
            done
            if [ -z "$bin" ] || [ ! -x "$bin" ]; then
                \(missing)
            fi
            # A hook that was here before pipedreamer's runs first (${0%/*}: the hooks directory, without forking dirname).
            chained="${0%/*}/\(hook.rawValue)\(chainedSuffix)"
            if [ -x "$chained" ]; then
            \(passInput)
            fi
            \(fastPath)exec "$bin" hook \(hook.rawValue) "$@"

            """
    }

    /// True when `text` is a hook pipedreamer installed.
    public static func isShim(_ text: String) -> Bool {
        text.split(separator: "\n").contains { $0 == marker[...] }
    }
}
