import Foundation

/// The shape a GET or LIST answers in, chosen from `Accept` the way apiserver negotiates it
/// (staging/src/k8s.io/apiserver/pkg/endpoints/handlers/negotiation/negotiate.go) and transformed as
/// staging/src/k8s.io/apiserver/pkg/endpoints/handlers/response.go does for `as=PartialObjectMetadata[List]`.
enum MetadataView: Equatable, Sendable {
    case object
    /// `PartialObjectMetadata` in this `meta.k8s.io` version.
    case partial(String)
    case partialList(String)

    /// The media types the resource endpoints encode (`MediaTypesForSerializer` of the codec factory).
    static let mediaTypes = ["application/json", "application/yaml", "application/vnd.kubernetes.protobuf"]

    /// The first acceptable clause of `Accept`, or 406 when none is. Clauses asking for a transformation this
    /// server does not make (`as=Table`) are passed over, as are media types no serializer has.
    static func negotiate(_ request: APIRequest) throws -> MetadataView {
        guard let accept = request.header("Accept"), !accept.trimmingCharacters(in: .whitespaces).isEmpty else { return .object }
        for clause in accept.split(separator: ",") {
            let parts = clause.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            let type = parts.first?.lowercased() ?? ""
            var parameters: [String: String] = [:]
            for part in parts.dropFirst() {
                let pair = part.split(separator: "=", maxSplits: 1).map { String($0).trimmingCharacters(in: .whitespaces) }
                if pair.count == 2 { parameters[pair[0].lowercased()] = pair[1] }
            }
            if parameters["q"] == "0" { continue }
            guard ["*/*", "application/*"].contains(type) || mediaTypes.contains(type) else { continue }
            guard let kind = parameters["as"] else { return .object }
            guard parameters["g"] == "meta.k8s.io", let version = parameters["v"], ["v1", "v1beta1"].contains(version) else { continue }
            switch kind {
            case "PartialObjectMetadata": return .partial("meta.k8s.io/" + version)
            case "PartialObjectMetadataList": return .partialList("meta.k8s.io/" + version)
            default: continue
            }
        }
        throw StatusError(code: 406, reason: "NotAcceptable",
                          message: "only the following media types are accepted: " + mediaTypes.joined(separator: ", "))
    }

    /// `%T` of the registry's internal object: `*core.ConfigMap`, `*apps.DeploymentList`.
    static func goType(_ resource: Resource, list: Bool) -> String {
        let package = resource.group.isEmpty ? "core" : String(resource.group.split(separator: ".").first ?? "")
        return "*\(package).\(resource.kind)\(list ? "List" : "")"
    }

    static func partial(_ object: JSON, _ apiVersion: String) -> JSON {
        ["kind": "PartialObjectMetadata", "apiVersion": .string(apiVersion), "metadata": object["metadata"] ?? .object([:])]
    }

    /// `asPartialObjectMetadata` / `asPartialObjectMetadataList`: only metadata is kept; asking for the
    /// other shape than the endpoint returns is 406.
    func render(_ response: APIResponse, resource: Resource, list: Bool) throws -> APIResponse {
        guard self != .object, response.status == 200, let document = try? JSON.parse(response.body) else { return response }
        switch (self, list) {
        case (.partial(let apiVersion), false):
            return APIResponse(status: 200, json: MetadataView.partial(document, apiVersion))
        case (.partialList(let apiVersion), true):
            let items = (document["items"]?.array ?? []).map { MetadataView.partial($0, apiVersion) }
            return APIResponse(status: 200, json: ["kind": "PartialObjectMetadataList", "apiVersion": .string(apiVersion),
                                                   "metadata": document["metadata"] ?? .object([:]), "items": .array(items)])
        case (.partial, true):
            throw StatusError(code: 406, reason: "NotAcceptable",
                              message: "you requested PartialObjectMetadata, but the requested object is a list (\(MetadataView.goType(resource, list: true)))")
        default:
            throw StatusError(code: 406, reason: "NotAcceptable",
                              message: "you requested PartialObjectMetadataList, but the requested object is not a list (\(MetadataView.goType(resource, list: false)))")
        }
    }
}
