import Foundation
import KubeTestServer
import Testing
import TestSupport

/// The README's quick start, run as a newcomer runs it: every `$ ` command of the blocks marked
/// `<!-- quick-start -->`, in order, with bash, from a copy of the clone's `examples/`, against
/// the test API server, with the built `pipedreamer` first on PATH. Each command must exit as the
/// README says (0, or the status a trailing `# exits N` names) and print what the README shows,
/// up to SHAs, times, ports, absolute paths, `user@host` and column alignment. Also: the README's
/// command summary names every option `--help` lists, docs/configuration.md has a row for every git
/// config key the sources read, and every relative link of README.md and docs/*.md reaches a file
/// (and heading) that exists.
@Suite struct ReadmeQuickStartTests {
    static let marker = "<!-- quick-start -->"

    struct Step: CustomStringConvertible {
        let command: String
        let status: Int32
        let output: [String]
        var description: String { "$ \(command)" }
    }

    static func readme() throws -> String { try Integrations.text("README.md") }

    /// The steps of the marked blocks: a line `$ COMMAND [# exits N]` starts a step, the lines up to
    /// the next one are its output.
    static func steps(in markdown: String) throws -> [Step] {
        var steps = [Step]()
        let lines = markdown.components(separatedBy: "\n")
        var index = 0
        while index < lines.count {
            defer { index += 1 }
            guard lines[index].trimmingCharacters(in: .whitespaces) == marker else { continue }
            index += 1
            guard index < lines.count, lines[index] == "```console" else {
                throw FixtureError("README.md line \(index + 1): \(marker) must be followed by a ```console block")
            }
            index += 1
            var command: String?
            var status: Int32 = 0
            var output = [String]()
            func finish() {
                if let command { steps.append(Step(command: command, status: status, output: output)) }
            }
            while index < lines.count, lines[index] != "```" {
                let line = lines[index]
                if line.hasPrefix("$ ") {
                    finish()
                    (command, status) = parseCommand(String(line.dropFirst(2)))
                    output = []
                } else if command == nil {
                    throw FixtureError("README.md line \(index + 1): a quick-start block starts with a `$ ` command")
                } else {
                    output.append(line)
                }
                index += 1
            }
            finish()
        }
        return steps
    }

    /// `pipedreamer diff        # exits 1` is the command `pipedreamer diff`, expected to exit 1.
    static func parseCommand(_ text: String) -> (String, Int32) {
        if let match = text.firstMatch(of: /\s+#\s*exits (\d+)\s*$/), let status = Int32(match.1) {
            return (String(text[..<match.range.lowerBound]), status)
        }
        return (text, 0)
    }

    /// What differs from one run to the next, or from the README's machine to this one, made equal.
    static func normalised(_ text: [String]) -> [String] {
        text.compactMap { line -> String? in
            // The rollout wait's progress lines depend on how far the rollout got when it was polled.
            if line.hasPrefix("Waiting for ") { return nil }
            var line = line
            line = line.replacing(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/, with: "<time>")
            // A YAML scalar is quoted when its characters could read as a number, so whether a SHA is depends on the SHA.
            line = line.replacing(/'?\b[0-9a-f]{12,40}\b'?/, with: "<sha>")
            line = line.replacing(/127\.0\.0\.1:\d+/, with: "127.0.0.1:<port>")
            line = line.replacing(/([\s(])\/[^\s():]+/) { "\($0.1)<path>" }
            line = line.replacing(/\b[\w.-]+@[\w.-]+\b/, with: "<user>@<host>")
            // Columns are aligned to the widest value; keep the indentation, one space between columns.
            let indent = line.prefix { $0 == " " }
            let rest = String(line.dropFirst(indent.count)).replacing(/\ {2,}/, with: " ")
            return (String(indent) + rest).replacing(/\s+$/, with: "")
        }
    }

    @Test func theSetUpCommandsComeFirst() throws {
        let lines = try Self.readme().components(separatedBy: "\n")
        let open = try #require(lines.firstIndex { $0.hasPrefix("```") })
        #expect(lines[open] == "```sh")
        let close = try #require(lines[(open + 1)...].firstIndex { $0.hasPrefix("```") })
        let block = lines[(open + 1)..<close]
        #expect(block.contains { $0.hasPrefix("./install.sh ") || $0 == "./install.sh" }, "\(block)")
        #expect(block.contains { $0.hasPrefix("swift test ") || $0 == "swift test" }, "\(block)")
        #expect(block.count == 2, "\(block)")
    }

    @Test func theQuickStartWalksTheWholeCycle() throws {
        let commands = try Self.steps(in: Self.readme()).map(\.command)
        for needed in ["pipedreamer install-hooks", "git commit", "git tag", "pipedreamer deploy", "pipedreamer diff", "pipedreamer rollback"] {
            #expect(commands.contains { $0.hasPrefix(needed) }, "the quick start runs \(needed): \(commands)")
        }
        #expect(commands.filter { $0.hasPrefix("pipedreamer deploy") }.count >= 2, "\(commands)")
    }

    @Test func theQuickStartRunsAsWritten() async throws {
        let steps = try Self.steps(in: Self.readme())
        #expect(steps.count >= 10, "\(steps)")
        let scratch = try Integrations.scratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let server = try await KubeTestServer.start(KubeTestServer.Configuration(tls: true, runtimeClasses: ["gvisor": "runsc"],
                                                                                  rolloutDelayMilliseconds: 5))
        do {
            try run(steps, in: scratch, server: server)
            try await server.shutdown()
        } catch {
            try? await server.shutdown()
            throw error
        }
    }

    func run(_ steps: [Step], in scratch: URL, server: KubeTestServer) throws {
        // The quick start starts in a clone of this repository; only its examples are read.
        let clone = scratch.appendingPathComponent("pipedreamer")
        try FileManager.default.createDirectory(at: clone, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: Integrations.projectRoot.appendingPathComponent("examples"),
                                         to: clone.appendingPathComponent("examples"))
        let home = scratch.appendingPathComponent("home")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        var environment = Integrations.cleanEnvironment(home: home)
        environment["KUBECONFIG"] = try Integrations.writeKubeconfig(server, in: scratch)
        environment["XDG_CACHE_HOME"] = scratch.appendingPathComponent("cache").path
        for role in ["AUTHOR", "COMMITTER"] {
            environment["GIT_\(role)_NAME"] = "Alice"
            environment["GIT_\(role)_EMAIL"] = "alice@example.com"
        }
        // Each command runs in the directory the previous one left (the quick start uses `cd`).
        let runner = scratch.appendingPathComponent("run-step.sh")
        let directoryFile = scratch.appendingPathComponent("directory")
        var directory = clone.path
        for step in steps {
            try """
                cd -- "$1" || exit 125
                trap 'pwd >"$2"' EXIT
                exec 2>&1
                \(step.command)

                """.write(to: runner, atomically: true, encoding: .utf8)
            let result = try Command.run("/usr/bin/env", ["bash", "--noprofile", "--norc", runner.path, directory, directoryFile.path],
                                         in: directory, environment: environment)
            let output = result.stdoutText
            #expect(result.status == step.status, "\(step) exited \(result.status), the README says \(step.status):\n\(output)")
            var printed = output.components(separatedBy: "\n")
            if printed.last == "" { printed.removeLast() }
            let expected = Self.normalised(step.output), actual = Self.normalised(printed)
            #expect(actual == expected, """
                \(step) printed what the README does not show:
                \(firstDifference(expected, actual))
                printed:
                \(output)
                """)
            guard result.status == step.status else { return }
            directory = try String(contentsOf: directoryFile, encoding: .utf8).trimmingCharacters(in: .newlines)
        }
    }

    func firstDifference(_ expected: [String], _ actual: [String]) -> String {
        for index in 0..<max(expected.count, actual.count) {
            let want = index < expected.count ? expected[index] : "(nothing)"
            let got = index < actual.count ? actual[index] : "(nothing)"
            if want != got { return "line \(index + 1): README \(want)\n        real   \(got)" }
        }
        return "(none)"
    }

    // MARK: the command summary

    /// The README's command summary: each `pipedreamer NAME` line with the lines indented under it.
    static func summary() throws -> [String: String] {
        let readme = try readme()
        let section = try #require(readme.range(of: "## Commands\n\n```\n"))
        let end = try #require(readme.range(of: "\n```\n", range: section.upperBound..<readme.endIndex))
        var commands = [String: String]()
        var current: String?
        for line in readme[section.upperBound..<end.lowerBound].split(separator: "\n") {
            if let name = line.firstMatch(of: /^pipedreamer ([a-z-]+)/)?.1 { current = String(name) }
            if let current { commands[current, default: ""] += line + "\n" }
        }
        return commands
    }

    /// Every subcommand of `pipedreamer --help`, and every option of its own `--help`, is in the
    /// summary (the impersonation flags in the paragraph under it), by its long or its short name.
    @Test func theCommandSummaryNamesEveryOption() throws {
        let summary = try Self.summary()
        let readme = try Self.readme()
        let top = try PipedreamerBinary.run(["--help"], in: Integrations.projectRoot.path).stdoutText
        let subcommands = top.components(separatedBy: "SUBCOMMANDS:").last?
            .matches(of: #/(?m)^  ([a-z][a-z-]*) /#).map { String($0.1) } ?? []
        #expect(subcommands.count >= 10, "\(top)")
        for name in subcommands {
            #expect(summary[name] != nil, "the README's command summary has no line for pipedreamer \(name)")
        }
        let shared: Set = ["--help", "--version", "--as", "--as-group", "--as-uid"]
        for flag in shared.subtracting(["--help", "--version"]) {
            #expect(readme.contains("[\(flag) "), "the README names \(flag) under the summary")
        }
        for name in subcommands where !["hook", "completion"].contains(name) {
            let help = try PipedreamerBinary.run([name, "--help"], in: Integrations.projectRoot.path).stdoutText
            let text = summary[name] ?? ""
            // `[--dry-run=client|server]` names --dry-run, `[-o text|json]` names -o.
            let tokens = Set(text.split { !($0.isLetter || $0 == "-") }.map(String.init))
            for option in help.matches(of: /(?m)^  (?:(-[a-zA-Z]), )?(--[a-z][a-z-]*)(?:\/(--[a-z][a-z-]*))?/) {
                let long = String(option.2)
                if shared.contains(long) { continue }
                let names = [option.1, Optional(option.2), option.3].compactMap { $0.map(String.init) }
                #expect(names.contains(where: tokens.contains), "the README's summary of pipedreamer \(name) does not name \(names.joined(separator: " or ")):\n\(text)")
            }
        }
    }

    /// Every `pipedreamer.*` git config key the sources read has a row in docs/configuration.md.
    @Test func everyGitConfigKeyHasARow() throws {
        let sources = Integrations.projectRoot.appendingPathComponent("Sources")
        var keys = Set<String>()
        for case let file as String in FileManager.default.enumerator(atPath: sources.path) ?? FileManager.DirectoryEnumerator()
        where file.hasSuffix(".swift") {
            let text = try String(contentsOf: sources.appendingPathComponent(file), encoding: .utf8)
            keys.formUnion(text.matches(of: /"(pipedreamer\.[a-zA-Z]+)"/).map { String($0.1) })
        }
        #expect(keys.count >= 7, "\(keys)")
        let page = try Integrations.text("docs/configuration.md")
        for key in keys.sorted() {
            #expect(page.contains("| `\(key)` |"), "docs/configuration.md has no row for \(key)")
        }
    }

    // MARK: links

    /// README.md and every page under docs/.
    static func pages() throws -> [String] {
        let docs = try FileManager.default.contentsOfDirectory(atPath: Integrations.projectRoot.appendingPathComponent("docs").path)
        return ["README.md"] + docs.filter { $0.hasSuffix(".md") }.sorted().map { "docs/" + $0 }
    }

    /// The link targets of a Markdown page, outside code blocks and code spans.
    static func links(in markdown: String) -> [String] {
        var targets = [String]()
        var inBlock = false
        for line in markdown.components(separatedBy: "\n") {
            if line.trimmingCharacters(in: .whitespaces).hasPrefix("```") { inBlock.toggle(); continue }
            if inBlock { continue }
            let prose = line.replacing(/`[^`]*`/, with: "")
            targets += prose.matches(of: /\]\(([^)\s]+)\)/).map { String($0.1) }
        }
        return targets
    }

    /// GitHub's anchors for the headings of a page: lower case, spaces to `-`, punctuation dropped,
    /// a repeated anchor numbered `-1`, `-2`, ….
    static func anchors(in markdown: String) -> Set<String> {
        var seen = [String: Int]()
        var anchors = Set<String>()
        var inBlock = false
        for line in markdown.components(separatedBy: "\n") {
            if line.hasPrefix("```") { inBlock.toggle(); continue }
            guard !inBlock, let heading = line.firstMatch(of: /^#{1,6} (.+)$/) else { continue }
            var slug = ""
            for character in heading.1.lowercased() {
                if character.isLetter || character.isNumber || character == "-" || character == "_" { slug.append(character) }
                else if character == " " { slug.append("-") }
            }
            let count = seen[slug, default: 0]
            seen[slug] = count + 1
            anchors.insert(count == 0 ? slug : "\(slug)-\(count)")
        }
        return anchors
    }

    @Test func everyRelativeLinkReachesAFileAndHeading() throws {
        let root = Integrations.projectRoot
        var checked = 0
        for page in try Self.pages() {
            let text = try Integrations.text(page)
            let base = root.appendingPathComponent(page).deletingLastPathComponent()
            for target in Self.links(in: text) where !target.contains("://") && !target.hasPrefix("mailto:") {
                checked += 1
                let parts = target.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
                let file = parts[0].isEmpty ? root.appendingPathComponent(page) : base.appendingPathComponent(parts[0]).standardized
                #expect(FileManager.default.fileExists(atPath: file.path), "\(page): the link \(target) names \(file.path), which does not exist")
                guard parts.count == 2, file.pathExtension == "md", FileManager.default.fileExists(atPath: file.path) else { continue }
                let headings = Self.anchors(in: try String(contentsOf: file, encoding: .utf8))
                #expect(headings.contains(parts[1]), "\(page): the link \(target) names no heading of \(file.lastPathComponent)")
            }
        }
        #expect(checked > 20, "the pages link to each other")
    }

    @Test func anchorsAreGitHubs() {
        #expect(Self.anchors(in: "## Output (`-o`), exit status, durations\n### workflow.yaml\n### .secrets.yaml and .secrets/\n## A\n## A\n")
                == ["output--o-exit-status-durations", "workflowyaml", "secretsyaml-and-secrets", "a", "a-1"])
    }
}
