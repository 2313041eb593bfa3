import KubeClient
/// Encodes an `Encodable` value straight into a `JSONValue`, without a round trip through JSON text.
/// Objects become `.object`, arrays `.array`; nil optionals are left out as `JSONEncoder` leaves them.
struct JSONValueEncoder {
    static func encode(_ value: some Encodable) throws -> JSONValue {
        let root = Box()
        try value.encode(to: NodeEncoder(box: root, codingPath: []))
        return root.value ?? .object([:])
    }

    /// A mutable slot that containers fill in, resolved into a value when encoding ends.
    final class Box {
        enum Content {
            case value(JSONValue)
            case object([String: Box])
            case array([Box])
        }

        var content: Content?

        var value: JSONValue? {
            switch content {
            case .value(let value): return value
            case .object(let members): return .object(members.compactMapValues(\.value))
            case .array(let items): return .array(items.map { $0.value ?? .null })
            case nil: return nil
            }
        }

        func object() -> [String: Box] {
            if case .object(let members) = content { return members }
            content = .object([:])
            return [:]
        }

        func child(forKey key: String) -> Box {
            var members = object()
            if let existing = members[key] { return existing }
            let box = Box()
            members[key] = box
            content = .object(members)
            return box
        }

        func appendChild() -> Box {
            var items: [Box] = []
            if case .array(let existing) = content { items = existing }
            let box = Box()
            items.append(box)
            content = .array(items)
            return box
        }

        var count: Int {
            if case .array(let items) = content { return items.count }
            return 0
        }
    }

    struct NodeEncoder: Encoder {
        let box: Box
        let codingPath: [any CodingKey]
        var userInfo: [CodingUserInfoKey: Any] { [:] }

        func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
            _ = box.object()
            return KeyedEncodingContainer(Keyed<Key>(box: box, codingPath: codingPath))
        }

        func unkeyedContainer() -> any UnkeyedEncodingContainer {
            if box.content == nil { box.content = .array([]) }
            return Unkeyed(box: box, codingPath: codingPath)
        }

        func singleValueContainer() -> any SingleValueEncodingContainer {
            Single(box: box, codingPath: codingPath)
        }
    }

    struct Keyed<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let box: Box
        let codingPath: [any CodingKey]

        mutating func encodeNil(forKey key: Key) throws { box.child(forKey: key.stringValue).content = .value(.null) }
        // Primitives get their own overloads: the generic path would cast dynamically for each.
        mutating func encode(_ value: String, forKey key: Key) throws { box.child(forKey: key.stringValue).content = .value(.string(value)) }
        mutating func encode(_ value: Bool, forKey key: Key) throws { box.child(forKey: key.stringValue).content = .value(.bool(value)) }
        mutating func encode(_ value: Int, forKey key: Key) throws { box.child(forKey: key.stringValue).content = .value(.int(value)) }
        mutating func encode(_ value: Double, forKey key: Key) throws { box.child(forKey: key.stringValue).content = .value(.double(value)) }
        mutating func encode(_ value: some Encodable, forKey key: Key) throws {
            try encodeValue(value, into: box.child(forKey: key.stringValue), codingPath: codingPath + [key])
        }
        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
            NodeEncoder(box: box.child(forKey: key.stringValue), codingPath: codingPath + [key]).container(keyedBy: keyType)
        }
        mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
            NodeEncoder(box: box.child(forKey: key.stringValue), codingPath: codingPath + [key]).unkeyedContainer()
        }
        mutating func superEncoder() -> any Encoder { NodeEncoder(box: box.child(forKey: "super"), codingPath: codingPath) }
        mutating func superEncoder(forKey key: Key) -> any Encoder {
            NodeEncoder(box: box.child(forKey: key.stringValue), codingPath: codingPath + [key])
        }
    }

    struct Unkeyed: UnkeyedEncodingContainer {
        let box: Box
        let codingPath: [any CodingKey]
        var count: Int { box.count }

        mutating func encodeNil() throws { box.appendChild().content = .value(.null) }
        mutating func encode(_ value: String) throws { box.appendChild().content = .value(.string(value)) }
        mutating func encode(_ value: Bool) throws { box.appendChild().content = .value(.bool(value)) }
        mutating func encode(_ value: Int) throws { box.appendChild().content = .value(.int(value)) }
        mutating func encode(_ value: Double) throws { box.appendChild().content = .value(.double(value)) }
        mutating func encode(_ value: some Encodable) throws {
            try encodeValue(value, into: box.appendChild(), codingPath: codingPath)
        }
        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
            NodeEncoder(box: box.appendChild(), codingPath: codingPath).container(keyedBy: keyType)
        }
        mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
            NodeEncoder(box: box.appendChild(), codingPath: codingPath).unkeyedContainer()
        }
        mutating func superEncoder() -> any Encoder { NodeEncoder(box: box.appendChild(), codingPath: codingPath) }
    }

    struct Single: SingleValueEncodingContainer {
        let box: Box
        let codingPath: [any CodingKey]

        mutating func encodeNil() throws { box.content = .value(.null) }
        mutating func encode(_ value: Bool) throws { box.content = .value(.bool(value)) }
        mutating func encode(_ value: String) throws { box.content = .value(.string(value)) }
        mutating func encode(_ value: Double) throws { box.content = .value(.double(value)) }
        mutating func encode(_ value: Int) throws { box.content = .value(.int(value)) }
        mutating func encode(_ value: some Encodable) throws { try encodeValue(value, into: box, codingPath: codingPath) }
    }

    /// Primitives map directly; anything else encodes itself into the box.
    static func encodeValue(_ value: some Encodable, into box: Box, codingPath: [any CodingKey]) throws {
        switch value {
        case let string as String: box.content = .value(.string(string))
        case let bool as Bool: box.content = .value(.bool(bool))
        case let int as Int: box.content = .value(.int(int))
        case let int as Int32: box.content = .value(.int(Int(int)))
        case let int as Int64: box.content = .value(.int(Int(int)))
        case let double as Double: box.content = .value(.double(double))
        case let json as JSONValue: box.content = .value(json)
        default: try value.encode(to: NodeEncoder(box: box, codingPath: codingPath))
        }
    }
}
