import Deploy
import Foundation
import GitShim
import Testing
import TestSupport
import WorkflowBundle

/// Builds the bundle of `wf` at HEAD of a fixture.
func bundleAtHead(_ fixture: GitFixture, _ directory: String = "wf") throws -> CodeBundle {
    let repository = try Repository.open(containing: fixture.path)
    let snapshot = try CommitSnapshot(repository: repository, commit: repository.resolveCommit("HEAD"))
    return try CodeBundle.build(from: snapshot, directory: directory)
}

/// A committed workflow in `wf/` whose bundle totals exactly `total` bytes.
func workflowOfSize(_ total: Int) throws -> GitFixture {
    let fixture = try GitFixture()
    let spec = "name: big\nversion: \"1.0\"\nnodes:\n  pad: nodes/pad.ts\n"
    try fixture.write("wf/workflow.yaml", spec)
    let padding = total - spec.utf8.count
    try fixture.write("wf/nodes/pad.ts", "//" + String(repeating: "x", count: padding - 3) + "\n")
    try fixture.commitAll()
    return fixture
}

@Suite struct CodeBundleSizeTests {
    @Test func exactlyTheLimitPasses() throws {
        let bundle = try bundleAtHead(try workflowOfSize(921_600))
        #expect(bundle.totalBytes == 921_600)
        #expect(bundle.violations == [])
        #expect(bundle.files.map(\.path) == ["nodes/pad.ts", "workflow.yaml"])
    }

    @Test func oneByteOverTheLimitFailsWithTheExactMessage() throws {
        let bundle = try bundleAtHead(try workflowOfSize(921_601))
        #expect(bundle.totalBytes == 921_601)
        #expect(bundle.violations.map(\.kind) == [.tooLarge])
        let lines = bundle.violations[0].message.split(separator: "\n").map(String.init)
        #expect(lines[0] == "workflow code exceeds ConfigMap size limit (900KB): total size is 921601 bytes")
        #expect(lines[1] == "  limit: 921600 bytes, over by 1 bytes; largest files:")
        #expect(lines[2] == "    921549 bytes  wf/nodes/pad.ts")
        #expect(lines[3] == "    52 bytes  wf/workflow.yaml")
        #expect(bundle.files == [])
    }

    @Test func sizesAreSummedOverBundledFilesOnly() throws {
        let fixture = try GitFixture()
        try fixture.writeWorkflow(at: "wf", nodes: ["a": "12345\n"])
        try fixture.write("wf/README.md", String(repeating: "r", count: 2_000_000))
        try fixture.write("wf/tests/a.test.ts", "test\n")
        try fixture.write("wf/nodes/notes.txt", "not shipped\n")
        try fixture.write("wf/nodes/.hidden.ts", "hidden\n")
        try fixture.commitAll()
        let bundle = try bundleAtHead(fixture)
        let spec = try fixture.git(["show", "HEAD:wf/workflow.yaml"]).count
        #expect(bundle.totalBytes == spec + 6)
        #expect(bundle.fileCount == 2)
        #expect(bundle.violations == [])
    }

    @Test func aConfiguredLimitIsReportedInTheMessage() throws {
        let fixture = try workflowOfSize(2_048)
        let repository = try Repository.open(containing: fixture.path)
        let snapshot = try CommitSnapshot(repository: repository, commit: repository.resolveCommit("HEAD"))
        let bundle = try CodeBundle.build(from: snapshot, directory: "wf", limit: 1_024)
        #expect(bundle.violations.first?.message.hasPrefix("workflow code exceeds ConfigMap size limit (1KB): total size is 2048 bytes") == true)
    }
}

@Suite struct CodeBundleContentTests {
    func violations(_ setup: (GitFixture) throws -> Void) throws -> [Violation] {
        let fixture = try GitFixture()
        try fixture.writeWorkflow(at: "wf")
        try setup(fixture)
        try fixture.commitAll()
        return try bundleAtHead(fixture).violations
    }

    @Test func aNulByteMakesATypeScriptFileBinary() throws {
        let found = try violations { try $0.write("wf/nodes/bad.ts", [0x61, 0x00, 0x62]) }
        #expect(found.map(\.kind) == [.binary])
        #expect(found[0].message == "wf/nodes/bad.ts: binary file (contains a NUL byte in its first 8000 bytes); workflow.yaml and every file under nodes/ must be text")
        #expect(found[0].fix == "remove it (`git rm --cached wf/nodes/bad.ts`) or move it out of nodes/ (diagrams and docs beside workflow.yaml are fine)")
    }

    @Test func aPngInNodesIsBinaryEvenThoughItIsNotShipped() throws {
        let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D]
        let found = try violations { try $0.write("wf/nodes/logo.png", png) }
        #expect(found.map(\.path) == ["wf/nodes/logo.png"])
        #expect(found.map(\.kind) == [.binary])
    }

    @Test func aNulAfterTheFirst8000BytesIsNotBinaryAsInGit() throws {
        let found = try violations { try $0.write("wf/nodes/late.ts", Array(repeating: 0x61, count: 8_000) + [0x00]) }
        #expect(found.map(\.kind) == [])
    }

    @Test func gitattributesBinaryMarksATextFileBinary() throws {
        let found = try violations {
            try $0.write(".gitattributes", "*.ts binary\n")
        }
        #expect(found.map(\.path) == ["wf/nodes/fetch.ts"])
        #expect(found[0].message == "wf/nodes/fetch.ts: binary file (marked binary in .gitattributes); workflow.yaml and every file under nodes/ must be text")
    }

    @Test func gitattributesMinusDiffMarksAFileBinary() throws {
        let found = try violations { try $0.write("wf/.gitattributes", "nodes/fetch.ts -diff\n") }
        #expect(found.map(\.kind) == [.binary])
    }

    @Test func aGitLfsPointerIsRefusedByContent() throws {
        let pointer = "version https://git-lfs.github.com/spec/v1\noid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\nsize 12345\n"
        let found = try violations { try $0.write("wf/nodes/model.json", pointer) }
        #expect(found.map(\.kind) == [.lfsPointer])
        #expect(found[0].message == "wf/nodes/model.json: git-lfs pointer; the cluster would receive the pointer, not the file")
    }

    @Test func aGitLfsTrackedPathIsRefusedByAttribute() throws {
        let found = try violations {
            try $0.write(".gitattributes", "*.json filter=lfs diff=lfs merge=lfs -text\n")
            try $0.write("wf/nodes/data.json", "{}\n")
        }
        #expect(found.map(\.kind) == [.lfsPointer])
    }

    @Test func aSymlinkIsRefused() throws {
        let found = try violations {
            try FileManager.default.createSymbolicLink(atPath: $0.path + "/wf/nodes/link.ts", withDestinationPath: "fetch.ts")
        }
        #expect(found.map(\.kind) == [.symlink])
        #expect(found[0].message == "wf/nodes/link.ts: symbolic links cannot ship; workflow.yaml and files under nodes/ must be regular files")
    }

    @Test func aSubmoduleUnderNodesIsRefusedAndOneBesideItIsNot() throws {
        let fixture = try GitFixture()
        try fixture.writeWorkflow(at: "wf")
        try fixture.commitAll()
        // A gitlink without a checkout: `git add -A` would drop it, so commit the index as it is.
        for path in ["wf/nodes/vendor", "wf/vendor"] {
            try fixture.git(["update-index", "--add", "--cacheinfo", "160000,\(String(repeating: "1", count: 40)),\(path)"])
        }
        try fixture.git(["commit", "-q", "--no-verify", "-m", "submodule"])
        let found = try bundleAtHead(fixture).violations
        #expect(found.map(\.kind) == [.submodule])
        #expect(found.first?.message == "wf/nodes/vendor: submodules cannot ship; files under nodes/ must be regular files")
    }

    @Test func binaryFilesBesideWorkflowYAMLAreNeitherShippedNorRefused() throws {
        let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D]
        let found = try violations {
            try $0.write("wf/diagram.png", png)
            try $0.write("wf/docs/flow.png", png)
            try $0.write("wf/tests/fixtures/blob.bin", [0, 1, 2])
        }
        #expect(found == [])
    }

    @Test func committedSecretsAreRefused() throws {
        let found = try violations {
            try $0.write("wf/.secrets.yaml", "token: x\n")
            try $0.write("wf/.secrets/api-key", "x\n")
            try $0.write("wf/.env", "A=1\n")
            try $0.write("wf/nodes/.env.local", "B=2\n")
        }
        #expect(found.map(\.path) == ["wf/.env", "wf/.secrets.yaml", "wf/.secrets/api-key", "wf/nodes/.env.local"])
        #expect(found.allSatisfy { $0.kind == .secret })
        #expect(found[0].message == "wf/.env: secrets must never be committed (.secrets.yaml, .secrets/ and .env* stay out of git)")
        #expect(found[0].fix == "run `git rm --cached wf/.env` and add it to .gitignore; deploy reads secrets from the working copy")
    }

    @Test func aBundledFileThatIsNotUTF8IsRefused() throws {
        let found = try violations { try $0.write("wf/nodes/latin1.ts", Array("const s = 'caf".utf8) + [0xE9] + Array("';\n".utf8)) }
        #expect(found.map(\.kind) == [.invalidUTF8])
        #expect(found[0].message == "wf/nodes/latin1.ts: not valid UTF-8 (invalid byte at offset 14)")
    }

    @Test func aPathTooLongForAKeyIsRefused() throws {
        let long = "wf/nodes/" + String(repeating: "d", count: 120) + "/" + String(repeating: "f", count: 130) + ".ts"
        let found = try violations { try $0.write(long, "x\n") }
        #expect(found.map(\.kind) == [.invalidPath])
        #expect(found[0].message == "\(long): path is too long to become a ConfigMap key (its key would be 262 characters; the limit is 253)")
    }

    @Test func everyProblemIsReportedAtOnceInPathOrder() throws {
        let found = try violations {
            try $0.write("wf/nodes/z.bin", [0, 1, 2])
            try $0.write("wf/a.env", "fine\n")
            try $0.write("wf/.env", "A=1\n")
        }
        #expect(found.map(\.path) == ["wf/.env", "wf/nodes/z.bin"])
    }

    @Test func nestedWorkflowsAreLeftOutOfTheirParent() throws {
        let fixture = try GitFixture()
        try fixture.writeWorkflow(at: "")
        try fixture.writeWorkflow(at: "inner", name: "inner")
        try fixture.write("inner/nodes/blob.ts", [0])
        try fixture.commitAll()
        let repository = try Repository.open(containing: fixture.path)
        let snapshot = try CommitSnapshot(repository: repository, commit: repository.resolveCommit("HEAD"))
        let outer = try CodeBundle.build(from: snapshot, directory: "", excluding: ["", "inner"])
        #expect(outer.violations == [])
        #expect(outer.files.map(\.path) == ["nodes/fetch.ts", "workflow.yaml"])
    }
}

@Suite struct BinaryVerdictTests {
    /// Paths git's own diff calls binary: `git diff --numstat` prints "-" for them.
    func gitBinaryPaths(_ fixture: GitFixture) throws -> Set<String> {
        let emptyTree = try fixture.gitText(["hash-object", "-t", "tree", "/dev/null"])
        let numstat = try fixture.gitText(["-c", "core.quotePath=false", "diff", "--numstat", emptyTree, "HEAD", "--", "wf"])
        return Set(numstat.split(separator: "\n").filter { $0.hasPrefix("-\t-\t") }.map { String($0.dropFirst(4)) })
    }

    @Test func binaryVerdictsAgreeWithGitDiff() throws {
        let fixture = try GitFixture()
        try fixture.writeWorkflow(at: "wf")
        try fixture.write(".gitattributes", "*.dat binary\n*.txt -diff\nwf/nodes/forced.ts binary\n")
        try fixture.write("wf/.gitattributes", "keep.dat -binary diff\nnodes/sub/** -diff\n")
        try fixture.write("wf/nodes/forced.ts", "looks like text\n")
        try fixture.write("wf/data.dat", "plain text but marked\n")
        try fixture.write("wf/keep.dat", "unmarked again below\n")
        try fixture.write("wf/notes.txt", "text marked -diff\n")
        try fixture.write("wf/nodes/nul.ts", [0x2F, 0x2F, 0x00])
        try fixture.write("wf/nodes/image.png", [0x89, 0x50, 0x4E, 0x47, 0x00, 0x01])
        try fixture.write("wf/nodes/sub/x.json", "{}\n")
        try fixture.write("wf/nodes/late-nul.ts", Array(repeating: 0x61, count: 8_000) + [0])
        try fixture.write("wf/nodes/unicode-é.ts", "const é = 1;\n")
        try fixture.write("wf/nodes/crlf.ts", "a\r\nb\r\n")
        try fixture.commitAll()
        let ours = Set(try bundleAtHead(fixture).violations.filter { $0.kind == .binary }.compactMap(\.path))
        // The rule covers what ships (workflow.yaml and nodes/); there the verdicts are git's.
        let shipping = try gitBinaryPaths(fixture).filter { $0 == "wf/workflow.yaml" || $0.hasPrefix("wf/nodes/") }
        #expect(ours == shipping)
        #expect(ours == ["wf/nodes/forced.ts", "wf/nodes/image.png", "wf/nodes/nul.ts", "wf/nodes/sub/x.json"])
    }
}
