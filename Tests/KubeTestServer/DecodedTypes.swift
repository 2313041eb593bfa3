/// The string-valued maps whose Go types refuse other JSON values, named as encoding/json names a mismatch
/// (`UnmarshalTypeError.Error` in sigs.k8s.io/json's internal/golang/encoding/json/decode.go, which the
/// apiserver's JSON serializer decodes with): `json: cannot unmarshal number into Go struct field
/// ConfigMap.data of type string`.
enum DecodedTypes {
    /// One map field: where it is, the innermost Go struct that declares it, and its value's Go type.
    struct Field {
        let path: [String]
        let goStruct: String
        let valueType: String
    }

    static func fields(_ resource: Resource) -> [Field] {
        let meta = [Field(path: ["metadata", "labels"], goStruct: "ObjectMeta", valueType: "string"),
                    Field(path: ["metadata", "annotations"], goStruct: "ObjectMeta", valueType: "string")]
        switch resource {
        case .configMaps:
            return meta + [Field(path: ["data"], goStruct: "ConfigMap", valueType: "string"),
                           Field(path: ["binaryData"], goStruct: "ConfigMap", valueType: "[]uint8")]
        case .secrets:
            return meta + [Field(path: ["data"], goStruct: "Secret", valueType: "[]uint8"),
                           Field(path: ["stringData"], goStruct: "Secret", valueType: "string")]
        default:
            return meta
        }
    }

    /// The decoder's message for the first value of the wrong JSON type, nil when all fit; null is accepted,
    /// as encoding/json leaves the Go value as it is.
    static func mismatch(in object: JSON, as resource: Resource) -> String? {
        for field in fields(resource) {
            guard let value = object.value(at: field.path) else { continue }
            let name = field.goStruct + "." + field.path.joined(separator: ".")
            switch value {
            case .null: continue
            case .object(let entries):
                for key in entries.keys.sorted() {
                    let entry = entries[key] ?? .null
                    if case .string = entry { continue }
                    if case .null = entry { continue }
                    return "json: cannot unmarshal \(kind(of: entry)) into Go struct field \(name) of type \(field.valueType)"
                }
            default:
                return "json: cannot unmarshal \(kind(of: value)) into Go struct field \(name) of type map[string]\(field.valueType)"
            }
        }
        return nil
    }

    /// A null entry of a string map decodes to the empty string (encoding/json stores the zero value under the key).
    static func emptyingNulls(_ object: JSON, as resource: Resource) -> JSON {
        var object = object
        for field in fields(resource) where field.valueType == "string" {
            guard let entries = object.value(at: field.path)?.object, entries.values.contains(.null) else { continue }
            object.set(field.path, .object(entries.mapValues { $0 == .null ? "" : $0 }))
        }
        return object
    }

    /// encoding/json's names for a JSON value (`UnmarshalTypeError.Value`).
    static func kind(of value: JSON) -> String {
        switch value {
        case .null: "null"
        case .bool: "bool"
        case .int, .double: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }
}
