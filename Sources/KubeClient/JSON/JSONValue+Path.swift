extension JSONValue {
    /// The value at a path of object keys, or nil when any step is missing or not an object.
    public subscript(path keys: String...) -> JSONValue? {
        self[keys]
    }

    public subscript(_ keys: [String]) -> JSONValue? {
        var current: JSONValue? = self
        for key in keys {
            guard case .object(let members)? = current else { return nil }
            current = members[key]
        }
        return current
    }

    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    public var intValue: Int? {
        switch self {
        case .int(let value): return value
        case .double(let value) where value == value.rounded(): return Int(value)
        default: return nil
        }
    }

    public var arrayValue: [JSONValue]? {
        if case .array(let value) = self { return value }
        return nil
    }

    /// A copy with `value` at `keys`, creating objects on the way (a non-object on the way is replaced).
    public func setting(_ keys: [String], _ value: JSONValue) -> JSONValue {
        guard let first = keys.first else { return value }
        var members: [String: JSONValue] = [:]
        if case .object(let existing) = self { members = existing }
        members[first] = (members[first] ?? .object([:])).setting(Array(keys.dropFirst()), value)
        return .object(members)
    }

    /// A copy without the value at `keys`; objects left empty by the removal are removed too.
    public func removing(_ keys: [String]) -> JSONValue {
        guard let first = keys.first, case .object(var members) = self, let child = members[first] else { return self }
        if keys.count == 1 {
            members.removeValue(forKey: first)
        } else {
            let updated = child.removing(Array(keys.dropFirst()))
            if case .object(let rest) = updated, rest.isEmpty { members.removeValue(forKey: first) } else { members[first] = updated }
        }
        return .object(members)
    }
}
