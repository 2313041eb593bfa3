/// The non-resource endpoints: health, version and legacy (non-aggregated) discovery, enough for kubectl.
enum Discovery {
    static func respond(_ request: APIRequest, core: ServerCore) -> APIResponse? {
        guard request.method == "GET" else { return nil }
        let path = request.path.count > 1 && request.path.hasSuffix("/") ? String(request.path.dropLast()) : request.path
        switch path {
        case "/healthz", "/livez", "/readyz": return APIResponse(status: 200, text: "ok")
        case "/version": return APIResponse(status: 200, json: version(core.configuration.gitVersion))
        case "/api":
            return APIResponse(status: 200, json: ["kind": "APIVersions", "versions": ["v1"],
                                                   "serverAddressByClientCIDRs": [["clientCIDR": "0.0.0.0/0", "serverAddress": .string(request.header("Host") ?? "127.0.0.1")]]])
        case "/apis":
            return APIResponse(status: 200, json: ["kind": "APIGroupList", "apiVersion": "v1",
                                                   "groups": .array(Resource.groupVersions.map { group($0.group, $0.version) })])
        case "/api/v1": return APIResponse(status: 200, json: resourceList(group: "", version: "v1"))
        default:
            if let document = OpenAPI.respond(request, path: path, core: core) { return document }
            let segments = path.split(separator: "/").map(String.init)
            guard segments.first == "apis" else { return nil }
            if segments.count == 2, let match = Resource.groupVersions.first(where: { $0.group == segments[1] }) {
                var body = group(match.group, match.version)
                body["kind"] = "APIGroup"
                body["apiVersion"] = "v1"
                return APIResponse(status: 200, json: body)
            }
            if segments.count == 3, Resource.groupVersions.contains(where: { $0 == (segments[1], segments[2]) }) {
                return APIResponse(status: 200, json: resourceList(group: segments[1], version: segments[2]))
            }
            return nil
        }
    }

    static func version(_ gitVersion: String) -> JSON {
        let parts = gitVersion.dropFirst().split(separator: ".").map(String.init)
        return ["major": .string(parts.first ?? "1"), "minor": .string(parts.count > 1 ? parts[1] : "0"),
                "gitVersion": .string(gitVersion), "gitCommit": "0000000000000000000000000000000000000000",
                "gitTreeState": "clean", "buildDate": "2024-12-11T00:00:00Z", "goVersion": "go1.23.3",
                "compiler": "gc", "platform": "linux/amd64"]
    }

    private static func group(_ name: String, _ version: String) -> JSON {
        let groupVersion: JSON = ["groupVersion": .string("\(name)/\(version)"), "version": .string(version)]
        return ["name": .string(name), "versions": [groupVersion], "preferredVersion": groupVersion]
    }

    private static func resourceList(group: String, version: String) -> JSON {
        var resources: [JSON] = []
        for resource in Resource.all where resource.group == group && resource.version == version {
            var entry: JSON = ["name": .string(resource.plural), "singularName": .string(resource.singular),
                               "namespaced": .bool(resource.namespaced), "kind": .string(resource.kind),
                               "verbs": .array(resource.verbs.map(JSON.string))]
            if !resource.shortNames.isEmpty { entry["shortNames"] = .array(resource.shortNames.map(JSON.string)) }
            resources.append(entry)
            if resource == .deployments {
                resources.append(["name": "deployments/status", "singularName": "", "namespaced": true, "kind": "Deployment", "verbs": ["get"]])
                // The scale subresource names its own group and version, which the scale client resolves.
                resources.append(["name": "deployments/scale", "singularName": "", "namespaced": true, "group": "autoscaling",
                                  "version": "v1", "kind": "Scale", "verbs": ["get", "patch", "update"]])
            }
        }
        return ["kind": "APIResourceList", "apiVersion": "v1", "groupVersion": .string(group.isEmpty ? version : "\(group)/\(version)"),
                "resources": .array(resources)]
    }
}
