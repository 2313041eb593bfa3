import Foundation
import Testing
import TestSupport

/// The Debian package proven where users install it: a clean Debian bookworm root made by
/// debootstrap, set up by the container image's own runtime-stage script
/// (`scripts/test-debian-root.sh`). `.ci/run` builds the package and names it in `PIPEDREAMER_DEB`.
@Suite struct DebianPackageTests {
    static let package = ProcessInfo.processInfo.environment["PIPEDREAMER_DEB"]
    static let canRun = package != nil && getuid() == 0 && Command.which("debootstrap") != nil

    @Test(.enabled(if: canRun, "needs root, debootstrap and PIPEDREAMER_DEB (a package from scripts/package-deb.sh; .ci/run sets it)"))
    func thePackageRendersAndHooksInACleanDebianRootAsTheImageUser() throws {
        let deb = try #require(Self.package)
        let scratch = try ScratchDirectory()
        let root = scratch.path + "/root"
        let script = Integrations.projectRoot.appendingPathComponent("scripts/test-debian-root.sh").path
        let proof = try Command.run("/bin/bash", [script, deb, root])
        defer { _ = try? Command.run("/bin/rm", ["-rf", "--one-file-system", root]) }
        if proof.status == 77 { try Test.cancel(Comment(rawValue: proof.stderrText)) }
        #expect(proof.status == 0, "\(proof.stdoutText)\n\(proof.stderrText)")
        #expect(proof.stdoutText.hasSuffix("debian root: ok\n"), "\(proof.stdoutText)")
        // `pipedreamer version` ran inside the root as uid 999 and printed the package's version.
        let version = try #require(URL(fileURLWithPath: deb).lastPathComponent.split(separator: "_").dropFirst().first)
        #expect(proof.stdoutText.contains("pipedreamer \(version) (commit "), "\(proof.stdoutText)")

        // The render inside the root is byte-identical to this build's render of the same commit.
        let copy = scratch.path + "/hello"
        #expect(try Command.run("/bin/cp", ["-r", root + "/home/pipedreamer/src/hello", copy]).status == 0)
        #expect(try Command.run("/bin/chown", ["-R", "0:0", copy]).status == 0)
        let host = try PipedreamerBinary.run(["render", "HEAD~1"], in: copy)
        #expect(host.status == 0, "\(host.stderrText)")
        let inside = try Data(contentsOf: URL(fileURLWithPath: root + "/render.yaml"))
        #expect(host.stdout == inside)
        #expect(host.stdoutText.contains("kind: ConfigMap"))
    }

    /// The release version is written once (BuildInfo.swift); the binary, scripts/version.sh and the
    /// image the Argo CD sidecar names all say the same.
    @Test func theVersionTheBinaryTheScriptAndTheSidecarImageNameIsOne() throws {
        let binary = try Command.run(PipedreamerBinary.path, ["--version"])
        let release = binary.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(release.split(separator: ".").count == 3, "\(release)")
        let script = Integrations.projectRoot.appendingPathComponent("scripts/version.sh").path
        let printed = try Command.run("/bin/bash", [script]).stdoutText
        #expect(printed == release + "\n" || printed == release + "+dirty\n", "\(printed)")
        let tag = try Command.run("/bin/bash", [script, "--image-tag"]).stdoutText
        #expect(tag == printed.replacingOccurrences(of: "+", with: "-"))
        let sidecar = try Integrations.text("integrations/argocd/repo-server-sidecar.yaml")
        #expect(sidecar.contains("image: registry.example.com/tools/pipedreamer:\(release) "))
    }
}
