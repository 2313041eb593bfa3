import Deploy
import GitShim
import Testing
import TestSupport
import GitFiles

/// The restart stamp is the last commit that changed what the workflow ships, with git itself as
/// the oracle: `git log -1` over pathspecs naming exactly the bundle's files and the image file.
@Suite struct CodeCommitTests {
    let fixture: GitFixture
    let first: String

    init() throws {
        fixture = try GitFixture()
        try fixture.writeWorkflow(at: "wf")
        first = try fixture.commitAll("workflow")
    }

    func codeCommit(_ revision: String = "HEAD", _ directory: String = "wf") throws -> Oid {
        let repository = try Repository.open(containing: fixture.path)
        return try CodeCommit.find(repository: repository, commit: repository.resolveCommit(revision), directory: directory).oid
    }

    /// What ships, as git pathspecs: workflow.yaml, nodes/**/*.{ts,json,yaml,yml} that are not
    /// hidden at any level, and .pipedreamer/base-image.txt.
    func gitOracle(_ directory: String = "wf", _ revision: String = "HEAD") throws -> String {
        let nodes = ["ts", "json", "yaml", "yml"].map { ":(glob)\(directory)/nodes/**/*.\($0)" }
        let excluded = [":(exclude,glob)\(directory)/nodes/**/.*", ":(exclude,glob)\(directory)/nodes/**/.*/**"]
        return try fixture.gitText(["log", "-1", "--format=%H", revision, "--", "\(directory)/workflow.yaml",
                                    "\(directory)/.pipedreamer/base-image.txt"] + nodes + excluded)
    }

    @Test func aReadmeBesideWorkflowYamlRestartsNothing() throws {
        try fixture.write("wf/README.md", "notes\n")
        try fixture.commitAll("readme")
        #expect(try codeCommit().hex == first)
        #expect(try gitOracle() == first)
    }

    @Test func filesUnderNodesThatDoNotShipRestartNothing() throws {
        try fixture.write("wf/nodes/NOTES.md", "notes\n")
        try fixture.write("wf/nodes/.hidden/x.ts", "export const x = 1;\n")
        try fixture.write("wf/nodes/diagram.png", "png\n")
        try fixture.commitAll("not shipped")
        #expect(try codeCommit().hex == first)
        #expect(try gitOracle() == first)
    }

    @Test func aNewNodeFileAChangedSpecAndANewImageEachRestart() throws {
        try fixture.write("wf/nodes/extra.ts", "export const extra = 1;\n")
        let node = try fixture.commitAll("node")
        #expect(try codeCommit().hex == node)
        try fixture.write("wf/README.md", "notes\n")
        try fixture.commitAll("readme")
        #expect(try codeCommit().hex == node)
        try fixture.write("wf/.pipedreamer/base-image.txt", "registry.example.com/engine:2\n")
        let image = try fixture.commitAll("image")
        #expect(try codeCommit().hex == image)
        #expect(try gitOracle() == image)
        try fixture.write("wf/workflow.yaml", try String(contentsOfFile: fixture.path + "/wf/workflow.yaml", encoding: .utf8) + "config: {a: 1}\n")
        let spec = try fixture.commitAll("spec")
        #expect(try codeCommit().hex == spec)
        #expect(try gitOracle() == spec)
    }

    @Test func aNestedWorkflowsChangesAreItsOwn() throws {
        try fixture.writeWorkflow(at: "wf/nodes/inner", name: "inner")
        let nested = try fixture.commitAll("nested")
        try fixture.write("wf/nodes/inner/nodes/fetch.ts", "export default async () => 2;\n")
        try fixture.commitAll("inner changes")
        #expect(try codeCommit().hex == first)
        #expect(try codeCommit("HEAD", "wf/nodes/inner").hex != nested)
    }

    @Test func aMergeBringingOnlyAReadmeRestartsNothing() throws {
        try fixture.git(["checkout", "-q", "-b", "docs"])
        try fixture.write("wf/README.md", "docs\n")
        try fixture.commitAll("docs")
        try fixture.git(["checkout", "-q", "main"])
        try fixture.write("other.txt", "x\n")
        try fixture.commitAll("elsewhere")
        try fixture.git(["merge", "-q", "--no-ff", "--no-edit", "docs"])
        #expect(try codeCommit().hex == first)
        #expect(try gitOracle() == first)
    }
}
