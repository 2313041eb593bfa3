import Foundation
import Testing

@testable import Deploy

/// `.secrets.yaml` in the working copy: one Secret key per top-level entry, nested values as JSON.
@Suite struct SecretSourceTests {
    func load(_ yaml: String) throws -> SecretSource? {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("secrets-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try yaml.write(to: directory.appendingPathComponent(".secrets.yaml"), atomically: true, encoding: .utf8)
        return try SecretSource.load(workingDirectory: directory.path, workflowDirectory: "")
    }

    @Test func nestedValuesKeepTheirYAMLTypesInJSON() throws {
        let source = try #require(try load("""
            database:
              port: 5432
              tls: true
              ratio: 0.5
              name: app
              replica: null
              quoted: "5432"
            """))
        #expect(String(decoding: try #require(source.data["database"]), as: UTF8.self)
                == #"{"name":"app","port":5432,"quoted":"5432","ratio":0.5,"replica":null,"tls":true}"#)
    }

    @Test func topLevelScalarsAreTheirTextAsWritten() throws {
        let source = try #require(try load("PORT: 5432\nTOKEN: \"abc\"\n"))
        #expect(source.data.mapValues { String(decoding: $0, as: UTF8.self) } == ["PORT": "5432", "TOKEN": "abc"])
        #expect(source.origin == ".secrets.yaml")
    }

    /// The one YAML-to-JSON conversion: aliases stand for copies of their anchored value, as in config.
    @Test func aliasesAreExpandedAsInWorkflowConfig() throws {
        let source = try #require(try load("base: &db {user: app, port: 5432}\nreplica: *db\n"))
        #expect(String(decoding: try #require(source.data["replica"]), as: UTF8.self) == #"{"port":5432,"user":"app"}"#)
    }

    @Test func aValueWithoutAJSONFormIsRefusedWithoutQuotingIt() throws {
        #expect(throws: DeployError(".secrets.yaml line 2: db.limit: an infinite or NaN number has no JSON representation; quote it to keep it as a string")) {
            try load("db:\n  limit: .inf\n")
        }
    }
}
