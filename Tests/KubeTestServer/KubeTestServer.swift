/// A local Kubernetes API server for tests; its implementation follows.
public enum KubeTestServerInfo {
    public static let name = "kube-test-server"
}
