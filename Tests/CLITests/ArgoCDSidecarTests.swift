import Foundation
import KubeTestServer
import Testing
import TestSupport
import Yams

/// integrations/argocd/repo-server-sidecar.yaml patched into Argo CD's repo server, and the
/// plugin's ConfigMap, as the sidecar file's comment installs them.
@Suite struct ArgoCDSidecarTests {
    let scratch: URL

    init() throws { scratch = try Integrations.scratch() }

    @Test(.enabled(if: Command.which("kubectl") != nil))
    func theSidecarPatchesArgoCDsRepoServerIntoADeploymentTheAPIServerAccepts() async throws {
        defer { try? FileManager.default.removeItem(at: scratch) }
        let kubectl = Command.which("kubectl")!
        let repoServer = scratch.appendingPathComponent("argocd-repo-server.yaml")
        // The parts of Argo CD's own argocd-repo-server Deployment the sidecar relies on: the
        // var-files volume the copyutil init container fills with argocd-cmp-server, and plugins.
        try """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: argocd-repo-server
            spec:
              selector:
                matchLabels: {app.kubernetes.io/name: argocd-repo-server}
              template:
                metadata:
                  labels: {app.kubernetes.io/name: argocd-repo-server}
                spec:
                  initContainers:
                    - name: copyutil
                      image: quay.io/argoproj/argocd:v2.13.0
                      command: [/bin/cp, -n, /usr/local/bin/argocd, /var/run/argocd/argocd-cmp-server]
                      volumeMounts:
                        - {name: var-files, mountPath: /var/run/argocd}
                  containers:
                    - name: argocd-repo-server
                      image: quay.io/argoproj/argocd:v2.13.0
                      volumeMounts:
                        - {name: var-files, mountPath: /var/run/argocd}
                        - {name: plugins, mountPath: /home/argocd/cmp-server/plugins}
                        - {name: tmp, mountPath: /tmp}
                  volumes:
                    - {name: var-files, emptyDir: {}}
                    - {name: plugins, emptyDir: {}}
                    - {name: tmp, emptyDir: {}}

            """.write(to: repoServer, atomically: true, encoding: .utf8)
        let server = try await KubeTestServer.start(KubeTestServer.Configuration(namespaces: ["argocd"]))
        let kubeconfig = try Integrations.writeKubeconfig(server, namespace: "argocd", in: scratch)
        let sidecar = Integrations.projectRoot.appendingPathComponent("integrations/argocd/repo-server-sidecar.yaml").path
        let patched = try Command.run(kubectl, ["patch", "--local", "-f", repoServer.path, "--type", "strategic",
                                                "--patch-file", sidecar, "-o", "yaml", "--kubeconfig", kubeconfig],
                                      in: scratch.path, environment: GitFixture.environment)
        #expect(patched.status == 0, "\(patched.stderrText)")
        let deployment = try Yams.load(yaml: patched.stdoutText) as? [String: Any]
        let pod = Integrations.value(deployment, ["spec", "template", "spec"]) as? [String: Any]
        let containers = pod?["containers"] as? [[String: Any]] ?? []
        #expect(containers.compactMap { $0["name"] as? String }.sorted() == ["argocd-repo-server", "pipedreamer"])
        let plugin = containers.first { $0["name"] as? String == "pipedreamer" }
        #expect(plugin?["command"] as? [String] == ["/var/run/argocd/argocd-cmp-server"])
        #expect(Integrations.value(plugin, ["securityContext", "runAsUser"]) as? Int == 999)
        #expect(Integrations.value(plugin, ["securityContext", "runAsNonRoot"]) as? Bool == true)
        let mounts = (plugin?["volumeMounts"] as? [[String: Any]] ?? []).map {
            "\($0["name"] as? String ?? "") \($0["mountPath"] as? String ?? "") \($0["subPath"] as? String ?? "")"
        }
        #expect(mounts == ["var-files /var/run/argocd ", "plugins /home/argocd/cmp-server/plugins ",
                           "pipedreamer-plugin /home/argocd/cmp-server/config/plugin.yaml plugin.yaml",
                           "pipedreamer-tmp /tmp "])
        // Its /tmp is its own, not the repo server's.
        #expect(!mounts.contains("tmp /tmp "))

        // The ConfigMap exactly as the sidecar file's comment creates it, then both applied.
        let configMap = try Command.run(kubectl, ["create", "configmap", "pipedreamer-plugin",
                                                  "--from-file=plugin.yaml=" + Integrations.projectRoot.appendingPathComponent("integrations/argocd/plugin.yaml").path,
                                                  "--dry-run=client", "-o", "yaml", "--kubeconfig", kubeconfig],
                                        in: scratch.path, environment: GitFixture.environment)
        #expect(configMap.status == 0, "\(configMap.stderrText)")
        for manifest in [configMap.stdout, patched.stdout] {
            let applied = try Command.run(kubectl, ["apply", "--server-side", "--kubeconfig", kubeconfig, "-f", "-"],
                                          in: scratch.path, environment: GitFixture.environment, input: manifest)
            #expect(applied.status == 0, "\(applied.stderrText)")
        }
        let stored = server.object(.configMaps, namespace: "argocd", name: "pipedreamer-plugin")
        #expect(stored?.value(at: ["data", "plugin.yaml"])?.string == (try Integrations.text("integrations/argocd/plugin.yaml")))
        #expect(server.object(.deployments, namespace: "argocd", name: "argocd-repo-server")?
            .value(at: ["spec", "template", "spec", "containers"])?.array?.count == 2)
        try await server.shutdown()
    }
}
