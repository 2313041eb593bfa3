import Deploy
import Foundation
import GitFiles
import GitShim
import Testing
import TestSupport
import WorkflowBundle

/// A workflow whose trees git fsck refuses is refused by the one rule set, wherever the entry is
/// in its bundle; an entry elsewhere concerns it not.
@Suite struct BrokenTreeBundleTests {
    let fixture: GitFixture

    init() throws { fixture = try GitFixture() }

    /// `WorkflowCheck.run` for `wf` of a commit of `root`.
    func check(_ root: String, _ directory: String = "wf") throws -> WorkflowCheck {
        let repository = try Repository.open(containing: fixture.path)
        let snapshot = try CommitSnapshot(repository: repository, commit: repository.resolveCommit(try fixture.commitTree(root)))
        return try WorkflowCheck.run(snapshot: snapshot, directory: directory, all: try WorkflowLocator.discover(in: snapshot))
    }

    func brokenTree(_ path: String, _ rule: TreeFault.Rule, _ gitMessage: String) -> Violation {
        Violation(.brokenTree, path: path,
                  message: "\(path): a tree entry git fsck refuses (\(rule.rawValue): tree \(gitMessage))",
                  fix: "rewrite the commit without this entry (`git fsck` names the broken tree, `git ls-tree` shows its entries); "
                    + "git cannot check such a tree out, and a server with receive.fsckObjects=true refuses it")
    }

    @Test func aSecondWorkflowYamlIsRefusedAndNotParsed() throws {
        let other = try fixture.blob("name: other\nversion: \"1.0\"\nnodes: {}\n")
        let root = try fixture.rawTree([.tree("wf", try fixture.workflowTree(extraEntries: [.blob("workflow.yaml", other)]))])
        let check = try check(root)
        #expect(check.violations == [brokenTree("wf/workflow.yaml", .duplicateEntries, "contains duplicate file entries")])
        #expect(check.spec == nil)
    }

    @Test func aNodeFileListedTwiceIsRefused() throws {
        let second = try fixture.blob("export default 2;\n")
        let root = try fixture.rawTree([.tree("wf", try fixture.workflowTree(extraNodes: [.blob("fetch.ts", second)]))])
        #expect(try check(root).violations == [brokenTree("wf/nodes/fetch.ts", .duplicateEntries, "contains duplicate file entries")])
    }

    @Test func aNameWithASlashBesideTheFileItSpellsIsRefused() throws {
        let shadow = try fixture.blob("export default 2;\n")
        let root = try fixture.rawTree([.tree("wf", try fixture.workflowTree(extraNodes: [.blob("/fetch.ts", shadow)]))])
        #expect(try check(root).violations == [brokenTree("wf/nodes//fetch.ts", .fullPathname, "contains full pathnames")])
    }

    @Test func aDotDotTreeUnderNodesIsRefused() throws {
        let escape = try fixture.rawTree([.blob("x.ts", try fixture.blob("export default 3;\n"))])
        let root = try fixture.rawTree([.tree("wf", try fixture.workflowTree(extraNodes: [.tree("..", escape)]))])
        #expect(try check(root).violations == [brokenTree("wf/nodes/..", .hasDotdot, "contains '..'")])
    }

    @Test func aDotGitEntryAnywhereInTheDirectoryIsRefused() throws {
        let hooks = try fixture.rawTree([.blob("post-checkout", try fixture.blob("#!/bin/sh\n"))])
        let root = try fixture.rawTree([.tree("wf", try fixture.workflowTree(extraEntries: [.tree(".GIT", hooks)]))])
        #expect(try check(root).violations == [brokenTree("wf/.GIT", .hasDotgit, "contains '.git'")])
    }

    @Test func aNestedWorkflowsBrokenTreeIsItsOwn() throws {
        let second = try fixture.blob("export default 2;\n")
        let inner = try fixture.workflowTree(extraNodes: [.blob("fetch.ts", second)])
        let root = try fixture.rawTree([.tree("wf", try fixture.workflowTree(extraEntries: [.tree("inner", inner)]))])
        #expect(try check(root).violations == [])
        #expect(try check(root, "wf/inner").violations == [brokenTree("wf/inner/nodes/fetch.ts", .duplicateEntries, "contains duplicate file entries")])
    }

    @Test func aBrokenTreeBesideTheWorkflowIsNotItsConcern() throws {
        let blob = try fixture.blob("x\n")
        let junk = try fixture.rawTree([.blob("..", blob), .blob("a", blob), .blob("a", blob), .blob("a/b", blob)])
        let root = try fixture.rawTree([.tree("docs", junk), .tree("wf", try fixture.workflowTree())])
        #expect(try check(root).violations == [])
    }

    /// An index is a flat list of paths; one written by hand can list a path twice.
    @Test func anIndexListingAPathTwiceIsRefused() throws {
        let repository = try Repository.open(containing: fixture.path)
        let commit = try CommitSnapshot(repository: repository, commit: repository.resolveCommit(
            try fixture.commitTree(try fixture.rawTree([.tree("wf", try fixture.workflowTree())]))))
        var index = IndexFile()
        let listed = try commit.entries(under: "wf") + [try #require(try commit.entry(at: "wf/nodes/fetch.ts"))]
        for entry in listed.sorted(by: { Array($0.path.utf8).lexicographicallyPrecedes(Array($1.path.utf8)) }) {
            index.append(path: Array(entry.path.utf8), mode: 0o100644, oid: entry.oid.rawBytes, stage: 0, extendedFlags: 0)
        }
        let snapshot = ObjectFilesIndexSnapshot(file: index, objects: try #require(ObjectFiles(directory: fixture.path + "/.git/objects")))
        let bundle = try CodeBundle.build(from: snapshot, directory: "wf")
        #expect(bundle.violations == [brokenTree("wf/nodes/fetch.ts", .duplicateEntries, "contains duplicate file entries")])
    }

    @Test func theConfigMapAndItsItemsAreOneList() {
        let files = [BundledFile(path: "workflow.yaml", key: "workflow.yaml", content: "name: hello\n"),
                     BundledFile(path: "nodes/a.ts", key: "nodes_a.ts", content: "one\n"),
                     BundledFile(path: "nodes/a.ts", key: "nodes_a.ts", content: "two\n")]
        let objects = Manifests.build(ManifestInput(name: "hello", namespace: nil, image: "engine:1", runtimeClassName: nil,
                                                    commit: String(repeating: "a", count: 40), files: files, cronJobs: []))
        var data = [String: String](), items = [String]()
        for object in objects {
            if case .configMap(let map) = object { data = map.data ?? [:] }
            if case .deployment(let deployment) = object {
                items = deployment.spec.template.spec.volumes?.compactMap(\.configMap).flatMap { $0.items ?? [] }.map(\.key) ?? []
            }
        }
        #expect(data == ["workflow.yaml": "name: hello\n", "nodes_a.ts": "one\n"])
        #expect(items == ["workflow.yaml", "nodes_a.ts"])
    }
}
