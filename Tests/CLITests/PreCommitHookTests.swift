import Foundation
import Testing
import TestSupport

/// Real `git commit` runs with the hooks installed: what is refused, what passes, what is printed,
/// and that a refused commit leaves HEAD, the index and the working tree exactly as they were.
@Suite struct PreCommitHookTests {
    static let limit = 921_600
    static let footer = "Fix the problems above, stage the fixes (git add) and commit again. `git commit --no-verify` skips this check, but deploy enforces the same rules."

    /// Commits with the hooks and expects a refusal that changes nothing; returns standard error.
    func expectRefused(_ repository: HookedRepository, _ arguments: [String] = [], in directory: String? = nil) throws -> String {
        let before = try RepositoryState(repository, root: directory)
        let result = try repository.commit(arguments, in: directory)
        #expect(result.status == 1, "commit was not refused: \(result.stderrText)")
        #expect(try RepositoryState(repository, root: directory) == before)
        return result.stderrText
    }

    func expectAccepted(_ repository: HookedRepository, _ arguments: [String] = [], in directory: String? = nil) throws {
        let before = try repository.git(["rev-parse", "--verify", "-q", "HEAD"], in: directory).stdoutText
        let result = try repository.commit(arguments, in: directory)
        #expect(result.status == 0, "commit was refused: \(result.stderrText)")
        #expect(result.stderrText == "")
        #expect(try repository.git(["rev-parse", "HEAD"], in: directory).stdoutText != before)
    }

    /// The size of wf/workflow.yaml as `commitWorkflow` writes it.
    func specBytes(_ repository: HookedRepository) throws -> Int {
        try Data(contentsOf: repository.fixture.root.appendingPathComponent("wf/workflow.yaml")).count
    }

    @Test func oneByteOverTheLimitIsRefusedWithTheTotalTheLargestFilesAndWhatTheCommitAdds() throws {
        let repository = try HookedRepository()
        try repository.commitWorkflow(nodeBytes: 100)
        let spec = try specBytes(repository)
        let big = Self.limit - spec - 100 + 1
        try repository.fixture.write("wf/nodes/big.ts", HookedRepository.text(bytes: big))
        try repository.fixture.git(["add", "wf/nodes/big.ts"])
        let stderr = try expectRefused(repository)
        #expect(stderr == """
            pipedreamer: commit refused: 1 workflow cannot ship
            workflow wf at the index: 1 problem
              ✗ workflow code exceeds ConfigMap size limit (900KB): total size is 921601 bytes
                  limit: 921600 bytes, over by 1 bytes; largest files:
                    \(big) bytes  wf/nodes/big.ts
                    \(spec) bytes  wf/workflow.yaml
                    100 bytes  wf/nodes/fetch.ts
                  this commit adds \(big) bytes (\(spec + 100) bytes before)
                fix: shrink or split the largest node files, or move data out of nodes/ (only workflow.yaml and nodes/ ship)
            \(Self.footer)

            """)
    }

    @Test func exactlyAtTheLimitIsAccepted() throws {
        let repository = try HookedRepository()
        try repository.commitWorkflow(nodeBytes: 100)
        let spec = try specBytes(repository)
        try repository.fixture.write("wf/nodes/big.ts", HookedRepository.text(bytes: Self.limit - spec - 100))
        try repository.fixture.git(["add", "wf/nodes/big.ts"])
        try expectAccepted(repository)
        #expect(try repository.fixture.gitText(["ls-files", "wf/nodes/big.ts"]) == "wf/nodes/big.ts")
    }

    @Test func theLimitComesFromGitConfig() throws {
        let repository = try HookedRepository()
        try repository.commitWorkflow(nodeBytes: 100)
        try repository.fixture.git(["config", "pipedreamer.maxCodeBytes", "1k"])
        try repository.fixture.write("wf/nodes/fetch.ts", HookedRepository.text(bytes: 1024))
        try repository.fixture.git(["add", "-A"])
        let stderr = try expectRefused(repository)
        #expect(stderr.contains("  ✗ workflow code exceeds ConfigMap size limit (1KB): total size is \(1024 + (try specBytes(repository))) bytes\n"))
        #expect(stderr.contains("      this commit adds 924 bytes ("))
    }

    @Test func aLimitAboveTheKubernetesMaximumIsAClearError() throws {
        let repository = try HookedRepository()
        try repository.commitWorkflow()
        try repository.fixture.git(["config", "pipedreamer.maxCodeBytes", "2000000"])
        try repository.fixture.write("wf/nodes/fetch.ts", "changed\n")
        try repository.fixture.git(["add", "-A"])
        let stderr = try expectRefused(repository)
        #expect(stderr == "Error: git config pipedreamer.maxCodeBytes is 2000000 (2000000 bytes), above the Kubernetes ConfigMap limit of 1048576 bytes: set at most 1048576 (the default is 921600)\n")
    }

    @Test func aBinaryTypeScriptFileIsRefused() throws {
        let repository = try HookedRepository()
        try repository.commitWorkflow()
        try repository.fixture.write("wf/nodes/bad.ts", [0x65, 0x00, 0x66, 0x0A])
        try repository.fixture.git(["add", "-A"])
        let stderr = try expectRefused(repository)
        #expect(stderr == """
            pipedreamer: commit refused: 1 workflow cannot ship
            workflow wf at the index: 1 problem
              ✗ wf/nodes/bad.ts: binary file (contains a NUL byte in its first 8000 bytes); workflow.yaml and every file under nodes/ must be text
                fix: remove it (`git rm --cached wf/nodes/bad.ts`) or move it out of nodes/ (diagrams and docs beside workflow.yaml are fine)
            \(Self.footer)

            """)
    }

    @Test func aPNGInNodesIsRefused() throws {
        let repository = try HookedRepository()
        try repository.commitWorkflow()
        let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52]
        try repository.fixture.write("wf/nodes/logo.png", png)
        try repository.fixture.git(["add", "-A"])
        let stderr = try expectRefused(repository)
        #expect(stderr.contains("  ✗ wf/nodes/logo.png: binary file (contains a NUL byte in its first 8000 bytes); workflow.yaml and every file under nodes/ must be text\n"))
    }

    @Test func aGitattributesBinaryOverrideIsRefused() throws {
        let repository = try HookedRepository()
        try repository.commitWorkflow()
        try repository.fixture.write(".gitattributes", "*.ts binary\n")
        try repository.fixture.git(["add", "-A"])
        let stderr = try expectRefused(repository)
        #expect(stderr.contains("  ✗ wf/nodes/fetch.ts: binary file (marked binary in .gitattributes); workflow.yaml and every file under nodes/ must be text\n"))
    }

    @Test func aGitLFSPointerIsRefused() throws {
        let repository = try HookedRepository()
        try repository.commitWorkflow()
        try repository.fixture.write("wf/nodes/data.json", "version https://git-lfs.github.com/spec/v1\noid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\nsize 12345\n")
        try repository.fixture.git(["add", "-A"])
        let stderr = try expectRefused(repository)
        #expect(stderr.contains("  ✗ wf/nodes/data.json: git-lfs pointer; the cluster would receive the pointer, not the file\n    fix: store the file in git itself (`git lfs untrack` it) or move it out of the workflow directory\n"))
    }

    @Test func aSymlinkIsRefused() throws {
        let repository = try HookedRepository()
        try repository.commitWorkflow()
        try FileManager.default.createSymbolicLink(atPath: repository.path + "/wf/nodes/link.ts", withDestinationPath: "fetch.ts")
        try repository.fixture.git(["add", "-A"])
        let stderr = try expectRefused(repository)
        #expect(stderr.contains("  ✗ wf/nodes/link.ts: symbolic links cannot ship; workflow.yaml and files under nodes/ must be regular files\n"))
    }

    @Test func aSubmoduleUnderNodesIsRefused() throws {
        let repository = try HookedRepository()
        try repository.commitWorkflow()
        let sha = try repository.fixture.gitText(["rev-parse", "HEAD"])
        try repository.fixture.git(["update-index", "--add", "--cacheinfo", "160000,\(sha),wf/nodes/vendor"])
        let stderr = try expectRefused(repository)
        #expect(stderr.contains("  ✗ wf/nodes/vendor: submodules cannot ship; files under nodes/ must be regular files\n    fix: remove the submodule (`git rm wf/nodes/vendor`) or move it out of nodes/\n"))
    }

    @Test func aDiagramBesideWorkflowYAMLIsAccepted() throws {
        let repository = try HookedRepository()
        try repository.commitWorkflow()
        try repository.fixture.write("wf/diagram.png", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D])
        try repository.fixture.git(["add", "-A"])
        let result = try PipedreamerBinary.run(["hook", "pre-commit"], in: repository.path)
        #expect(result.status == 0, "\(result.stderrText)")
        #expect(result.stderrText == "")
    }

    @Test func aStagedSecretsFileIsRefused() throws {
        let repository = try HookedRepository()
        try repository.commitWorkflow()
        try repository.fixture.write("wf/.secrets.yaml", "token: x\n")
        try repository.fixture.git(["add", "-A"])
        let stderr = try expectRefused(repository)
        #expect(stderr.contains("""
              ✗ wf/.secrets.yaml: secrets must never be committed (.secrets.yaml, .secrets/ and .env* stay out of git)
                fix: run `git rm --cached wf/.secrets.yaml` and add it to .gitignore; deploy reads secrets from the working copy
            """))
    }

    @Test func everyViolationIsListedAtOnce() throws {
        let repository = try HookedRepository()
        try repository.commitWorkflow()
        try repository.fixture.write("wf/.env", "A=1\n")
        try repository.fixture.write("wf/nodes/bad.ts", [0x00])
        try repository.fixture.git(["add", "-A"])
        let stderr = try expectRefused(repository)
        #expect(stderr.contains("workflow wf at the index: 2 problems\n"))
    }

    @Test func workflowYamlErrorsAreRefused() throws {
        let repository = try HookedRepository()
        try repository.commitWorkflow()
        try repository.fixture.write("wf/workflow.yaml", "name: Bad Name\nversion: \"1.0\"\nnodes:\n  fetch: nodes/fetch.ts\n")
        try repository.fixture.git(["add", "-A"])
        let stderr = try expectRefused(repository)
        #expect(stderr.contains("wf/workflow.yaml:1"))
        #expect(stderr.contains("    fix: edit wf/workflow.yaml and fix name\n"))
    }

    @Test func commitPathsChecksTheTemporaryIndexNotTheRealOne() throws {
        let repository = try HookedRepository()
        try repository.commitWorkflow()
        try repository.fixture.write("wf/nodes/huge.ts", HookedRepository.text(bytes: Self.limit + 1))
        try repository.fixture.git(["add", "wf/nodes/huge.ts"])
        try repository.fixture.write("wf/nodes/fetch.ts", "export default 1;\n")
        try expectAccepted(repository, ["wf/nodes/fetch.ts"])
        #expect(try repository.fixture.gitText(["ls-tree", "--name-only", "HEAD", "wf/nodes/"]) == "wf/nodes/fetch.ts")
        #expect(try repository.fixture.gitText(["diff", "--cached", "--name-only"]) == "wf/nodes/huge.ts")
    }

    @Test func commitPathsThatAddAnOversizeFileIsRefused() throws {
        let repository = try HookedRepository()
        try repository.commitWorkflow()
        try repository.fixture.write("wf/nodes/huge.ts", HookedRepository.text(bytes: Self.limit + 1))
        try repository.fixture.git(["add", "-N", "wf/nodes/huge.ts"])
        let stderr = try expectRefused(repository, ["wf/nodes/huge.ts"])
        #expect(stderr.contains("workflow code exceeds ConfigMap size limit (900KB)"))
    }

    @Test func commitAllChecksTheUnstagedChangesItStages() throws {
        let repository = try HookedRepository()
        try repository.commitWorkflow()
        try repository.fixture.write("wf/nodes/fetch.ts", HookedRepository.text(bytes: Self.limit + 1))
        let stderr = try expectRefused(repository, ["-a"])
        #expect(stderr.contains("workflow code exceeds ConfigMap size limit (900KB)"))
        #expect(try repository.fixture.gitText(["diff", "--cached", "--name-only"]) == "")
    }

    @Test func theFirstCommitOfARepositoryIsChecked() throws {
        let repository = try HookedRepository()
        try repository.fixture.writeWorkflow(at: "wf")
        try repository.fixture.write("wf/nodes/bad.ts", [0x00])
        try repository.fixture.git(["add", "-A"])
        let stderr = try expectRefused(repository)
        #expect(stderr.contains("  ✗ wf/nodes/bad.ts: binary file"))
        try repository.fixture.git(["rm", "-q", "--cached", "wf/nodes/bad.ts"])
        try expectAccepted(repository)
    }

    @Test func theFirstCommitOverTheLimitSaysThereIsNoCommitBefore() throws {
        let repository = try HookedRepository()
        try repository.fixture.writeWorkflow(at: "wf", nodes: ["fetch": HookedRepository.text(bytes: Self.limit)])
        try repository.fixture.git(["add", "-A"])
        let stderr = try expectRefused(repository)
        #expect(stderr.contains("      this commit adds \(Self.limit + (try specBytes(repository))) bytes (there is no commit before it)\n"))
    }

    @Test func aLinkedWorktreeUsesTheSameHooksAndItsOwnIndex() throws {
        let repository = try HookedRepository()
        try repository.commitWorkflow()
        let worktree = repository.path + "-worktree"
        defer { try? FileManager.default.removeItem(atPath: worktree) }
        try repository.fixture.git(["worktree", "add", "-q", "-b", "topic", worktree])
        try Data([0x00]).write(to: URL(fileURLWithPath: worktree + "/wf/nodes/bad.ts"))
        #expect(try repository.git(["add", "-A"], in: worktree).status == 0)
        let stderr = try expectRefused(repository, in: worktree)
        #expect(stderr.contains("  ✗ wf/nodes/bad.ts: binary file"))
        try FileManager.default.removeItem(atPath: worktree + "/wf/nodes/bad.ts")
        try FileManager.default.createDirectory(atPath: worktree + "/wf/nodes", withIntermediateDirectories: true)
        try Data("ok\n".utf8).write(to: URL(fileURLWithPath: worktree + "/wf/nodes/good.ts"))
        #expect(try repository.git(["add", "-A"], in: worktree).status == 0)
        try expectAccepted(repository, in: worktree)
    }

    @Test func deletingAWorkflowIsAccepted() throws {
        let repository = try HookedRepository()
        try repository.commitWorkflow()
        try repository.fixture.git(["rm", "-q", "-r", "wf"])
        try expectAccepted(repository)
    }

    @Test func changesOutsideWorkflowsPassEvenWhenAWorkflowIsAlreadyBroken() throws {
        let repository = try HookedRepository()
        try repository.fixture.writeWorkflow(at: "wf")
        try repository.fixture.write("wf/.env", "A=1\n")
        try repository.fixture.commitAll()
        try repository.fixture.write("README.md", "docs\n")
        try repository.fixture.git(["add", "README.md"])
        try expectAccepted(repository)
    }

    @Test func aRepositoryWithoutWorkflowsPassesSilently() throws {
        let repository = try HookedRepository()
        try repository.fixture.write("big.bin", [UInt8](repeating: 0, count: 2_000_000))
        try repository.fixture.git(["add", "-A"])
        try expectAccepted(repository)
    }
}
