#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import GitFiles
import WorkflowBundle

// The first thing the installed pre-commit and pre-merge-commit hooks run. git runs these hooks
// on every commit, so this program links only GitFiles and WorkflowBundle (no libgit2, no
// Foundation, no YAML parser) and starts as fast as git does. It answers a commit that certainly
// touches no workflow directory, and one whose workflows the full check would pass silently
// (`StagedCheck`), with exit 0 and nothing printed, and execs the full check,
// `PIPEDREAMER hook NAME ARGS...`, for everything else. It never refuses a commit itself, so a
// question it cannot answer costs only the time to ask it.

let usage = """
    usage: pipedreamer-hook pre-commit|pre-merge-commit PIPEDREAMER [ARG...]

    PIPEDREAMER is the absolute path of the pipedreamer binary.

    Answers a commit that touches no workflow directory (no workflow.yaml in the index, or every
    workflow directory and the .gitattributes above it as HEAD has them), and a commit whose
    workflows the full check would pass silently: the bundle rules hold in every workflow
    directory it may touch, no git configuration names pipedreamer (so the default settings
    apply), and each workflow.yaml is one this PIPEDREAMER binary found clean before (its
    verdicts are kept in $XDG_CACHE_HOME/pipedreamer/spec-verdicts, else
    ~/.cache/pipedreamer/spec-verdicts; deleting them is safe). Otherwise it runs
    `PIPEDREAMER hook NAME ARG...`, the full check, which gives every refusal and warning.
    The hooks that `pipedreamer install-hooks` writes call it when it is installed beside the
    pipedreamer binary.

    """

func write(_ text: String, to descriptor: Int32) {
    var bytes = Array(text.utf8)[...]
    while !bytes.isEmpty {
        let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
        if written <= 0 { return }
        bytes = bytes.dropFirst(written)
    }
}

func fail(_ message: String, status: Int32) -> Never {
    write(message, to: 2)
    exit(status)
}

let arguments = Array(CommandLine.arguments.dropFirst())
if arguments.first == "--help" || arguments.first == "-h" { write(usage, to: 1); exit(0) }
guard arguments.count >= 2, ["pre-commit", "pre-merge-commit"].contains(arguments[0]), !arguments[1].isEmpty else {
    fail("pipedreamer-hook: expected a hook name and the pipedreamer binary\n\n" + usage, status: 2)
}
let hook = arguments[0]
let full = arguments[1]
// git runs hooks at the top of the working tree, where a relative path names a committed file.
guard full.hasPrefix("/") else {
    fail("pipedreamer-hook: PIPEDREAMER must be an absolute path, not '\(full)'\n\n" + usage, status: 2)
}

if let change = StagedChange.open() {
    if StagedCheck.touchesNoWorkflow(change) { exit(0) }
    // A commit that changes workflows passes here only when the full check would pass it silently
    // (StagedCheck); the full check gives every other verdict.
    if arguments.count == 2, StagedCheck.passes(change, fullBinary: full) { exit(0) }
}

// The full check need not ask again.
setenv(StagedCheck.askedVariable, "1", 1)
let argv = [full, "hook", hook] + arguments.dropFirst(2)
var cArguments: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
execv(full, &cArguments)
let reason = String(cString: strerror(errno))
fail("""
    pipedreamer: cannot run the \(hook) check: \(full): \(reason). Install pipedreamer again \
    (./install.sh) or set PIPEDREAMER_BIN=/path/to/pipedreamer; git \(hook == "pre-commit" ? "commit" : "merge") \
    --no-verify skips the check.

    """, status: 1)
