import Deploy
import Foundation
import KubeTestServer
import Testing
import TestSupport
import WorkflowBundle

/// Many small node files with long, realistic paths: the keys, not the content, fill the objects.
enum ManyFiles {
    static func path(_ index: Int) -> String {
        "nodes/integrations/salesforce/handlers/generated/handler-\(String(format: "%04d", index)).ts"
    }

    /// 150 bytes of TypeScript, unique per file.
    static func source(_ index: Int) -> String {
        let code = "// generated\nexport default async (ctx) => ctx.forward('salesforce/\(index)', ctx.input);\n"
        return code + "//" + String(repeating: "-", count: 150 - code.utf8.count - 3) + "\n"
    }

    static let workflow = "name: many\nversion: \"1.0\"\nnodes:\n  first: \(path(0))\n"

    /// The bundle of workflow.yaml and `count` node files, as `CodeBundle` builds it.
    static func bundle(_ count: Int) throws -> [BundledFile] {
        var files = [BundledFile(path: "workflow.yaml", key: "workflow.yaml", content: workflow)]
        for index in 0..<count {
            files.append(BundledFile(path: path(index), key: try ConfigMapKey.encode(path(index)), content: source(index)))
        }
        return files
    }

    /// The most node files whose objects the estimate lets through.
    static func largestFittingCount() throws -> Int {
        var (low, high) = (1, 6_000)
        while low < high {
            let middle = (low + high + 1) / 2
            if StoredSize.estimate(try bundle(middle)).fits { low = middle } else { high = middle - 1 }
        }
        return low
    }

    /// Writes workflow.yaml and node files `range` into `fixture` (at its root).
    static func write(_ range: Range<Int>, to fixture: GitFixture) throws {
        try fixture.write("workflow.yaml", workflow)
        for index in range { try fixture.write(path(index), source(index)) }
    }
}

@Suite(.serialized) struct StoredSizeTests {
    @Test func sixThousandFilesUnder900KBAreRefusedByCheckWithTheirOwnMessage() throws {
        let fixture = try GitFixture()
        try ManyFiles.write(0..<5_999, to: fixture)
        try fixture.commitAll()
        let content = 5_999 * 150 + ManyFiles.workflow.utf8.count
        #expect(content < 921_600)
        let result = try PipedreamerBinary.run(["check"], in: fixture.path)
        #expect(result.status == 1)
        #expect(result.stdoutText.contains("  ✗ workflow code has too many files: 6000 files (\(content) bytes of content) make the ConfigMap about "))
        #expect(result.stdoutText.contains(" bytes as etcd stores it, over its 1572864-byte limit (etcdserver: request is too large)\n"))
        #expect(result.stdoutText.contains("    fix: ship fewer files: merge small node files into larger modules"))
    }

    /// A commit the hooks accept is a commit that deploys: the largest count `check` accepts lands in
    /// the test API server, whose limit counts the stored object with its managedFields; one more is refused.
    @Test func theLargestFileCountCheckAcceptsDeploys() async throws {
        let count = try ManyFiles.largestFittingCount()
        let fixture = try GitFixture()
        try ManyFiles.write(0..<count, to: fixture)
        try fixture.commitAll()
        #expect(try PipedreamerBinary.run(["check"], in: fixture.path).status == 0)

        let server = try await KubeTestServer.start(KubeTestServer.Configuration(runtimeClasses: ["gvisor": "runsc"],
                                                                                rolloutDelayMilliseconds: 5))
        let kubeconfig = FileManager.default.temporaryDirectory.appendingPathComponent("kubeconfig-\(UUID().uuidString)")
        try server.kubeconfig().write(to: kubeconfig, atomically: true, encoding: .utf8)
        let deployed = try PipedreamerBinary.run(["deploy", "--kubeconfig", kubeconfig.path, "--timeout", "60s"], in: fixture.path)
        let stored = server.object(.configMaps, namespace: "default", name: "many-code")
        try await server.shutdown()
        try? FileManager.default.removeItem(at: kubeconfig)
        #expect(deployed.status == 0, "\(deployed.stderrText)")
        #expect(stored?["data"]?.object?.count == count + 1)
        // The estimate is an upper bound of what the server stores, managedFields included.
        let estimate = StoredSize.estimate(try ManyFiles.bundle(count))
        #expect((stored.map { $0.serialized().count } ?? .max) <= estimate.configMapBytes)

        try ManyFiles.write(count..<(count + 1), to: fixture)
        try fixture.commitAll("one more")
        let refused = try PipedreamerBinary.run(["check"], in: fixture.path)
        #expect(refused.status == 1)
        #expect(refused.stdoutText.contains("workflow code has too many files: \(count + 2) files"))
    }
}

/// The estimate counts each string as Go's encoding/json writes it, the test API server's encoder
/// (which follows encode.go) being the oracle: `<`, `>`, `&`, U+2028, U+2029 and control
/// characters as `\uXXXX`, quote, backslash, newline, return and tab as two-byte escapes.
@Suite struct StoredSizeEscapingTests {
    @Test(arguments: ["", "plain", "a\"b\\c", "line\nnext\r\ttab", "<b>&amp;</b>", "\u{2028}\u{2029}", "\u{1}\u{1f}\u{7f}",
                      "é日本🎉", "\u{e2}\u{80}", "mixed \u{2028} é < \u{0}", String(repeating: "x\u{2029}", count: 100)])
    func eachStringCountsAsGoWritesIt(text: String) {
        let base = StoredSize.estimate([BundledFile(path: "p", key: "k", content: "")])
        let with = StoredSize.estimate([BundledFile(path: "p", key: "k", content: text)])
        #expect(with.configMapBytes - base.configMapBytes == JSON.string(text).text().utf8.count - 2)
    }
}
