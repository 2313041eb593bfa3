import Foundation
import Testing
import TestSupport

@testable import Deploy

/// Secrets come only from regular files the deploying user owns, reached from the top of the
/// working tree without a symbolic link at any level: a checked-out commit decides which names
/// are links, and another user may own files in a shared tree.
// The limit catches a read that blocks (a FIFO opened without O_NONBLOCK would wait forever); it
// is generous because a test's clock runs while a crowded run keeps it from the processor.
@Suite(.timeLimit(.minutes(10))) struct SecretFileSafetyTests {
    let tree: ScratchDirectory
    /// Stands for the deployer's own files outside the working tree (`~/.kube/config`).
    let outside: ScratchDirectory

    init() throws {
        tree = try ScratchDirectory()
        outside = try ScratchDirectory()
        try "apiVersion: v1\nusers:\n- name: admin\n  user: {token: kube-admin-token}\n"
            .write(toFile: outside.path + "/config", atomically: true, encoding: .utf8)
    }

    func write(_ relative: String, _ text: String) throws {
        let url = URL(fileURLWithPath: tree.path + "/" + relative)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: false, encoding: .utf8)
    }

    func link(_ relative: String, to target: String) throws {
        let url = URL(fileURLWithPath: tree.path + "/" + relative)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: url.path, withDestinationPath: target)
    }

    func load(_ workflow: String = "") throws -> SecretSource? {
        try SecretSource.load(workingDirectory: tree.path, workflowDirectory: workflow)
    }

    static func linkRefusal(_ shown: String) -> DeployError {
        DeployError("\(shown) is a symbolic link; deploy reads secrets only from files inside the working tree, never through a link: replace the link with the file or directory itself")
    }

    @Test func aSecretsYAMLLinkedToTheKubeconfigIsRefused() throws {
        try link("wf/.secrets.yaml", to: outside.path + "/config")
        #expect(throws: Self.linkRefusal("wf/.secrets.yaml")) { try load("wf") }
    }

    @Test func aSecretsFileLinkedToTheProcessEnvironmentIsRefused() throws {
        try write(".secrets/API_KEY", "value")
        try link(".secrets/env", to: "/proc/self/environ")
        #expect(throws: Self.linkRefusal(".secrets/env")) { try load() }
    }

    @Test func aSecretsDirectoryThatIsALinkIsRefused() throws {
        try FileManager.default.createDirectory(atPath: outside.path + "/kube", withIntermediateDirectories: true)
        try "token".write(toFile: outside.path + "/kube/config", atomically: true, encoding: .utf8)
        try link(".secrets", to: outside.path + "/kube")
        #expect(throws: Self.linkRefusal(".secrets/")) { try load() }
    }

    @Test func aLinkAboveTheWorkflowDirectoryIsRefused() throws {
        try FileManager.default.createDirectory(atPath: outside.path + "/wf", withIntermediateDirectories: true)
        try "TOKEN: stolen\n".write(toFile: outside.path + "/wf/.secrets.yaml", atomically: true, encoding: .utf8)
        try link("apps", to: outside.path)
        #expect(throws: Self.linkRefusal("apps/")) { try load("apps/wf") }
    }

    @Test func aWorkflowPathLeavingTheWorkingTreeIsRefused() throws {
        #expect(throws: DeployError("../outside: secrets are read only from inside the working tree, and this workflow path has an empty, '.' or '..' component; deploy a workflow whose directory is a plain path")) {
            try load("../outside")
        }
    }

    @Test func aFIFOIsRefusedWithoutWaitingForAWriter() throws {
        try write(".secrets/API_KEY", "value")
        #expect(mkfifo(tree.path + "/.secrets/pipe", 0o600) == 0)
        #expect(throws: DeployError(".secrets/pipe is not a regular file (a FIFO, socket or device); deploy reads secrets only from regular files: replace it with a file holding the value")) {
            try load()
        }
    }

    @Test func aSecretsFileOwnedByAnotherUserIsRefused() throws {
        try write(".secrets.yaml", "TOKEN: planted\n")
        try #require(chown(tree.path + "/.secrets.yaml", 65534, 65534) == 0, "needs root to give the file away")
        #expect(throws: DeployError(".secrets.yaml is owned by uid 65534, not by uid \(geteuid()) running deploy; deploy reads only secrets files you own: copy the value into a file of your own")) {
            try load()
        }
    }

    @Test func aSecretsDirectoryOwnedByAnotherUserIsRefused() throws {
        try write(".secrets/API_KEY", "value")
        try #require(chown(tree.path + "/.secrets", 65534, 65534) == 0, "needs root to give the directory away")
        #expect(throws: DeployError(".secrets/ is owned by uid 65534, not by uid \(geteuid()) running deploy; deploy reads only secrets you own: move it away and create your own .secrets/")) {
            try load()
        }
    }

    @Test func secretsAreReadUpToWhatASecretHoldsAndNoFurther() throws {
        try write(".secrets/a", String(repeating: "a", count: 1 << 19))
        try write(".secrets/b", String(repeating: "b", count: 1 << 19))
        let source = try #require(try load())
        #expect(source.data.mapValues(\.count) == ["a": 524_288, "b": 524_288])
        try write(".secrets/c", "c")
        #expect(throws: DeployError(".secrets/c takes the secrets past 1048576 bytes, the most a Secret holds (1 MiB); make them smaller")) {
            try load()
        }
    }

    @Test func aSecretsYAMLOverWhatASecretHoldsIsRefusedUnread() throws {
        try write(".secrets.yaml", "K: " + String(repeating: "x", count: 1 << 20) + "\n")
        #expect(throws: DeployError(".secrets.yaml takes the secrets past 1048576 bytes, the most a Secret holds (1 MiB); make them smaller")) {
            try load()
        }
    }

    @Test func regularFilesOfTheUserAreReadAsBefore() throws {
        try write("wf/.secrets/API_KEY", "value")
        try write("wf/.secrets/db.password", "pw\n")
        let source = try #require(try load("wf"))
        #expect(source.origin == "wf/.secrets/")
        #expect(source.data.mapValues { String(decoding: $0, as: UTF8.self) } == ["API_KEY": "value", "db.password": "pw\n"])
    }
}

/// `.secrets.yaml` is held to the same node budget as workflow.yaml, before it is composed.
@Suite struct SecretYAMLBudgetTests {
    @Test func nestedAliasesInSecretsYamlAreRefusedBeforeComposing() throws {
        var text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for level in 1...9 { text += "a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ") + "]\n" }
        // An alias as a mapping key: Yams would hash the whole expanded key while composing.
        text += "? *a9\n: v\n"
        #expect(throws: DeployError.self) { try SecretSource.readYAML(Array(text.utf8), shown: ".secrets.yaml") }
        do {
            _ = try SecretSource.readYAML(Array(text.utf8), shown: ".secrets.yaml")
        } catch {
            #expect("\(error)".hasPrefix(".secrets.yaml line "), "\(error)")
            #expect("\(error)".contains("more than 100000 YAML values once aliases are expanded"), "\(error)")
        }
    }
}
