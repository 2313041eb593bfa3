import Foundation

/// Request bodies in `application/vnd.kubernetes.protobuf`, read as apimachinery's protobuf serializer
/// (pkg/runtime/serializer/protobuf/protobuf.go) reads them: the magic `k8s\0`, then a `runtime.Unknown`
/// (pkg/runtime/generated.proto) carrying the TypeMeta and the object's own message in `raw`.
///
/// Only the messages in `shapes` are decoded: a SelfSubjectAccessReview (kubectl sends its access reviews as
/// protobuf) and the ConfigMaps, Secrets and Namespaces `kubectl create <kind>` sends. Other kinds are not
/// modelled here; see the README.
enum Protobuf {
    static let contentType = "application/vnd.kubernetes.protobuf"
    static let magic: [UInt8] = [0x6b, 0x38, 0x73, 0x00]

    /// The envelope: the TypeMeta it names and the raw message.
    struct Unknown {
        var apiVersion = ""
        var kind = ""
        var raw = Data()
    }

    struct DecodeError: Error, CustomStringConvertible {
        let description: String
    }

    /// `Serializer.Decode`: refuses data without the magic prefix, then unmarshals the Unknown.
    static func unknown(_ body: Data) throws -> Unknown {
        let bytes = [UInt8](body)
        guard bytes.count >= magic.count, Array(bytes.prefix(magic.count)) == magic else {
            throw DecodeError(description: "provided data does not appear to be a protobuf message, expected prefix [\(magic.map(String.init).joined(separator: " "))]")
        }
        var envelope = Unknown()
        for field in try fields(Array(bytes.dropFirst(magic.count))) {
            switch (field.number, field.value) {
            case (1, .bytes(let typeMeta)):
                for inner in try fields(typeMeta) {
                    if case .bytes(let text) = inner.value {
                        if inner.number == 1 { envelope.apiVersion = String(decoding: text, as: UTF8.self) }
                        if inner.number == 2 { envelope.kind = String(decoding: text, as: UTF8.self) }
                    }
                }
            case (2, .bytes(let raw)): envelope.raw = Data(raw)
            default: continue
            }
        }
        return envelope
    }

    /// How one message's fields map to JSON, by field number, following the kind's generated.proto.
    indirect enum Shape: Sendable {
        /// `string`; empty strings are left out, as their `omitempty` JSON tags do.
        case string
        /// `bytes`, written as base64 as JSON writes `[]byte`.
        case bytes
        /// A `*bool`: present means set.
        case bool
        /// `int64`/`int32`.
        case integer
        case message([UInt64: (String, Shape)])
        /// `map<string, V>`: repeated entries of key 1 and value 2.
        case map(Shape)
        case repeated(Shape)
    }

    /// staging/src/k8s.io/apimachinery/pkg/apis/meta/v1/generated.proto `ObjectMeta`: what a create or update
    /// carries (owner references, managed fields and timestamps are not read).
    static let objectMeta: Shape = .message([
        1: ("name", .string), 2: ("generateName", .string), 3: ("namespace", .string), 5: ("uid", .string),
        6: ("resourceVersion", .string), 11: ("labels", .map(.string)), 12: ("annotations", .map(.string)),
        14: ("finalizers", .repeated(.string)),
    ])

    /// The messages decoded, by kind (staging/src/k8s.io/api/{core,authorization}/v1/generated.proto).
    static let shapes: [String: Shape] = [
        "SelfSubjectAccessReview": .message([
            1: ("metadata", objectMeta),
            2: ("spec", .message([
                1: ("resourceAttributes", .message([1: ("namespace", .string), 2: ("verb", .string), 3: ("group", .string),
                                                    4: ("version", .string), 5: ("resource", .string),
                                                    6: ("subresource", .string), 7: ("name", .string)])),
                2: ("nonResourceAttributes", .message([1: ("path", .string), 2: ("verb", .string)])),
            ])),
        ]),
        "ConfigMap": .message([1: ("metadata", objectMeta), 2: ("data", .map(.string)), 3: ("binaryData", .map(.bytes)),
                               4: ("immutable", .bool)]),
        "Secret": .message([1: ("metadata", objectMeta), 2: ("data", .map(.bytes)), 3: ("type", .string),
                            4: ("stringData", .map(.string)), 5: ("immutable", .bool)]),
        "Namespace": .message([1: ("metadata", objectMeta), 2: ("spec", .message([1: ("finalizers", .repeated(.string))]))]),
    ]

    /// The kinds whose protobuf bodies are read.
    static func decodes(_ resource: Resource) -> Bool {
        [Resource.selfSubjectAccessReviews, .configMaps, .secrets, .namespaces].contains(resource)
    }

    /// The message `raw` of a kind as the JSON the server works on. A SelfSubjectAccessReview's alpha selector
    /// attributes (8, 9) are not read.
    static func object(_ raw: Data, as resource: Resource) throws -> JSON {
        guard let shape = shapes[resource.kind] else { return .object([:]) }
        return try decode([UInt8](raw), shape)
    }

    private static func decode(_ bytes: [UInt8], _ shape: Shape) throws -> JSON {
        guard case .message(let layout) = shape else { return .null }
        var object: [String: JSON] = [:]
        for field in try fields(bytes) {
            guard let (name, fieldShape) = layout[field.number] else { continue }
            switch fieldShape {
            case .map(let valueShape):
                guard case .bytes(let entry) = field.value else { continue }
                var key = ""
                var value: JSON = ""  // an absent value is the zero value
                for part in try fields(entry) {
                    if part.number == 1, case .bytes(let text) = part.value { key = String(decoding: text, as: UTF8.self) }
                    if part.number == 2 { value = try scalar(part.value, valueShape) }
                }
                var map = object[name]?.object ?? [:]
                map[key] = value
                object[name] = .object(map)
            case .repeated(let itemShape):
                object[name] = .array((object[name]?.array ?? []) + [try scalar(field.value, itemShape)])
            case .string:
                let value = try scalar(field.value, fieldShape)
                object[name] = value == "" ? nil : value
            default:
                object[name] = try scalar(field.value, fieldShape)
            }
        }
        return .object(object)
    }

    private static func scalar(_ value: Value, _ shape: Shape) throws -> JSON {
        switch (shape, value) {
        case (.string, .bytes(let text)): return .string(String(decoding: text, as: UTF8.self))
        case (.bytes, .bytes(let data)): return .string(Data(data).base64EncodedString())
        case (.bool, .varint(let number)): return .bool(number != 0)
        case (.integer, .varint(let number)): return .int(Int64(bitPattern: number))
        case (.message, .bytes(let inner)): return try decode(inner, shape)
        default: throw DecodeError(description: "proto: wrong wireType for field")
        }
    }

    enum Value {
        case varint(UInt64)
        case bytes([UInt8])
        case fixed
    }

    struct Field {
        let number: UInt64
        let value: Value
    }

    /// The protobuf wire format: tag varints, then a varint, 64-bit, length-delimited or 32-bit value.
    static func fields(_ bytes: [UInt8]) throws -> [Field] {
        var result: [Field] = []
        var index = 0
        func varint() throws -> UInt64 {
            var value: UInt64 = 0
            var shift: UInt64 = 0
            while true {
                guard index < bytes.count, shift < 64 else { throw DecodeError(description: "proto: unexpected EOF") }
                let byte = bytes[index]
                index += 1
                value |= UInt64(byte & 0x7f) << shift
                if byte & 0x80 == 0 { return value }
                shift += 7
            }
        }
        while index < bytes.count {
            let tag = try varint()
            let number = tag >> 3
            switch tag & 7 {
            case 0: result.append(Field(number: number, value: .varint(try varint())))
            case 1:
                guard index + 8 <= bytes.count else { throw DecodeError(description: "proto: unexpected EOF") }
                index += 8
                result.append(Field(number: number, value: .fixed))
            case 2:
                let length = try varint()
                guard length <= UInt64(bytes.count - index) else { throw DecodeError(description: "proto: unexpected EOF") }
                result.append(Field(number: number, value: .bytes(Array(bytes[index..<index + Int(length)]))))
                index += Int(length)
            case 5:
                guard index + 4 <= bytes.count else { throw DecodeError(description: "proto: unexpected EOF") }
                index += 4
                result.append(Field(number: number, value: .fixed))
            default:
                throw DecodeError(description: "proto: illegal wireType \(tag & 7)")
            }
        }
        return result
    }
}
