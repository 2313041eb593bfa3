import Foundation
import GitShim
import Testing
import GitFiles

/// Every behaviour is checked twice: git itself (`git check-attr --cached`) must give the
/// expected states, and so must GitAttributes, loaded through the index and commit snapshots.
@Suite struct GitAttributesTests {
    static let set = "set", unset = "unset"
    static let binary = ["binary": set, "diff": unset, "merge": unset, "text": unset]

    // MARK: Patterns

    @Test func binaryMacroIsReportedSetAndExpandsToDiffMergeTextUnset() throws {
        try expectStates(of: ["logo.png", "img/deep/logo.png"], Self.binary)
    }

    @Test func basenamePatternMatchesAtAnyDepth() throws {
        try expectStates(of: ["app.ts", "web/src/app.ts"], ["diff": Self.unset])
    }

    @Test func matchingIsCaseSensitive() throws {
        try expectStates(of: ["SHOUT.PNG", "quiet.up"], [:])
        try expectStates(of: ["shout.UP"], ["diff": "upper"])
    }

    @Test func leadingSlashAnchorsToTheDirectoryOfTheFile() throws {
        try expectStates(of: ["top.txt"], ["diff": "anchored"])
        try expectStates(of: ["sub/top.txt"], [:])
    }

    @Test func patternWithSlashIsRelativeAndStarStopsAtSlash() throws {
        try expectStates(of: ["a/README.md"], ["diff": "markdown"])
        try expectStates(of: ["a/sub/README.md", "b/a/README.md"], [:])
    }

    @Test func doubleStarInTheMiddleMatchesZeroOrMoreDirectories() throws {
        try expectStates(of: ["nodes/c.bin", "nodes/a/b/c.bin"], Self.binary)
        try expectStates(of: ["x/y.txt", "x/a/y.txt", "x/a/b/y.txt"], ["diff": "middle"])
        try expectStates(of: ["other/c.bin"], [:])
    }

    @Test func leadingDoubleStarMatchesInEveryDirectory() throws {
        try expectStates(of: ["cache.json", "k/l/cache.json"], ["diff": "anywhere"])
    }

    @Test func trailingDoubleStarMatchesEverythingInside() throws {
        try expectStates(of: ["vendor/a.js", "vendor/b/c.js"], ["diff": "vendored"])
    }

    @Test func doubleStarRightAfterTheLiteralPrefixCrossesDirectories() throws {
        // git compares `q` literally, then globs `**/z.txt` as if it began the pattern.
        try expectStates(of: ["qa/z.txt", "qa/b/z.txt"], ["diff": "quirk"])
    }

    @Test func characterClassMatchesOneByteFromARange() throws {
        try expectStates(of: ["data1.csv"], ["diff": "digit"])
        try expectStates(of: ["dataX.csv", "data10.csv"], [:])
    }

    @Test func negatedCharacterClassExcludesTheRange() throws {
        try expectStates(of: ["logd.txt"], ["diff": "notabc"])
        try expectStates(of: ["loga.txt"], [:])
    }

    @Test func namedCharacterClassMatchesUppercase() throws {
        try expectStates(of: ["Abc.cls"], ["diff": "upperclass"])
        try expectStates(of: ["abc.cls"], [:])
    }

    @Test func questionMarkMatchesExactlyOneByte() throws {
        try expectStates(of: ["file1.cfg", "a.one"], ["diff": "onechar"])
        try expectStates(of: ["file12.cfg", "é.one"], [:])
    }

    @Test func backslashEscapesAGlobCharacter() throws {
        try expectStates(of: ["literal*.esc"], ["diff": "escapedstar"])
        try expectStates(of: ["literalX.esc"], [:])
    }

    @Test func backslashDoesNotEscapeASpaceInThePattern() throws {
        // The pattern ends at the space: `my\` never matches, and `file.txt` is read as an attribute.
        try expectStates(of: ["my file.txt"], [:])
    }

    @Test func quotedPatternMayHoldSpacesAndOctalEscapes() throws {
        try expectStates(of: ["quoted name.txt"], ["diff": "quoted"])
        try expectStates(of: ["été.oct"], ["diff": "octal"])
    }

    @Test func unicodeNamesMatchLiterallyAndThroughWildcards() throws {
        try expectStates(of: ["日本語.unicode"], ["diff": "unicode"])
        try expectStates(of: ["ünï/doc.txt"], ["diff": "unidir"])
    }

    @Test func negativePatternLineIsIgnored() throws {
        try expectStates(of: ["neg.txt"], [:])
    }

    @Test func escapedExclamationMarkMatchesLiterally() throws {
        try expectStates(of: ["!bang.txt"], ["diff": "bang"])
    }

    @Test func trailingSlashPatternNeverMatchesFiles() throws {
        try expectStates(of: ["docs/guide.txt"], [:])
    }

    @Test func directoryNamePatternDoesNotApplyToFilesInside() throws {
        try expectStates(of: ["sub/file.txt"], [:])
    }

    // MARK: Lines and precedence

    @Test func laterLineInTheSameFileWins() throws {
        try expectStates(of: ["order.txt"], ["diff": "second"])
    }

    @Test func laterAttributeOnTheSameLineWins() throws {
        try expectStates(of: ["same.line"], ["diff": Self.set])
    }

    @Test func invalidAttributeNameDropsTheWholeLine() throws {
        try expectStates(of: ["thing.inv"], [:])
    }

    @Test func valueKeepsEverythingAfterTheFirstEquals() throws {
        try expectStates(of: ["thing.eq"], ["diff": "a=b"])
    }

    @Test func overlyLongLineIsIgnored() throws {
        try expectStates(of: ["thing.long"], [:])
    }

    @Test func carriageReturnsEndingLinesAreBlanks() throws {
        try expectStates(of: ["crlf/doc.txt"], ["diff": "crlf"])
    }

    @Test func byteOrderMarkIsPartOfTheFirstPattern() throws {
        try expectStates(of: ["bom/a.txt"], [:])
        try expectStates(of: ["bom/a.md"], ["diff": "second"])
    }

    @Test func lfsFilterAttributesAreReportedAsValues() throws {
        let lfs = ["filter": "lfs", "diff": "lfs", "merge": "lfs", "text": Self.unset]
        try expectStates(of: ["model.lfs", "nodes/model.lfs"], lfs)
    }

    @Test func deeperFileOverridesTheRoot() throws {
        try expectStates(of: ["nodes/fetch.ts"], ["diff": Self.set])
    }

    @Test func deepestFileWinsOverEveryAncestor() throws {
        try expectStates(of: ["nodes/deep/deeper.ts", "nodes/deep/more/x.ts"], ["diff": Self.unset])
    }

    @Test func unsettingBinaryInADeeperFileLeavesItsExpansionUnspecified() throws {
        try expectStates(of: ["nodes/x.png"], ["binary": Self.unset])
    }

    @Test func deeperPatternWithSlashIsRelativeToItsDirectory() throws {
        try expectStates(of: ["nodes/lib/a.js"], ["diff": "nodeslib"])
        try expectStates(of: ["lib/a.js"], [:])
    }

    @Test func exclamationResetHidesShallowerSettings() throws {
        try expectStates(of: ["reset/plain.txt"], ["text": Self.set])
        try expectStates(of: ["reset/other.txt"], ["diff": Self.unset, "text": Self.set])
    }

    // MARK: Macros

    @Test func rootMacroExpandsWhenSet() throws {
        try expectStates(of: ["blob.dat"], ["mybin": Self.set, "diff": Self.unset, "text": Self.unset])
    }

    @Test func macroMayExpandToAnotherMacro() throws {
        let expected = ["chained": Self.set, "mybin": Self.set, "eol": "lf", "diff": Self.unset, "text": Self.unset]
        try expectStates(of: ["x.chain"], expected)
    }

    @Test func macroDefinedInASubdirectoryIsIgnored() throws {
        try expectStates(of: ["nodes/x.sb"], ["subbin": Self.set])
    }

    // MARK: Whole fixture

    @Test func everyPatternMatchesTheSamePathsAsGit() throws {
        let grid = try Fixture.grid.get()
        for path in grid.paths {
            #expect(try stateNames(grid.fromIndex.specifiedStates(for: path)) == grid.git[path, default: [:]], "\(path)")
        }
    }

    @Test func everyPathAgreesWithGitCheckAttrAll() throws {
        let fixture = try Fixture.shared.get()
        for path in fixture.paths {
            #expect(try stateNames(fixture.fromIndex.specifiedStates(for: path)) == fixture.git[path, default: [:]], "\(path)")
        }
    }

    @Test func requestedAttributesAgreeWithGitCheckAttr() throws {
        let fixture = try Fixture.shared.get()
        for path in fixture.paths {
            for attribute in Fixture.requested {
                let ours = try stateName(fixture.fromIndex.state(of: attribute, for: path))
                #expect(ours == fixture.gitRequested[path]?[attribute], "\(path) \(attribute)")
            }
        }
    }

    @Test func loadingFromTheCommitGivesTheSameStatesAsTheIndex() throws {
        let fixture = try Fixture.shared.get()
        for path in fixture.paths {
            #expect(try fixture.fromCommit.specifiedStates(for: path) == fixture.fromIndex.specifiedStates(for: path), "\(path)")
        }
    }

    // MARK: Loading

    @Test func loadLooksUpTheRootAndEachAncestorDirectoryOnce() throws {
        let snapshot = MemorySnapshot([".gitattributes": "", "a/.gitattributes": "", "z/.gitattributes": ""])
        _ = try GitAttributes.load(from: snapshot, for: ["a/b/one.ts", "a/b/two.ts", "a/three.ts", "top.ts"])
        #expect(snapshot.lookups == [".gitattributes", "a/.gitattributes", "a/b/.gitattributes"])
    }

    @Test func loadedDeeperFileOverridesTheRoot() throws {
        let snapshot = MemorySnapshot([".gitattributes": "*.ts -diff\n", "nodes/.gitattributes": "*.ts diff=ts\n"])
        let attributes = try GitAttributes.load(from: snapshot, for: ["nodes/fetch.ts", "app.ts"])
        #expect(try attributes.state(of: "diff", for: "nodes/fetch.ts") == .value("ts"))
        #expect(try attributes.state(of: "diff", for: "app.ts") == .unset)
    }

    @Test func loadIgnoresMacrosDefinedBelowTheRoot() throws {
        let snapshot = MemorySnapshot(["a/.gitattributes": "[attr]mine -diff\n*.x mine\n"])
        let attributes = try GitAttributes.load(from: snapshot, for: ["a/f.x"])
        #expect(try attributes.specifiedStates(for: "a/f.x") == ["mine": .set])
    }

    @Test func attributesAreUnspecifiedWithoutAnyGitattributes() throws {
        let attributes = try GitAttributes.load(from: MemorySnapshot([:]), for: ["a/b.png"])
        #expect(try attributes.state(of: "binary", for: "a/b.png") == .unspecified)
    }

    @Test func stateOfAnUnmentionedAttributeIsUnspecified() throws {
        let attributes = GitAttributes(files: [(directory: "", contents: "*.png binary\n")])
        #expect(try attributes.state(of: "filter", for: "x.png") == .unspecified)
    }

    @Test func fileOutsideTheAncestorsOfThePathDoesNotApply() throws {
        let attributes = GitAttributes(files: [(directory: "other", contents: "*.png binary\n")])
        #expect(try attributes.state(of: "binary", for: "nodes/x.png") == .unspecified)
        #expect(try attributes.state(of: "binary", for: "other/x.png") == .set)
    }
}

// MARK: - Helpers

/// Asserts that git and GitAttributes both give exactly `expected` (as `check-attr -a` lists it) for each path.
private func expectStates(
    of paths: [String], _ expected: [String: String], sourceLocation: SourceLocation = #_sourceLocation
) throws {
    let fixture = try Fixture.shared.get()
    for path in paths {
        #expect(fixture.paths.contains(path), "\(path) is not in the fixture", sourceLocation: sourceLocation)
        #expect(fixture.git[path, default: [:]] == expected, "git, \(path)", sourceLocation: sourceLocation)
        #expect(try stateNames(fixture.fromIndex.specifiedStates(for: path)) == expected, "\(path)", sourceLocation: sourceLocation)
    }
}

/// How `git check-attr` prints a state.
private func stateName(_ state: AttributeState) -> String {
    switch state {
    case .set: "set"
    case .unset: "unset"
    case .unspecified: "unspecified"
    case .value(let value): value
    }
}

private func stateNames(_ states: [String: AttributeState]) -> [String: String] {
    states.mapValues(stateName)
}

/// Every pattern against every path: pattern i sets `m<i>` from the root file and `s<i>` from
/// `sub/.gitattributes`, so one `check-attr -a` shows which patterns matched which path.
private enum PatternGrid {
    static let patterns = [
        "*", "?", "*.txt", ".*", "*.*", "a*", "*a", "a*b*c", "a?c", "a/*", "a/**", "**/b", "a/**/b", "a/**b",
        "**a", "a**", "***/b", "a/***/b", "**/**/c", "**/*/b", "a/*/b", "*/b", "a/**/", "**/", "/a*", "/*.txt",
        "/**/c", "a/b/", "foo**/c", "*a*/*b", "[ab]*", "*[ab]", "[!a]*", "[^a]*", "[a-c]/*", "[[:digit:]]*",
        "[[:alpha:][:digit:]]x", "[[:bogus:]]*", "[]]*", "[!]]x", "[a-]*", "[\\]]*", "[x-a]*", "[-x]*",
        "[[:space:]]*", "[[]*", "[", "[a", "a[]b", "\\*", "*\\*", "a\\", "\\a*", "a\\/b", "**\\/b",
    ]

    static let paths = [
        "a.txt", "b", "ab", "ba", "abc", "aXbYc", "1x", "]x", "x]", "*", "a*", "a-b", "-x", "[", "[a", "a[]b",
        ".hidden", "c/a", "c/abc", "x/a.txt", "x/.hidden", "a/b", "a/bc", "a/bb/c", "a/x/b", "a/x/y/b",
        "a/x/y/c", "a/.d/b", "ac/c", "foo/c", "foox/y/c", "d/c", "x/y/z/c", "a b",
    ]

    static var attributes: [String: String] {
        func lines(_ prefix: String) -> String {
            patterns.enumerated().map { "\($0.element) \(prefix)\($0.offset)\n" }.joined()
        }
        return [".gitattributes": lines("m"), "sub/.gitattributes": lines("s")]
    }

    static var files: [String] { paths + paths.map { "sub/\($0)" } }
}

/// A repository built with the git CLI, with git's verdicts and GitAttributes loaded from it.
private struct Fixture: Sendable {
    static let shared = Result { try Fixture(attributes: cases, files: caseFiles) }
    static let grid = Result { try Fixture(attributes: PatternGrid.attributes, files: PatternGrid.files) }
    static let requested = ["binary", "diff", "text", "filter"]

    static let cases: [String: String] = [
        ".gitattributes": """
            # Comments and blank lines are ignored.

            [attr]mybin -diff -text
            [attr]chained mybin eol=lf
            *.png binary
            *.ts -diff
            nodes/**/*.bin binary
            /top.txt diff=anchored
            a/*.md diff=markdown
            *.lfs filter=lfs diff=lfs merge=lfs -text
            *.dat mybin
            *.chain chained
            data[0-9].csv diff=digit
            log[!a-c].txt diff=notabc
            [[:upper:]]*.cls diff=upperclass
            file?.cfg diff=onechar
            ?.one diff=onechar
            my\\ file.txt diff=escaped
            literal\\*.esc diff=escapedstar
            "quoted name.txt" diff=quoted
            "\\303\\251t\\303\\251.oct" diff=octal
            **/cache.json diff=anywhere
            vendor/** diff=vendored
            x/**/y.txt diff=middle
            q**/z.txt diff=quirk
            !neg.txt diff=negative
            \\!bang.txt diff=bang
            docs/ diff=dironly
            sub diff=notinherited
            order.txt diff=first
            order.txt diff=second
            same.line -diff diff
            *.inv good bad@name
            *.eq diff=a=b
            *.long diff=long\(String(repeating: " ", count: 2100))
            *.unicode diff=unicode
            ünï/*.txt diff=unidir
            reset/* -diff text
            *.UP diff=upper

            """,
        "nodes/.gitattributes": "[attr]subbin -diff -text\n*.sb subbin\n*.png -binary\n*.ts diff\nlib/*.js diff=nodeslib\n",
        "nodes/deep/.gitattributes": "*.ts -diff\n",
        "reset/.gitattributes": "plain.txt !diff\n",
        "crlf/.gitattributes": "*.txt diff=crlf\r\n",
        "bom/.gitattributes": "\u{FEFF}*.txt diff=first\n*.md diff=second\n",
    ]

    static let caseFiles = [
        "logo.png", "img/deep/logo.png", "SHOUT.PNG", "quiet.up", "shout.UP",
        "app.ts", "web/src/app.ts", "nodes/fetch.ts", "nodes/deep/deeper.ts", "nodes/deep/more/x.ts",
        "nodes/x.png", "nodes/c.bin", "nodes/a/b/c.bin", "other/c.bin", "nodes/x.sb", "nodes/lib/a.js", "lib/a.js",
        "top.txt", "sub/top.txt", "sub/file.txt", "a/README.md", "a/sub/README.md", "b/a/README.md",
        "model.lfs", "nodes/model.lfs", "blob.dat", "x.chain",
        "data1.csv", "dataX.csv", "data10.csv", "logd.txt", "loga.txt", "Abc.cls", "abc.cls",
        "file1.cfg", "file12.cfg", "a.one", "é.one", "my file.txt", "literal*.esc", "literalX.esc",
        "quoted name.txt", "été.oct",
        "cache.json", "k/l/cache.json", "vendor/a.js", "vendor/b/c.js",
        "x/y.txt", "x/a/y.txt", "x/a/b/y.txt", "qa/z.txt", "qa/b/z.txt",
        "neg.txt", "!bang.txt", "docs/guide.txt", "order.txt", "same.line",
        "thing.inv", "thing.eq", "thing.long", "日本語.unicode", "ünï/doc.txt",
        "reset/plain.txt", "reset/other.txt", "crlf/doc.txt", "bom/a.txt", "bom/a.md",
    ]

    /// Every path in the index.
    let paths: [String]
    /// `git check-attr --cached -a`: path → attribute → state.
    let git: [String: [String: String]]
    /// `git check-attr --cached` for `requested`, unspecified ones included.
    let gitRequested: [String: [String: String]]
    let fromIndex: GitAttributes
    let fromCommit: GitAttributes

    /// A repository holding the `.gitattributes` texts in `attributes` and the files `files`.
    init(attributes: [String: String], files: [String]) throws {
        let repository = try ScratchRepository()
        defer { repository.remove() }
        var contents = attributes
        for path in files { contents[path] = "content of \(path)\n" }
        try repository.write(contents)
        try repository.git("add", "-A")
        try repository.git("commit", "-q", "-m", "fixture")

        paths = try repository.git("ls-files", "-z").split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
        git = try Self.parseCheckAttr(repository.git(["check-attr", "--cached", "-z", "-a", "--"] + paths))
        gitRequested = try Self.parseCheckAttr(
            repository.git(["check-attr", "--cached", "-z"] + Self.requested + ["--"] + paths))

        let opened = try Repository.open(containing: repository.path)
        let index = try IndexSnapshot(repository: opened, indexFile: "\(opened.gitDirectory)/index")
        fromIndex = try GitAttributes.load(from: index, for: paths)
        let commit = try CommitSnapshot(repository: opened, commit: opened.resolveCommit("HEAD"))
        fromCommit = try GitAttributes.load(from: commit, for: paths)
    }

    /// `-z` output is path, attribute, state triples, each NUL-terminated.
    static func parseCheckAttr(_ output: [UInt8]) -> [String: [String: String]] {
        let fields = output.split(separator: 0, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        var result = [String: [String: String]]()
        for start in stride(from: 0, to: fields.count - 2, by: 3) {
            result[fields[start], default: [:]][fields[start + 1]] = fields[start + 2]
        }
        return result
    }
}

/// A git repository in a temporary directory, driven through the git CLI with no user or system configuration.
private struct ScratchRepository {
    let path: String

    init() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("attrs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        path = base.path
        try git("init", "-q", "-b", "main")
    }

    func write(_ files: [String: String]) throws {
        for (relative, text) in files {
            let url = URL(fileURLWithPath: path).appendingPathComponent(relative)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
    }

    @discardableResult
    func git(_ arguments: String...) throws -> [UInt8] { try git(arguments) }

    func git(_ arguments: [String]) throws -> [UInt8] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git"] + arguments
        process.currentDirectoryURL = URL(fileURLWithPath: path)
        // An outer hook's GIT_DIR or GIT_INDEX_FILE must not leak into the scratch repository.
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("GIT_") }
        environment.merge([
            "GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_AUTHOR_NAME": "Fixture", "GIT_AUTHOR_EMAIL": "fixture@example.com",
            "GIT_COMMITTER_NAME": "Fixture", "GIT_COMMITTER_EMAIL": "fixture@example.com",
        ]) { $1 }
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw GitFailed(arguments: arguments, status: process.terminationStatus)
        }
        return Array(data)
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

private struct GitFailed: Error, CustomStringConvertible {
    let arguments: [String]
    let status: Int32
    var description: String { "git \(arguments.joined(separator: " ")) exited with \(status)" }
}

/// A snapshot of in-memory text files that records which paths were looked up.
private final class MemorySnapshot: Snapshot, @unchecked Sendable {
    private let files: [String: String]
    private let lock = NSLock()
    private var recorded = [String]()

    init(_ files: [String: String]) { self.files = files }

    /// Paths asked for through `entry(at:)`, sorted.
    var lookups: [String] { lock.withLock { recorded.sorted() } }

    var label: String { "memory" }

    func entries(under directory: String) throws -> [SnapshotEntry] {
        files.keys.sorted().filter { directory.isEmpty || $0.hasPrefix(directory + "/") }.compactMap(makeEntry)
    }

    func entry(at path: String) throws -> SnapshotEntry? {
        lock.withLock { recorded.append(path) }
        return makeEntry(path)
    }

    func directories(containing name: String) throws -> [String] {
        files.keys.compactMap { path in
            path == name ? "" : path.hasSuffix("/" + name) ? String(path.dropLast(name.count + 1)) : nil
        }.sorted()
    }

    func contents(of entry: SnapshotEntry) throws -> [UInt8] { Array((files[entry.path] ?? "").utf8) }

    func prefix(of entry: SnapshotEntry, maxBytes: Int) throws -> [UInt8] {
        Array(try contents(of: entry).prefix(maxBytes))
    }

    private func makeEntry(_ path: String) -> SnapshotEntry? {
        guard let text = files[path] else { return nil }
        return SnapshotEntry(path: path, kind: .file, oid: Oid(hex: String(repeating: "0", count: 40))!, size: text.utf8.count)
    }
}
