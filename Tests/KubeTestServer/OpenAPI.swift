import Crypto
import Foundation

/// `/openapi/v3` and its per-group-version documents, served as kube-openapi's handler3 serves them
/// (k8s.io/kube-openapi/pkg/handler3/handler.go): a discovery document naming each group version's URL with
/// `?hash=` (the upper-case hex SHA-512 of the document), and the documents as JSON with that hash as ETag.
///
/// A document lists the paths and operations this server really serves, with the vendor extensions clients
/// read (`x-kubernetes-action`, `x-kubernetes-group-version-kind`) and the query parameters it honours. kubectl's
/// validation reads exactly this: `queryParamVerifierV3` (staging/src/k8s.io/cli-runtime/pkg/resource/
/// query_param_verifier_v3.go) looks for a PATCH operation of the object's kind with a `fieldValidation`
/// parameter and, finding one, leaves validation to the server. Kind schemas are not published: request and
/// response media types carry no schema, and `components` holds only `meta.v1.Patch`, so kubectl's client-side
/// apply finds no kind schema and computes its strategic merge patch from its built-in types, and `kubectl
/// explain` has nothing to show.
enum OpenAPI {
    static let patchSchema = "io.k8s.apimachinery.pkg.apis.meta.v1.Patch"

    static func respond(_ request: APIRequest, path: String, core: ServerCore) -> APIResponse? {
        guard path == "/openapi/v3" || path.hasPrefix("/openapi/v3/") else { return nil }
        if path == "/openapi/v3" {
            var paths: [String: JSON] = [:]
            for (name, document) in documents(core.configuration.gitVersion) {
                paths[name] = ["serverRelativeURL": .string("/openapi/v3/\(name)?hash=\(hash(document))")]
            }
            return cached(request, body: (["paths": .object(paths)] as JSON).serialized(), contentType: "application/json")
        }
        let name = String(path.dropFirst("/openapi/v3/".count))
        guard let document = documents(core.configuration.gitVersion)[name] else { return APIResponse(error: .pathNotFound) }
        // HandleGroupVersion: only JSON is produced here (the real server also writes the protobuf form).
        let accept = request.header("Accept").flatMap { $0.isEmpty ? nil : $0 } ?? "*/*"
        let acceptable = accept.split(separator: ",").contains { clause in
            let type = clause.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
            return ["application/json", "application/*", "*/*"].contains(type)
        }
        guard acceptable else { return APIResponse(status: 406, body: Data(), contentType: nil) }
        let etag = hash(document)
        if let requested = request.parameter("hash"), !requested.isEmpty, requested != etag {
            var moved = APIResponse(status: 301, body: Data(), contentType: nil)
            moved.headers.append(("Location", "/openapi/v3/\(name)?hash=\(etag)"))
            return moved
        }
        var response = cached(request, body: document, contentType: "application/json")
        response.headers.append(("Vary", "Accept"))
        if request.parameter("hash") != nil {
            response.headers.append(("Cache-Control", "public, immutable"))
            let expires = Calendar(identifier: .gregorian).date(byAdding: .year, value: 1, to: Date()) ?? Date()
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "UTC")
            formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'UTC'"
            response.headers.append(("Expires", formatter.string(from: expires)))
        }
        return response
    }

    /// `http.ServeContent` with the ETag set: a matching `If-None-Match` gets 304.
    private static func cached(_ request: APIRequest, body: Data, contentType: String) -> APIResponse {
        let etag = "\"" + hash(body) + "\""
        if let match = request.header("If-None-Match"), match.split(separator: ",").contains(where: { $0.trimmingCharacters(in: .whitespaces) == etag }) {
            var response = APIResponse(status: 304, body: Data(), contentType: nil)
            response.headers.append(("Etag", etag))
            return response
        }
        var response = APIResponse(status: 200, body: body, contentType: contentType)
        response.headers.append(("Etag", etag))
        return response
    }

    static func hash(_ data: Data) -> String {
        SHA512.hash(data: data).map { String(format: "%02X", $0) }.joined()
    }

    /// Each served group version's document by its discovery name (`api/v1`, `apis/apps/v1`).
    static func documents(_ gitVersion: String) -> [String: Data] {
        var result: [String: Data] = [:]
        for (group, version) in [("", "v1")] + Resource.groupVersions {
            let name = group.isEmpty ? "api/\(version)" : "apis/\(group)/\(version)"
            result[name] = document(group: group, version: version, gitVersion: gitVersion).serialized()
        }
        return result
    }

    static func document(group: String, version: String, gitVersion: String) -> JSON {
        var paths: [String: JSON] = [:]
        for resource in Resource.all where resource.group == group && resource.version == version {
            for (path, item) in pathItems(resource) { paths[path] = item }
        }
        return ["openapi": "3.0.0", "info": ["title": "Kubernetes", "version": .string(gitVersion)],
                "paths": .object(paths),
                "components": ["schemas": .object([
                    patchSchema: ["description": "Patch is provided to give a concrete name and type to the Kubernetes PATCH request body.",
                                  "type": "object"]])]]
    }

    // MARK: Paths and operations

    /// `CoreV1`, `AppsV1`, `CoordinationV1`: the group part of an operation id (kube-openapi's
    /// `friendlyName` of the group's first label).
    static func groupVersionID(_ resource: Resource) -> String {
        let label = resource.group.isEmpty ? "core" : String(resource.group.split(separator: ".").first ?? "")
        return label.prefix(1).uppercased() + label.dropFirst() + resource.version.prefix(1).uppercased() + resource.version.dropFirst()
    }

    static func tag(_ resource: Resource) -> String {
        let label = resource.group.isEmpty ? "core" : String(resource.group.split(separator: ".").first ?? "")
        return "\(label)_\(resource.version)"
    }

    static func pathItems(_ resource: Resource) -> [(String, JSON)] {
        let prefix = resource.group.isEmpty ? "/api/\(resource.version)" : "/apis/\(resource.group)/\(resource.version)"
        let collection = resource.namespaced ? "\(prefix)/namespaces/{namespace}/\(resource.plural)" : "\(prefix)/\(resource.plural)"
        let scope = resource.namespaced ? "Namespaced" : ""
        let kind = resource.kind
        let gvk: JSON = ["group": .string(resource.group), "version": .string(resource.version), "kind": .string(kind)]
        let verbs = Set(resource.verbs)
        var items: [(String, JSON)] = []

        var collectionItem: JSON = ["parameters": .array((resource.namespaced ? [namespaceParameter] : []) + [prettyParameter])]
        if verbs.contains("list") {
            collectionItem["get"] = operation("list\(groupVersionID(resource))\(scope)\(kind)", action: "list", resource, gvk: gvk,
                                              parameters: listParameters, responses: ["200": response()])
        }
        if verbs.contains("create") {
            collectionItem["post"] = operation("create\(groupVersionID(resource))\(scope)\(kind)", action: "post", resource, gvk: gvk,
                                               parameters: writeParameters, body: bodyTypes(resource),
                                               responses: ["200": response(), "201": response(), "202": response()])
        }
        items.append((collection, collectionItem))

        if resource.namespaced && verbs.contains("list") {
            items.append(("\(prefix)/\(resource.plural)", [
                "parameters": [prettyParameter],
                "get": operation("list\(groupVersionID(resource))\(kind)ForAllNamespaces", action: "list", resource, gvk: gvk,
                                 parameters: listParameters, responses: ["200": response()]),
            ]))
        }

        let objectVerbs = verbs.intersection(["get", "update", "patch", "delete"])
        if !objectVerbs.isEmpty {
            var item: JSON = ["parameters": .array([nameParameter(kind)] + (resource.namespaced ? [namespaceParameter] : []) + [prettyParameter])]
            let id = "\(groupVersionID(resource))\(scope)\(kind)"
            if verbs.contains("get") {
                item["get"] = operation("read" + id, action: "get", resource, gvk: gvk, parameters: [], responses: ["200": response()])
            }
            if verbs.contains("update") {
                item["put"] = operation("replace" + id, action: "put", resource, gvk: gvk, parameters: writeParameters,
                                        body: bodyTypes(resource), responses: ["200": response(), "201": response()])
            }
            if verbs.contains("patch") {
                item["patch"] = operation("patch" + id, action: "patch", resource, gvk: gvk, parameters: patchParameters,
                                          body: patchTypes, responses: ["200": response(), "201": response()])
            }
            if verbs.contains("delete") {
                item["delete"] = operation("delete" + id, action: "delete", resource, gvk: gvk, parameters: deleteParameters,
                                           body: ["application/json": .object([:])], responses: ["200": response(), "202": response()])
            }
            items.append(("\(collection)/{name}", item))
        }

        if resource == .deployments {
            // deployments/status is read-only here; deployments/scale is an autoscaling/v1 Scale.
            let id = "\(groupVersionID(resource))\(scope)\(kind)"
            items.append(("\(collection)/{name}/status", [
                "parameters": [nameParameter(kind), namespaceParameter, prettyParameter],
                "get": operation("read\(id)Status", action: "get", resource, gvk: gvk, parameters: [], responses: ["200": response()]),
            ]))
            let scale: JSON = ["group": "autoscaling", "version": "v1", "kind": "Scale"]
            items.append(("\(collection)/{name}/scale", [
                "parameters": [nameParameter("Scale"), namespaceParameter, prettyParameter],
                "get": operation("read\(id)Scale", action: "get", resource, gvk: scale, parameters: [], responses: ["200": response()]),
                "put": operation("replace\(id)Scale", action: "put", resource, gvk: scale, parameters: writeParameters,
                                 body: ["application/json": .object([:]), RequestBody.yamlType: .object([:])],
                                 responses: ["200": response(), "201": response()]),
                "patch": operation("patch\(id)Scale", action: "patch", resource, gvk: scale, parameters: patchParameters,
                                   body: patchTypes, responses: ["200": response(), "201": response()]),
            ]))
        }
        return items
    }

    private static func operation(_ id: String, action: String, _ resource: Resource, gvk: JSON, parameters: [JSON],
                                  body: [String: JSON]? = nil, responses: [String: JSON]) -> JSON {
        var operation: JSON = ["operationId": .string(id), "tags": [.string(tag(resource))],
                               "parameters": .array(parameters), "responses": .object(responses),
                               "x-kubernetes-action": .string(action), "x-kubernetes-group-version-kind": gvk]
        if let body { operation["requestBody"] = ["content": .object(body), "required": true] }
        return operation
    }

    /// Responses are JSON only: this server writes no YAML or protobuf.
    private static func response() -> JSON {
        ["description": "OK", "content": ["application/json": .object([:])]]
    }

    /// What a create or update body may be (see `RequestBody`): protobuf only for the messages decoded.
    private static func bodyTypes(_ resource: Resource) -> [String: JSON] {
        var types: [String: JSON] = ["application/json": .object([:]), RequestBody.yamlType: .object([:])]
        if Protobuf.decodes(resource) { types[Protobuf.contentType] = .object([:]) }
        return types
    }

    private static var patchTypes: [String: JSON] {
        var types: [String: JSON] = [:]
        for type in ServerCore.patchTypes { types[type] = ["schema": ["$ref": .string("#/components/schemas/\(patchSchema)")]] }
        return types
    }

    // MARK: Parameters

    private static func query(_ name: String, _ description: String, _ type: String) -> JSON {
        ["name": .string(name), "in": "query", "description": .string(description), "schema": ["type": .string(type), "uniqueItems": true]]
    }

    private static func nameParameter(_ kind: String) -> JSON {
        ["name": "name", "in": "path", "description": .string("name of the \(kind)"), "required": true,
         "schema": ["type": "string", "uniqueItems": true]]
    }

    private static let namespaceParameter: JSON = [
        "name": "namespace", "in": "path", "description": "object name and auth scope, such as for teams and projects",
        "required": true, "schema": ["type": "string", "uniqueItems": true]]

    private static let prettyParameter = query("pretty", "If 'true', then the output is pretty printed.", "string")

    private static let dryRun = query("dryRun", "When present, indicates that modifications should not be persisted. The only valid value is: All", "string")
    private static let fieldManager = query("fieldManager", "fieldManager is a name associated with the actor or entity that is making these changes.", "string")
    private static let fieldValidation = query("fieldValidation", "fieldValidation instructs the server on how to handle objects in the request containing unknown or duplicate fields. Valid values are: Ignore, Warn, Strict.", "string")

    private static let writeParameters = [dryRun, fieldManager, fieldValidation]
    private static let patchParameters = [dryRun, fieldManager, fieldValidation,
                                          query("force", "Force is going to \"force\" Apply requests. It must be unset for non-apply patch requests.", "boolean")]
    private static let deleteParameters = [dryRun, query("propagationPolicy", "Whether and how garbage collection will be performed.", "string")]
    private static let listParameters = [
        query("fieldSelector", "A selector to restrict the list of returned objects by their fields. Defaults to everything.", "string"),
        query("labelSelector", "A selector to restrict the list of returned objects by their labels. Defaults to everything.", "string"),
        query("resourceVersion", "resourceVersion sets a constraint on what resource versions a request may be served from.", "string"),
        query("timeoutSeconds", "Timeout for the list/watch call.", "integer"),
        query("watch", "Watch for changes to the described resources and return them as a stream of add, update, and remove notifications.", "boolean"),
    ]
}
