/// One file of a workflow's code bundle, as it goes into the code ConfigMap.
public struct BundledFile: Sendable, Equatable {
    /// Path relative to the workflow directory, '/'-separated (`nodes/fetch.ts`).
    public let path: String
    /// The ConfigMap key the path encodes to (see `ConfigMapKey`).
    public let key: String
    /// The file's exact content; bundled files are valid UTF-8.
    public let content: String

    public init(path: String, key: String, content: String) {
        self.path = path
        self.key = key
        self.content = content
    }
}
