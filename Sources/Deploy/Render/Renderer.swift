import GitShim
import WorkflowBundle

/// What `render` (and later `deploy`) is asked to produce.
public struct RenderOptions: Sendable {
    public var revision = "HEAD"
    /// The workflow directory, repository-relative; nil picks the only one or the one containing `currentDirectory`.
    public var workflow: String?
    /// The current directory relative to the working tree's top, when inside it.
    public var currentDirectory: String?
    public var namespace: String?
    /// The kubeconfig context's namespace: used after `-n` and `deployment.namespace`, before `default`.
    /// `render` leaves it nil: it never reads the kubeconfig.
    public var contextNamespace: String?
    public var image: String?
    /// The revision of the history that recorded `image`, when a rollback deploys it again.
    public var imageHistoryRevision: Int?
    /// RuntimeClass for the pods; empty disables it.
    public var runtimeClass = "gvisor"
    public var limit = BundleRules.defaultMaxBytes
    /// Unknown keys in workflow.yaml are errors, not warnings (`--strict`, git config pipedreamer.strict).
    public var strict = false
    /// When neither `-n` nor `deployment.namespace` names a namespace, print objects without one,
    /// so `kubectl apply` places them where deploy would (`render`; deploy always knows its namespace).
    public var omitsUnsetNamespace = false
    public var codeConfigMap: CodeConfigMapMode = .shared
    /// Per-commit code versions kept for rollback besides the live one (`--keep`): the ConfigMaps
    /// the clean-up keeps and, in per-commit mode, the Deployment's `revisionHistoryLimit`.
    public var codeVersionsKept = RenderOptions.defaultCodeVersionsKept
    public static let defaultCodeVersionsKept = 5
    /// What asked for `codeConfigMap` (`--code-configmap`, git config); nil when it is the default,
    /// so deploy keeps the mode the live Deployment mounts instead.
    public var codeConfigMapSource: String?

    public init() {}
}

/// The objects for one workflow at one commit, and how they were chosen.
public struct Rendered: Sendable {
    public let commit: Commit
    /// The last commit that changed what the workflow at `directory` ships, as of `commit`: the restart stamp.
    public let codeCommit: CodeCommit
    public let directory: String
    public let spec: WorkflowSpec
    public let bundle: CodeBundle
    public let image: ResolvedImage
    /// The namespace deploy works in (`default` when nothing names one); the objects carry it unless
    /// `omitsUnsetNamespace` left it out.
    public let namespace: String
    /// Unknown keys in workflow.yaml (empty when strict: they are errors then).
    public let warnings: [SpecError]
    /// Things the user should know that change nothing (an uncommitted base-image.txt).
    public let notes: [String]
    /// The RuntimeClass of the pods, nil when disabled.
    public let runtimeClass: String?
    public let objects: [KubeObject]

    /// Names of the CronJobs this commit wants; the workflow's other CronJobs are pruned.
    public var cronJobNames: Set<String> {
        Set(objects.compactMap { object -> String? in
            if case .cronJob = object { return object.metadata.name } else { return nil }
        })
    }
}

/// Builds the Kubernetes objects for a commit, reading everything from the commit's tree.
public enum Renderer {
    public static func render(repository: Repository, options: RenderOptions) throws -> Rendered {
        let commit = try repository.resolveCommit(options.revision)
        let snapshot = try CommitSnapshot(repository: repository, commit: commit)
        let all = try WorkflowLocator.discover(in: snapshot)
        let directory = try WorkflowLocator.select(in: snapshot, requested: options.workflow,
                                                   currentDirectory: options.currentDirectory)
        let check = try WorkflowCheck.run(snapshot: snapshot, directory: directory, all: all, limit: options.limit,
                                          strict: options.strict)
        guard check.isValid, let spec = check.spec else {
            throw WorkflowRejected(check: check, label: snapshot.label)
        }
        let image = try ImageResolver.resolve(flag: options.image, historyRevision: options.imageHistoryRevision, snapshot: snapshot, workflowDirectory: directory,
                                              workingDirectory: repository.workingDirectory)
        let namespace = KubeNamespace.resolve(flag: options.namespace, workflow: spec.namespace,
                                              contextNamespace: options.contextNamespace)
        let source = options.namespace != nil ? "-n" : spec.namespace != nil ? "deployment.namespace" : "the kubeconfig context"
        try KubernetesNames.requireLabel(namespace, what: "namespace", source: source)
        let runtimeClass = options.runtimeClass.isEmpty ? nil : options.runtimeClass
        if let runtimeClass { try KubernetesNames.requireSubdomain(runtimeClass, what: "runtime class", source: "--runtime-class") }
        let cronTriggers = spec.triggers.filter { $0.kind == .cron }
        let cronJobs = zip(cronTriggers, spec.cronJobNames).map { trigger, name in
            CronJobInput(name: name, triggerName: trigger.name, schedule: trigger.schedule ?? "")
        }
        let code = try CodeCommit.find(repository: repository, commit: commit, directory: directory)
        let named = options.namespace != nil || spec.namespace != nil || options.contextNamespace != nil
        var input = ManifestInput(name: spec.name, namespace: named || !options.omitsUnsetNamespace ? namespace : nil,
                                  image: image.image, runtimeClassName: runtimeClass, commit: commit.oid.hex,
                                  codeCommit: code.oid.hex, files: check.bundle.files, cronJobs: cronJobs, secretData: nil)
        input.codeConfigMap = options.codeConfigMap
        input.codeVersionsKept = options.codeVersionsKept
        return Rendered(commit: commit, codeCommit: code, directory: directory, spec: spec, bundle: check.bundle, image: image,
                        namespace: namespace, warnings: check.warnings, notes: image.note.map { [$0] } ?? [],
                        runtimeClass: runtimeClass, objects: Manifests.build(input))
    }
}

/// Kubernetes name rules, checked before anything is built.
public enum KubernetesNames {
    /// DNS-1123 label: lowercase alphanumerics and '-', starting and ending alphanumeric, at most 63.
    public static func isLabel(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard (1...63).contains(bytes.count), isAlnum(bytes.first!), isAlnum(bytes.last!) else { return false }
        return bytes.allSatisfy { isAlnum($0) || $0 == UInt8(ascii: "-") }
    }

    /// DNS-1123 subdomain: dot-separated labels, at most 253.
    public static func isSubdomain(_ name: String) -> Bool {
        name.utf8.count <= 253 && name.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { isLabel(String($0)) }
    }

    static func requireLabel(_ name: String, what: String, source: String) throws {
        guard isLabel(name) else {
            throw DeployError("\(what) '\(name)' from \(source) is not a valid Kubernetes name: use lowercase letters, digits and '-', start and end with a letter or digit, at most 63 characters")
        }
    }

    static func requireSubdomain(_ name: String, what: String, source: String) throws {
        guard isSubdomain(name) else {
            throw DeployError("\(what) '\(name)' from \(source) is not a valid Kubernetes name: use lowercase letters, digits, '-' and '.', at most 253 characters (an empty value disables it)")
        }
    }

    private static func isAlnum(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }
}
