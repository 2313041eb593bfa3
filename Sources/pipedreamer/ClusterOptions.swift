import ArgumentParser
import Deploy
import KubeClient

/// How to reach the cluster: shared by deploy, status, diff and delete.
struct ClusterOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Path to the kubeconfig file. (default: $KUBECONFIG, else ~/.kube/config, else the in-cluster service account)",
                               valueName: "file"))
    var kubeconfig: String?

    @Option(help: ArgumentHelp("The kubeconfig context to use. (default: the current context)", valueName: "name"))
    var context: String?

    @Option(name: .customLong("request-timeout"),
            help: ArgumentHelp("Time limit for each API request and for each run of an exec credential plugin, e.g. 30s, 2m; 0 means none. (default: 30s)",
                               valueName: "duration"))
    var requestTimeout: String?

    @Option(name: .customLong("as"),
            help: ArgumentHelp("User to impersonate for every request, as kubectl --as. (default: the user entry's as:, else none)",
                               valueName: "user"))
    var asUser: String?

    @Option(name: .customLong("as-group"),
            help: ArgumentHelp("Group to impersonate; repeat for several. Needs --as or as: in the user entry. (default: the user entry's as-groups)",
                               valueName: "group"))
    var asGroups: [String] = []

    @Option(name: .customLong("as-uid"),
            help: ArgumentHelp("UID to impersonate. Needs --as or as: in the user entry. (default: the user entry's as-uid)",
                               valueName: "uid"))
    var asUID: String?

    /// The cluster, context and credentials the kubeconfig selects; reads files only, sends nothing.
    func connection() throws -> ClusterConnection {
        try mapErrors {
            try KubeConfigLoader.load(KubeConfigOptions(
                kubeconfig: kubeconfig, context: context,
                impersonation: KubeImpersonationFlags(user: asUser, groups: asGroups, uid: asUID)))
        }
    }

    /// A client for `connection`; it makes no request until used. Warnings go to standard error.
    func client(for connection: ClusterConnection) throws -> KubernetesClient {
        try mapErrors {
            let timeout = try requestTimeout.map(KubeRequestTimeout.parse) ?? KubeRequestTimeout.standard
            return try KubernetesClient(connection: connection, options: KubeClientOptions(
                requestTimeout: timeout, version: Pipedreamer.configuration.version,
                warningHandler: { printError("Warning: \($0)") }, execTimeout: timeout,
                retryHandler: { printError($0.description) }))
        }
    }
}

/// Runs `body` with a client and always shuts the client down.
func withClient<T>(_ options: ClusterOptions, _ connection: ClusterConnection,
                   _ body: (KubernetesClient) async throws -> T) async throws -> T {
    let client = try options.client(for: connection)
    do {
        let result = try await body(client)
        try? await client.shutdown()
        return result
    } catch {
        try? await client.shutdown()
        throw error
    }
}
