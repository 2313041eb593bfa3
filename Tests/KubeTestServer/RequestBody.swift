import Foundation

/// The body of a create or update in the media types a kube-apiserver v1.32 decodes for built-in kinds
/// (staging/src/k8s.io/apiserver/pkg/endpoints/handlers/create.go and update.go, through
/// `negotiation.NegotiateInputSerializer`): JSON, YAML and protobuf. CBOR is behind the alpha
/// `CBORServingAndStorage` gate, off by default, so it is refused like any other type.
enum RequestBody {
    static let yamlType = "application/yaml"
    static let mediaTypes = ["application/json", yamlType, Protobuf.contentType]

    /// 415 for a media type the real server has no serializer for.
    static func checkMediaType(_ request: APIRequest) throws {
        let type = request.contentType
        guard type.isEmpty || mediaTypes.contains(type) else {
            throw StatusError.unsupportedMediaType(type, supported: mediaTypes)
        }
    }

    /// The decoded object, with the type and identity checks of `Decoding.object`.
    static func object(_ request: APIRequest, as resource: Resource) throws -> JSON {
        try checkMediaType(request)
        switch request.contentType {
        case yamlType:
            // The YAML serializer (pkg/runtime/serializer/json with yaml: true) converts YAML to JSON first
            // (sigs.k8s.io/yaml YAMLToJSON), then decodes the JSON.
            if Decoding.hasYAMLForbiddenCharacter(request.body) {
                throw StatusError.badRequest("error converting YAML to JSON: yaml: control characters are not allowed")
            }
            let document: JSON
            do {
                document = try YAMLBody.parse(String(decoding: request.body, as: UTF8.self))
            } catch {
                throw unrecognized(resource, "error converting YAML to JSON: yaml: \(error)", request.body)
            }
            return try Decoding.object(document.serialized(), as: resource)
        case Protobuf.contentType:
            let envelope: Protobuf.Unknown
            do { envelope = try Protobuf.unknown(request.body) } catch {
                throw unrecognized(resource, "\(error)", request.body)
            }
            // Only the messages in `Protobuf.shapes` are modelled; any other protobuf body is answered as a path
            // this server does not serve (see the README), never with an answer the real server would not give.
            guard Protobuf.decodes(resource) else { throw StatusError.pathNotFound }
            var object: JSON
            do { object = try Protobuf.object(envelope.raw, as: resource) } catch {
                throw StatusError.badRequest("\(envelope.kind) in version \(FieldError.goQuote(version(envelope.apiVersion))) cannot be handled as a \(resource.kind): \(error)")
            }
            // The envelope's TypeMeta stands where a JSON body's apiVersion and kind would.
            if !envelope.apiVersion.isEmpty { object["apiVersion"] = .string(envelope.apiVersion) }
            if !envelope.kind.isEmpty { object["kind"] = .string(envelope.kind) }
            return try Decoding.object(object.serialized(), as: resource)
        default:
            return try Decoding.object(request.body, as: resource)
        }
    }

    private static func version(_ apiVersion: String) -> String {
        String(apiVersion.split(separator: "/").last ?? "")
    }

    /// `transformDecodeError` without a kind in the data (handlers/rest.go): the error and `summarizeData(body, 30)`.
    static func unrecognized(_ resource: Resource, _ problem: String, _ body: Data) -> StatusError {
        let bytes = [UInt8](body)
        let summary: String
        if bytes.isEmpty {
            summary = "<empty>"
        } else if bytes[0] == UInt8(ascii: "{") {
            summary = bytes.count > 30 ? String(decoding: bytes.prefix(30), as: UTF8.self) + " ..." : String(decoding: bytes, as: UTF8.self)
        } else {
            let hex = bytes.prefix(30).map { String(format: "%02x", $0) }.joined()
            summary = bytes.count > 30 ? hex + " ..." : hex
        }
        return StatusError.badRequest("the object provided is unrecognized (must be of type \(resource.kind)): \(problem) (\(summary))")
    }
}
