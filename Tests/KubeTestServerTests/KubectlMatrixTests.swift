import Foundation
import KubeTestServer
import TestSupport
import Testing

/// kubectl 1.32 over TLS, with its default validation (`--validate=strict`): it reads the OpenAPI v3 documents,
/// finds `fieldValidation` supported and leaves validation to the server.
@Suite struct KubectlMatrixTests {
    static let deployment = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: hello
        spec:
          replicas: 1
          selector:
            matchLabels: {app: hello}
          template:
            metadata:
              labels: {app: hello}
            spec:
              containers:
              - name: engine
                image: engine:1

        """

    static let lease = """
        apiVersion: coordination.k8s.io/v1
        kind: Lease
        metadata:
          name: lock
        spec:
          holderIdentity: deploy-1
          leaseDurationSeconds: 30

        """

    /// A TLS server and a kubectl bound to it, with its own cache directory.
    struct Kubectl {
        let server: KubeTestServer
        let directory: ExternalClientTests.Directory
        let kubeconfig: String

        init(_ server: KubeTestServer, user: String = "admin") throws {
            self.server = server
            directory = try ExternalClientTests.Directory()
            kubeconfig = try directory.write("kubeconfig-\(user)", server.kubeconfig(user: user))
        }

        func run(_ arguments: [String]) throws -> Command.Result {
            try Command.run("/usr/bin/env", ["kubectl", "--kubeconfig", kubeconfig,
                                             "--cache-dir", directory.url.appendingPathComponent("cache").path] + arguments)
        }

        func file(_ name: String, _ text: String) throws -> String { try directory.write(name, text) }
    }

    static func tls() -> KubeTestServer.Configuration {
        var configuration = KubeTestServer.Configuration(tls: true, rolloutDelayMilliseconds: 5)
        configuration.clientUsers = ExternalClientTests.users
        return configuration
    }

    @Test(.enabled(if: Command.which("kubectl") != nil))
    func createApplyAndServerSideApplyValidateThroughTheServer() async throws {
        try await withServer(KubectlMatrixTests.tls()) { server, _ in
            let kubectl = try Kubectl(server)
            let manifest = try kubectl.file("deployment.yaml", KubectlMatrixTests.deployment)
            let created = try kubectl.run(["create", "-f", manifest])
            #expect(created.stderrText == "")
            #expect(created.stdoutText == "deployment.apps/hello created\n")
            let create = server.requests.first { $0.method == "POST" && $0.path == Fixture.deployments }
            #expect(create?.hasQuery("fieldValidation", "Strict") == true)
            #expect(server.requests.contains { $0.path == "/openapi/v3" })
            #expect(server.requests.contains { $0.path == "/openapi/v3/apis/apps/v1" && $0.status == 200 })

            let applied = try kubectl.run(["apply", "--server-side", "-f", manifest])
            #expect(applied.stderrText == "")
            #expect(applied.stdoutText == "deployment.apps/hello serverside-applied\n")

            let configMap = try kubectl.file("settings.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  mode: fast\n")
            let first = try kubectl.run(["apply", "-f", configMap])
            #expect(first.stderrText == "")
            #expect(first.stdoutText == "configmap/settings created\n")
            _ = try kubectl.file("settings.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  mode: slow\n")
            let second = try kubectl.run(["apply", "-f", configMap])
            #expect(second.stderrText == "")
            #expect(second.stdoutText == "configmap/settings configured\n")
            #expect(server.object(.configMaps, namespace: "default", name: "settings")?.value(at: ["data", "mode"]) == "slow")
            let patch = server.requests.last { $0.method == "PATCH" && $0.path == Fixture.configMaps + "/settings" }
            #expect(patch?.contentType == "application/strategic-merge-patch+json")
        }
    }

    @Test(.enabled(if: Command.which("kubectl") != nil))
    func scaleAndRolloutsWorkAsOnACluster() async throws {
        try await withServer(KubectlMatrixTests.tls()) { server, _ in
            let kubectl = try Kubectl(server)
            let manifest = try kubectl.file("deployment.yaml", KubectlMatrixTests.deployment)
            #expect(try kubectl.run(["apply", "--server-side", "-f", manifest]).status == 0)

            let scaled = try kubectl.run(["scale", "deployment/hello", "--replicas=3"])
            #expect(scaled.stderrText == "")
            #expect(scaled.stdoutText == "deployment.apps/hello scaled\n")
            #expect(server.object(.deployments, namespace: "default", name: "hello")?.value(at: ["spec", "replicas"]) == 3)

            let status = try kubectl.run(["rollout", "status", "deployment/hello", "--timeout=120s"])
            #expect(status.status == 0)
            #expect(status.stdoutText.hasSuffix("deployment \"hello\" successfully rolled out\n"))

            #expect(try kubectl.run(["set", "image", "deployment/hello", "engine=engine:2"]).status == 0)
            #expect(try kubectl.run(["rollout", "status", "deployment/hello", "--timeout=120s"]).status == 0)
            let history = try kubectl.run(["rollout", "history", "deployment/hello"])
            #expect(history.stdoutText == "deployment.apps/hello \nREVISION  CHANGE-CAUSE\n1         <none>\n2         <none>\n\n")

            let undo = try kubectl.run(["rollout", "undo", "deployment/hello"])
            #expect(undo.stderrText == "")
            #expect(undo.stdoutText == "deployment.apps/hello rolled back\n")
            #expect(try kubectl.run(["rollout", "status", "deployment/hello", "--timeout=120s"]).status == 0)
            let after = try kubectl.run(["rollout", "history", "deployment/hello"])
            #expect(after.stdoutText == "deployment.apps/hello \nREVISION  CHANGE-CAUSE\n2         <none>\n3         <none>\n\n")
            let deployment = try #require(server.object(.deployments, namespace: "default", name: "hello"))
            #expect(deployment.value(at: ["metadata", "annotations", "deployment.kubernetes.io/revision"]) == "3")
            #expect(deployment.value(at: ["spec", "template", "spec", "containers"])?.array?.first?["image"] == "engine:1")

            let sets = try kubectl.run(["get", "rs", "-o", "name"])
            #expect(sets.stderrText == "")
            let names = sets.stdoutText.split(separator: "\n").map { String($0.dropFirst("replicaset.apps/".count)) }
            #expect(names.count == 2)
            for name in names {
                let replicaSet = try #require(server.object(.replicaSets, namespace: "default", name: name))
                let hash = try #require(replicaSet.value(at: ["metadata", "labels", "pod-template-hash"])?.string)
                #expect(name == "hello-\(hash)")
                let owner = replicaSet.value(at: ["metadata", "ownerReferences"])?.array?.first
                #expect(owner?["kind"] == "Deployment")
                #expect(owner?["uid"] == deployment.value(at: ["metadata", "uid"]))
                #expect(owner?["controller"] == true)
            }
            // Status names only ReplicaSets that exist.
            let progressing = deployment.value(at: ["status", "conditions"])?.array?.first { $0["type"] == "Progressing" }
            let message = try #require(progressing?["message"]?.string)
            #expect(names.contains { message == "ReplicaSet \"\($0)\" has successfully progressed." })
        }
    }

    @Test(.enabled(if: Command.which("kubectl") != nil))
    func authCanIAnswersFromTheServersPolicy() async throws {
        var configuration = KubectlMatrixTests.tls()
        configuration.policy = .only([AccessRule(users: ["ci"], verbs: ["get", "list"], apiGroups: ["apps"], resources: ["deployments"])])
        try await withServer(configuration) { server, _ in
            let admin = try Kubectl(server, user: "admin")
            server.setPolicy(.allowingEverything)
            let yes = try admin.run(["auth", "can-i", "patch", "deployments"])
            #expect(yes.stderrText == "")
            #expect(yes.stdoutText == "yes\n")
            #expect(yes.status == 0)
            let review = server.requests.first { $0.path == "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews" }
            #expect(review?.contentType == "application/vnd.kubernetes.protobuf")

            server.setPolicy(configuration.policy)
            let ci = try Kubectl(server, user: "ci")
            let no = try ci.run(["auth", "can-i", "patch", "deployments"])
            #expect(no.stdoutText == "no\n")
            #expect(no.status == 1)
            let get = try ci.run(["auth", "can-i", "get", "deployments.apps"])
            #expect(get.stdoutText == "yes\n")
        }
    }

    /// kubectl's generators send protobuf.
    @Test(.enabled(if: Command.which("kubectl") != nil))
    func createGeneratorsSendProtobufThatIsRead() async throws {
        try await withServer(KubectlMatrixTests.tls()) { server, _ in
            let kubectl = try Kubectl(server)
            let namespace = try kubectl.run(["create", "namespace", "team-a"])
            #expect(namespace.stderrText == "")
            #expect(namespace.stdoutText == "namespace/team-a created\n")
            let configMap = try kubectl.run(["create", "configmap", "settings", "-n", "team-a", "--from-literal=mode=fast"])
            #expect(configMap.stderrText == "")
            #expect(configMap.stdoutText == "configmap/settings created\n")
            let secret = try kubectl.run(["create", "secret", "generic", "token", "-n", "team-a", "--from-literal=value=s3cr3t"])
            #expect(secret.stdoutText == "secret/token created\n")
            #expect(server.requests.filter { $0.method == "POST" }.allSatisfy { $0.contentType == "application/vnd.kubernetes.protobuf" })
            #expect(server.object(.configMaps, namespace: "team-a", name: "settings")?["data"] == ["mode": "fast"])
            let stored = server.object(.secrets, namespace: "team-a", name: "token")
            #expect(stored?["data"] == ["value": .string(Data("s3cr3t".utf8).base64EncodedString())])
            #expect(stored?["type"] == "Opaque")
            let manager = stored?.value(at: ["metadata", "managedFields"])?.array?.first?["manager"]
            #expect(manager == "kubectl-create")
        }
    }

    @Test(.enabled(if: Command.which("kubectl") != nil))
    func leasesAreCreatedReadAndDeleted() async throws {
        try await withServer(KubectlMatrixTests.tls()) { server, _ in
            let kubectl = try Kubectl(server)
            let manifest = try kubectl.file("lease.yaml", KubectlMatrixTests.lease)
            let created = try kubectl.run(["create", "-f", manifest])
            #expect(created.stderrText == "")
            #expect(created.stdoutText == "lease.coordination.k8s.io/lock created\n")
            let holder = try kubectl.run(["get", "lease", "lock", "-o", "jsonpath={.spec.holderIdentity}"])
            #expect(holder.stdoutText == "deploy-1")
            let deleted = try kubectl.run(["delete", "lease", "lock"])
            #expect(deleted.stdoutText == "lease.coordination.k8s.io \"lock\" deleted\n")
            #expect(server.object(.leases, namespace: "default", name: "lock") == nil)
        }
    }
}
