import Foundation
import TestSupport

/// An Application whose source is a plugin, and the settings of the Argo CD that serves it.
struct ArgoCDApplication {
    var name: String
    var namespace = "team-a"
    var path: String
    var targetRevision = "main"
    /// `spec.source.plugin`: nil for an Application that leaves the plugin to discovery.
    var plugin: Plugin? = Plugin()
    /// The `argocd.argoproj.io/manifest-generate-paths` annotation.
    var manifestGeneratePaths: String?

    struct Plugin {
        var name: String? = "pipedreamer-v1"
        /// Name and string value of each parameter, in the Application's order.
        var parameters: [(String, String)] = []
    }
}

struct ArgoCDSettings {
    enum Version { case v2, v3 }
    var version = Version.v3
    /// `reposerver.plugin.tar.exclusions`.
    var tarExclusions: [String] = []
    /// `reposerver.plugin.use.manifest.generate.paths`.
    var useManifestGeneratePaths = false
}

/// Argo CD's cmp server running integrations/argocd/plugin.yaml (argo-cd cmpserver/plugin/plugin.go).
struct ArgoCDCMPServer {
    let plugin: [String: Any]
    let scratch: URL
    let settings: ArgoCDSettings

    init(settings: ArgoCDSettings = ArgoCDSettings(), scratch: URL) throws {
        plugin = try Integrations.mapping("integrations/argocd/plugin.yaml")
        self.scratch = scratch
        self.settings = settings
    }

    /// What one manifest generation did: the match requests, which plugin commands ran, their result.
    struct Generation {
        var matchRequests = 0
        var matched = false
        var ran: [String] = []
        var result: Command.Result?
        var stdout: String { result?.stdoutText ?? "" }
        var stderr: String { result?.stderrText ?? "" }
    }

    /// One manifest generation of `app` from the repo server's checkout at `revision`, request by
    /// request as reposerver/repository/repository.go and util/app/discovery/discovery.go make them:
    /// an Application without a plugin name is matched twice (`AppType`, then
    /// `DetectConfigManagementPlugin`), a named one once (discovery is configured); each request
    /// tars the checkout anew into a fresh directory, the match requests the whole repository, the
    /// GenerateManifest request the application root path, where init and then generate run.
    /// `steps` other than init then generate show what generate alone would do.
    func generate(_ app: ArgoCDApplication, from repo: URL, revision: String, inclusions: [String]? = nil,
                  steps: [String] = ["init", "generate"]) throws -> Generation {
        var generation = Generation()
        let env = environment(app, revision: revision)
        for _ in 0..<(app.plugin?.name == nil ? 2 : 1) {
            generation.matchRequests += 1
            generation.matched = try request(sending: repo, appPath: app.path, inclusions: inclusions) { appDirectory in
                try discover(in: appDirectory)
            }
            if !generation.matched { return generation }
        }
        let rootPath = settings.useManifestGeneratePaths
            ? ArgoCDRepoServer.applicationRootPath(appPath: app.path, annotation: app.manifestGeneratePaths) : ""
        let sent = rootPath.isEmpty ? repo : repo.appendingPathComponent(rootPath)
        let appRelPath = rootPath.isEmpty ? app.path : String(app.path.dropFirst(rootPath.count).drop { $0 == "/" })
        try request(sending: sent, appPath: appRelPath.isEmpty ? "." : appRelPath, inclusions: inclusions) { appDirectory in
            for step in steps {
                generation.ran.append(step)
                let result = try run(try argv(["spec", step]), in: appDirectory, entries: env)
                generation.result = result
                if result.status != 0 { break }
            }
        }
        return generation
    }

    /// Tars `source`, unpacks it into a fresh work directory, runs `body` in the app's directory
    /// there, and removes the work directory (plugin.go `getTempDirMustCleanup`).
    @discardableResult
    private func request<T>(sending source: URL, appPath: String, inclusions: [String]?, _ body: (URL) throws -> T) throws -> T {
        let entries = try ArgoCDRepoServer.tar(source, inclusions: inclusions, exclusions: settings.tarExclusions)
        let workDirectory = scratch.appendingPathComponent("_cmp_server/\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: workDirectory, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(at: workDirectory) }
        try ArgoCDRepoServer.untar(entries, from: source, into: workDirectory)
        return try body(workDirectory.appendingPathComponent(appPath))
    }

    /// plugin.go `matchRepository` with `discover.fileName` set: `filepath.Glob` of the app path
    /// joined with the name, which for a name without `*?[\` is an `os.Lstat`.
    private func discover(in appDirectory: URL) throws -> Bool {
        guard let fileName = Integrations.value(plugin, ["spec", "discover", "fileName"]) as? String,
              !fileName.contains(where: { "*?[\\".contains($0) }) else {
            throw FixtureError("integrations/argocd/plugin.yaml: spec.discover.fileName must be a plain file name")
        }
        var info = stat()
        return lstat(appDirectory.appendingPathComponent(fileName).path, &info) == 0
    }

    /// The variables the repo server sends with every request: `newEnv` and `getPluginEnvs` in
    /// reposerver/repository/repository.go, then the parameters as
    /// pkg/apis/application/v1alpha1/types.go `ApplicationSourcePluginParameters.Environ` writes
    /// them (only for an Application with a plugin section).
    func environment(_ app: ArgoCDApplication, revision: String) -> [(String, String)] {
        var entries = [
            ("ARGOCD_APP_NAME", app.name),
            ("ARGOCD_APP_NAMESPACE", app.namespace),
            ("ARGOCD_APP_PROJECT_NAME", "default"),
            ("ARGOCD_APP_REVISION", revision),
            ("ARGOCD_APP_REVISION_SHORT", String(revision.prefix(7))),
            ("ARGOCD_APP_REVISION_SHORT_8", String(revision.prefix(8))),
            ("ARGOCD_APP_SOURCE_REPO_URL", "https://git.example.com/team/workflows.git"),
            ("ARGOCD_APP_SOURCE_PATH", app.path),
            ("ARGOCD_APP_SOURCE_TARGET_REVISION", app.targetRevision),
            ("KUBE_VERSION", "1.32"),
            ("KUBE_API_VERSIONS", "v1,apps/v1,batch/v1,coordination.k8s.io/v1"),
        ]
        guard let plugin = app.plugin else { return entries }
        // Go's json.Marshal of each parameter's map: compact, keys sorted (name, string); nil is null.
        entries.append(("ARGOCD_APP_PARAMETERS", plugin.parameters.isEmpty ? "null"
            : "[" + plugin.parameters.map { "{\"name\":\"\($0.0)\",\"string\":\"\($0.1)\"}" }.joined(separator: ",") + "]"))
        for (name, value) in plugin.parameters {
            let escaped = String(name.uppercased().map { ("A"..."Z").contains($0) || ("0"..."9").contains($0) ? $0 : "_" })
            entries.append(("PARAM_" + escaped, value))
        }
        return entries
    }

    /// `command` then `args` of a plugin command, as the cmp server puts them together.
    func argv(_ path: [String]) throws -> [String] {
        let command = Integrations.value(plugin, path) as? [String: Any]
        let argv = ((command?["command"] as? [String]) ?? []) + ((command?["args"] as? [String]) ?? [])
        guard let first = argv.first, !first.isEmpty else {
            throw FixtureError("integrations/argocd/plugin.yaml has no \(path.joined(separator: ".")).command")
        }
        return argv
    }

    /// plugin.go `runCommand`: argv[0] looked up on the sidecar's PATH, in `directory`, with the
    /// sidecar's environment plus `entries`; `environ` drops empty values in 2.x, keeps them in 3.x.
    func run(_ argv: [String], in directory: URL, entries: [(String, String)]) throws -> Command.Result {
        var environment = Integrations.cleanEnvironment(home: scratch)
        for (name, value) in entries where settings.version == .v3 || !value.isEmpty { environment[name] = value }
        let executable = argv[0].hasPrefix("/") ? argv[0]
            : environment["PATH"]!.split(separator: ":").map { "\($0)/\(argv[0])" }
                .first { FileManager.default.isExecutableFile(atPath: $0) } ?? argv[0]
        return try Command.run(executable, Array(argv.dropFirst()), in: directory.path, environment: environment)
    }
}
