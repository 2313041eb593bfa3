import GitFiles

/// The rules that decide what a workflow ships, shared by the hooks and by render/deploy.
public enum BundleRules {
    /// 900 × 1024: room under the API server's 1 MiB object limit for metadata and encoding.
    public static let defaultMaxBytes = 921_600
    /// The Kubernetes hard limit on a ConfigMap's data; no configured limit may exceed it.
    public static let kubernetesMaxBytes = 1_048_576
    /// git's diff looks at this many leading bytes for a NUL to call a file binary.
    public static let binarySniffBytes = 8_000
    public static let bundledExtensions: Set<String> = ["ts", "json", "yaml", "yml"]
    public static let specFileName = "workflow.yaml"
    static let lfsPointerPrefix = Array("version https://git-lfs.github.com/spec/v1".utf8)
    /// git-lfs pointer files are small; larger files are never pointers.
    static let lfsPointerMaxBytes = 1_024

    /// True for workflow.yaml and everything under nodes/: what ships, or sits where code ships from,
    /// must be text. Other files in the workflow directory are not shipped and not refused.
    public static func mustBeText(_ relativePath: String) -> Bool {
        relativePath == specFileName || relativePath.hasPrefix("nodes/")
    }

    /// True when a path relative to the workflow directory is part of the bundle.
    public static func isBundled(_ relativePath: String) -> Bool {
        if relativePath == specFileName { return true }
        let components = relativePath.split(separator: "/", omittingEmptySubsequences: false)
        guard components.count >= 2, components[0] == "nodes",
              !components.contains(where: { $0.hasPrefix(".") }),
              let dot = components.last!.lastIndex(of: ".")
        else { return false }
        return bundledExtensions.contains(String(components.last![components.last!.index(after: dot)...]))
    }

    /// Why a path relative to the workflow directory is not bundled, for messages.
    public static func exclusionReason(_ relativePath: String) -> String {
        let components = relativePath.split(separator: "/")
        if components.contains(where: { $0.hasPrefix(".") }) {
            return "hidden files and directories (starting with '.') are never bundled"
        }
        if components.first != "nodes" || components.count < 2 { return "only files under nodes/ are bundled" }
        if !isBundled(relativePath) { return "only .ts, .json, .yaml and .yml files are bundled" }
        return "the code bundle leaves it out"
    }

    /// True for files that hold secrets and must never be committed in a workflow directory.
    public static func isSecretFile(_ relativePath: String) -> Bool {
        let components = relativePath.split(separator: "/")
        if components.dropLast().contains(".secrets") { return true }
        guard let name = components.last else { return false }
        return name == ".secrets.yaml" || name.hasPrefix(".env") || name == ".secrets"
    }

    /// "900KB" for the default; other limits in KB when whole, else in bytes.
    public static func describeLimit(_ bytes: Int) -> String {
        bytes % 1024 == 0 ? "\(bytes / 1024)KB" : "\(bytes) bytes"
    }
}
