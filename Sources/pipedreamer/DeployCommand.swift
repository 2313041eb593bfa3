import ArgumentParser
import Deploy
import Foundation
import GitShim
import KubeClient

enum DryRunMode: String, ExpressibleByArgument, CaseIterable {
    case client, server
}

struct DeployCommand: AsyncParsableCommand, JSONOutputCommand {
    static let configuration = CommandConfiguration(
        commandName: "deploy",
        abstract: "Deploy a workflow exactly as it stands in a commit.",
        discussion: """
        Order: resolve the revision, check the bundle and workflow.yaml, render, preflight (API \
        reachable, namespace exists, permission for every verb used, runtime class exists), apply \
        the code ConfigMap (and the Secret from the working copy's .secrets/ or .secrets.yaml), the \
        Deployment, the Service and the CronJobs with server-side apply, prune CronJobs the spec \
        no longer has, stamp the commit's SHA into the pod template's \
        kubectl.kubernetes.io/restartedAt (only when it changed), then wait for the rollout. \
        The stamped SHA is the last commit, as of the deployed commit, that changed what the workflow \
        ships (workflow.yaml, the bundled files under nodes/, .pipedreamer/base-image.txt), so a commit \
        that changes only a README or nodes/NOTES.md restarts nothing; the Deployment records the \
        deployed commit in pipedreamer.dev/commit. \
        Deploying the commit that is already deployed changes nothing and restarts nothing.

        Before the first write, every object is checked by the server (a server-side dry run); a \
        refusal writes nothing. One deploy of a workflow runs at a time: each holds the Lease \
        NAME-deploy in the namespace, and a second waits for it (--lock-timeout). An object of the \
        same name without this workflow's labels is refused unless --adopt; fields other managers \
        own are refused unless --force-conflicts; replicas set by kubectl scale or an HPA are kept.
        """
    )

    @OptionGroup var target: TargetOptions
    @OptionGroup var cluster: ClusterOptions

    @Option(name: .customLong("dry-run"),
            help: ArgumentHelp("client: print what would be applied and send nothing; server: send every write with dryRun=All. (default: off)",
                               valueName: "mode"))
    var dryRun: DryRunMode?

    @Flag(name: .customLong("no-wait"), help: "Do not wait for the rollout to finish. (default: wait)")
    var noWait = false

    @Option(help: ArgumentHelp("How long to wait for the rollout, e.g. 90s, 5m; 0 waits without limit.", valueName: "duration"))
    var timeout: String = "5m"

    @Option(name: .customLong("lock-timeout"),
            help: ArgumentHelp("How long to wait while another deploy of the workflow holds its lease; 0 fails at once while that deploy renews it (a lease left by a deploy that died is still taken over, after half its duration).", valueName: "duration"))
    var lockTimeout: String = "2m"

    @Flag(help: "Take over objects of the workflow's names that exist without its labels. (default: refuse them)")
    var adopt = false

    @Flag(name: .customLong("force-conflicts"),
          help: "Take fields that other field managers own, as kubectl apply --server-side --force-conflicts. (default: refuse)")
    var forceConflicts = false

    @Flag(name: .customLong("prune-secret"),
          help: "Delete the workflow's Secret when the working copy has no .secrets.yaml or .secrets/. (default: keep it)")
    var pruneSecret = false

    @Option(name: [.short, .customLong("output")], help: ArgumentHelp("Output format: text (progress lines) or json (a summary object, also when the deploy fails: then with error, and the rollout's state when the wait timed out; progress goes to standard error). With --dry-run=client: the objects as YAML, or as a JSON List with json.", valueName: "format"))
    var output: TextOrJSON = .text

    var writesJSON: Bool { output == .json }

    func validate() throws {
        _ = try parsedTimeout()
        _ = try parsedLockTimeout()
        if let requestTimeout = cluster.requestTimeout {
            do {
                _ = try KubeRequestTimeout.parse(requestTimeout)
            } catch {
                throw ValidationError("--request-timeout: '\(requestTimeout)' is not a duration; write it like 30s, 2m or 0 for none")
            }
        }
    }

    func run() async throws {
        try await run(imageHistoryRevision: nil)
    }

    /// The deploy; `imageHistoryRevision` is the revision of the history whose recorded image `--image`
    /// carries (a rollback), so the output names that revision as the image's source.
    func run(imageHistoryRevision: Int?) async throws {
        let waitLimit = try parsedTimeout()
        // Everything local first: a bundle over the limit fails before any request is sent.
        let connection = try cluster.connection()
        let prepared = try mapErrors {
            try target.prepareDeploy(contextNamespace: connection.namespace, imageHistoryRevision: imageHistoryRevision)
        }
        let rendered = prepared.rendered
        let tags = prepared.tags
        // Progress goes to standard error whenever standard output carries data: a JSON summary,
        // or the objects of a client-side dry run (so it can be piped into kubectl).
        let toStandardError = output == .json || dryRun == .client
        let say: @Sendable (String) -> Void = { line in
            if toStandardError { printError(line) } else { print(line) }
        }
        say("deploying workflow \(rendered.spec.name) at \(rendered.commit.oid.hex)\(tags.isEmpty ? "" : " (\(tags.joined(separator: ", ")))") to namespace \(rendered.namespace) on \(URLCredentials.redacted(connection.server))")
        say(rendered.image.describe(commitLabel: "commit \(rendered.commit.oid.short)"))
        if let note = rendered.codeCommit.shallowNote(directory: rendered.directory) { say(note) }
        if let secrets = prepared.secrets {
            say("secret \(Manifests.secretName(rendered.spec.name)): \(secrets.data.count) key\(secrets.data.count == 1 ? "" : "s") from \(secrets.origin) (values not shown)")
        }

        if dryRun == .client {
            // What would be applied; the Secret's values are never printed.
            let text = output == .json ? try ManifestWriter.json(rendered.objects) : try ManifestWriter.yaml(rendered.objects)
            if output == .json { StandardOutput.write(json: text) } else { print(text, terminator: "") }
            return
        }
        do {
            try await deploy(prepared, connection: connection, waitLimit: waitLimit, say: say)
        } catch {
            if output == .json {
                // Standard output stays one document: what is known of the deploy, and why it failed.
                var fields = summaryFields(rendered, tags: tags, dryRun: dryRun == .server)
                if let incomplete = error as? RolloutIncomplete {
                    if let result = incomplete.result { fields.merge(resultFields(result)) { $1 } }
                    fields["rollout"] = .object(["state": .string(incomplete.reason.rawValue), "message": .string(incomplete.message)])
                }
                try StandardOutput.write(StandardOutput.failure(plainDescription(of: plainError(error)), fields))
            }
            throw error
        }
    }

    func deploy(_ prepared: WorkflowDeploy.Prepared, connection: ClusterConnection, waitLimit: Duration?,
                say: @escaping @Sendable (String) -> Void) async throws {
        let rendered = prepared.rendered
        let tags = prepared.tags

        var settings = DeploySettings()
        settings.serverDryRun = dryRun == .server
        settings.wait = !noWait
        settings.timeout = waitLimit
        settings.lockTimeout = try parsedLockTimeout()
        settings.adopt = adopt
        settings.forceConflicts = forceConflicts
        settings.pruneSecret = pruneSecret
        LeaseSignals.install()
        settings.keepCodeVersions = target.keep
        settings.actor = DeployActor.current
        // Errors keep their type here (a rollout that did not finish is reported with its objects); they are put in words when printed.
        let result = try await withClient(cluster, connection) { client in
            try await WorkflowDeploy.run(prepared, api: client, settings: settings, say: say,
                                         warn: { printError("Warning: \($0)") })
        }
        let summary = "deployed \(rendered.spec.name) at \(rendered.commit.oid.hex)\(tags.isEmpty ? "" : " (\(tags.joined(separator: ", ")))") to namespace \(rendered.namespace)"
            + (settings.serverDryRun ? " (server dry run, nothing persisted)" : result.changed ? "" : "; it was already deployed, nothing changed")
        if output == .json {
            try StandardOutput.write(.object(summaryFields(rendered, tags: tags, dryRun: settings.serverDryRun)
                .merging(resultFields(result)) { $1 }))
        } else {
            print(summary)
        }
    }

    /// `--timeout`; nil (from `0`) waits without limit, as `kubectl rollout status --timeout=0`.
    func parsedTimeout() throws -> Duration? {
        do {
            return try KubeRequestTimeout.parse(timeout)
        } catch is KubeConfigError {
            throw ValidationError("--timeout: '\(timeout)' is not a duration; write it like 90s, 5m, 1h or 0 to wait without limit")
        }
    }

    func parsedLockTimeout() throws -> Duration {
        do {
            guard let duration = try KubeRequestTimeout.parse(lockTimeout) else { return .zero }
            return duration
        } catch is KubeConfigError {
            throw ValidationError("--lock-timeout: '\(lockTimeout)' is not a duration; write it like 30s, 2m or 0 to fail at once")
        }
    }

    /// What the summary says of the deploy before it runs.
    func summaryFields(_ rendered: Rendered, tags: [String], dryRun: Bool) -> [String: JSONValue] {
        [
            "workflow": .string(rendered.spec.name),
            "namespace": .string(rendered.namespace),
            "commit": .string(rendered.commit.oid.hex),
            "codeCommit": .string(rendered.codeCommit.oid.hex),
            "tags": .array(tags.map(JSONValue.string)),
            "image": .string(rendered.image.image),
            "imageSource": rendered.image.source.json,
            "dryRun": .bool(dryRun),
            "restarted": .bool(false),
            "objects": .array([]),
            "rollout": .null,
        ]
    }

    /// What the deploy wrote and how the rollout ended.
    func resultFields(_ result: DeployResult) -> [String: JSONValue] {
        var rollout: JSONValue = .null
        switch result.rollout {
        case .complete(let message)?: rollout = .object(["state": .string("complete"), "message": .string(message)])
        case .waiting(let message)?: rollout = .object(["state": .string("waiting"), "message": .string(message)])
        case .failed(let message)?: rollout = .object(["state": .string("failed"), "message": .string(message)])
        case nil: rollout = .null
        }
        return [
            "restarted": .bool(result.restarted),
            "objects": .array(result.objects.map { .object(["object": .string($0.reference), "result": .string($0.outcome.rawValue)]) }),
            "rollout": rollout,
        ]
    }
}
