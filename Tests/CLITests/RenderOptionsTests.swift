import Foundation
import Testing
import TestSupport

@Suite struct RenderOptionsTests {
    let fixture: GitFixture

    init() throws {
        fixture = try GitFixture()
        try fixture.writeWorkflow(at: "flows/a", name: "alpha")
        try fixture.writeWorkflow(at: "flows/b", name: "beta",
                                  extra: "deployment:\n  namespace: team-b\n")
        try fixture.commitAll()
    }

    func render(_ arguments: [String], in subdirectory: String = "") throws -> Command.Result {
        try PipedreamerBinary.run(["render"] + arguments, in: fixture.path + "/" + subdirectory)
    }

    @Test func severalWorkflowsWithoutDashWIsAnErrorListingThem() throws {
        let result = try render([])
        #expect(result.status == 1)
        #expect(result.stderrText.contains("holds several workflows (flows/a, flows/b); choose one with -w DIR"))
    }

    @Test func theWorkflowContainingTheCurrentDirectoryIsChosen() throws {
        let result = try render([], in: "flows/b/nodes")
        #expect(result.status == 0, "\(result.stderrText)")
        #expect(try RenderedObjects(yaml: result.stdoutText).names.contains("Deployment/beta"))
    }

    @Test func dashWIsRelativeToTheCurrentDirectory() throws {
        let result = try render(["-w", "../a"], in: "flows/b")
        #expect(result.status == 0, "\(result.stderrText)")
        #expect(try RenderedObjects(yaml: result.stdoutText).names.contains("Deployment/alpha"))
    }

    @Test func aMissingWorkflowDirectoryIsNamed() throws {
        let result = try render(["-w", "flows/c"])
        #expect(result.status == 1)
        #expect(result.stderrText.contains("no workflow.yaml in flows/c at commit"))
        #expect(result.stderrText.contains("workflows there: flows/a, flows/b"))
    }

    @Test func namespaceComesFromTheFlagThenTheSpecElseNone() throws {
        func namespaces(_ arguments: [String]) throws -> Set<String> {
            let objects = try RenderedObjects(yaml: try render(arguments).stdoutText)
            return Set(objects.documents.compactMap { value($0, "metadata", "namespace") as? String })
        }
        // Neither sets one: no namespace, so `kubectl apply` uses the context's, as deploy does.
        #expect(try namespaces(["-w", "flows/a"]) == [])
        #expect(try namespaces(["-w", "flows/b"]) == ["team-b"])
        #expect(try namespaces(["-w", "flows/b", "-n", "prod"]) == ["prod"])
    }

    @Test func anInvalidNamespaceIsRefused() throws {
        let result = try render(["-w", "flows/a", "-n", "Bad_NS"])
        #expect(result.status == 1)
        #expect(result.stderrText.contains("namespace 'Bad_NS' from -n is not a valid Kubernetes name"))
    }

    @Test func theRuntimeClassDefaultsToGvisorAndAnEmptyValueDisablesIt() throws {
        func runtimeClass(_ arguments: [String]) throws -> String? {
            let objects = try RenderedObjects(yaml: try render(["-w", "flows/a"] + arguments).stdoutText)
            return value(objects["Deployment/alpha"], "spec", "template", "spec", "runtimeClassName") as? String
        }
        #expect(try runtimeClass([]) == "gvisor")
        #expect(try runtimeClass(["--runtime-class", "kata"]) == "kata")
        #expect(try runtimeClass(["--runtime-class", ""]) == nil)
    }

    @Test func unknownRevisionIsAClearError() throws {
        let result = try render(["nope", "-w", "flows/a"])
        #expect(result.status == 1)
        #expect(result.stderrText == "Error: unknown revision 'nope': not a commit, branch or tag in this repository (see `git log --oneline`, `git tag`)\n")
    }

    @Test func clusterRegistryIsRemovedWhereverItAppears() throws {
        for arguments in [["render", "--cluster-registry", "gcr.io/x"], ["--cluster-registry=gcr.io/x", "check"]] {
            let result = try PipedreamerBinary.run(arguments, in: fixture.path)
            #expect(result.status == 2)
            #expect(result.stderrText == "Error: flag --cluster-registry is removed; use --image instead\n")
        }
    }
}

@Suite struct ImageCascadeTests {
    func image(_ fixture: GitFixture, _ arguments: [String] = []) throws -> (String?, String) {
        let result = try PipedreamerBinary.run(["render"] + arguments, in: fixture.path)
        #expect(result.status == 0, "\(result.stderrText)")
        let objects = try RenderedObjects(yaml: result.stdoutText)
        let containers = value(objects["Deployment/hello"], "spec", "template", "spec", "containers") as? [[String: Any]]
        return (containers?.first?["image"] as? String, result.stderrText)
    }

    @Test func theFallbackIsUsedWhenNothingElseIsSet() throws {
        let fixture = try GitFixture()
        try fixture.writeWorkflow()
        try fixture.commitAll()
        let (found, said) = try image(fixture)
        #expect(found == "pipedreamer-engine:latest")
        #expect(said.contains("image pipedreamer-engine:latest (default; set --image or commit .pipedreamer/base-image.txt)"))
    }

    @Test func theWorkingCopyFileIsNeverUsedOnlyNamedInANote() throws {
        let fixture = try GitFixture()
        try fixture.writeWorkflow()
        try fixture.commitAll()
        try fixture.write(".pipedreamer/base-image.txt", "# built locally\nregistry.example.com/engine:wc\n")
        let (found, said) = try image(fixture)
        #expect(found == "pipedreamer-engine:latest")
        #expect(said.contains("note: .pipedreamer/base-image.txt is in the working copy but not in commit "))
        #expect(said.contains(", so it is not used; commit it, or pass --image\n"))
    }

    @Test func theCommittedFileBeatsTheWorkingCopy() throws {
        let fixture = try GitFixture()
        try fixture.writeWorkflow()
        try fixture.write(".pipedreamer/base-image.txt", "registry.example.com/engine:committed\n")
        try fixture.commitAll()
        try fixture.write(".pipedreamer/base-image.txt", "registry.example.com/engine:wc\n")
        let (found, said) = try image(fixture)
        #expect(found == "registry.example.com/engine:committed")
        #expect(said.contains("(from .pipedreamer/base-image.txt in commit"))
    }

    @Test func theFlagBeatsEverything() throws {
        let fixture = try GitFixture()
        try fixture.writeWorkflow()
        try fixture.write(".pipedreamer/base-image.txt", "registry.example.com/engine:committed\n")
        try fixture.commitAll()
        let (found, said) = try image(fixture, ["--image", "ghcr.io/acme/engine@sha256:" + String(repeating: "a", count: 64)])
        #expect(found == "ghcr.io/acme/engine@sha256:" + String(repeating: "a", count: 64))
        #expect(said.contains("(from --image)"))
    }

    @Test func anImageWithWhitespaceIsRefused() throws {
        let fixture = try GitFixture()
        try fixture.writeWorkflow()
        try fixture.commitAll()
        let result = try PipedreamerBinary.run(["render", "--image", "bad image"], in: fixture.path)
        #expect(result.status == 1)
        #expect(result.stderrText == "Error: image 'bad image' from --image contains whitespace or control characters\n")
    }
}
