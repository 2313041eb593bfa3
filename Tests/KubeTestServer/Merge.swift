/// The ways a body is merged into a stored object: apply, strategic merge patch, JSON merge patch.
enum Merge {
    /// Server-side apply's merge: maps recursively, keyed lists item by item, everything else replaced.
    static func applyMerge(_ live: JSON, _ applied: JSON, field: String = "") -> JSON {
        if FieldPath.atomicMaps.contains(field) { return applied }
        switch (live, applied) {
        case (.object(var fields), .object(let patch)):
            for (key, value) in patch {
                fields[key] = fields[key].map { applyMerge($0, value, field: key) } ?? value
            }
            return .object(fields)
        case (.array(let items), .array(let patchItems)):
            guard let keys = FieldPath.listKeys(field: field, items: items + patchItems) else { return applied }
            var result = items
            for item in patchItems {
                let key = FieldPath.key(of: item, keys: keys)
                if let index = result.firstIndex(where: { FieldPath.key(of: $0, keys: keys) == key }) {
                    result[index] = applyMerge(result[index], item)
                } else {
                    result.append(item)
                }
            }
            return .array(result)
        default:
            return applied
        }
    }

    /// RFC 7386: null deletes, objects merge, everything else replaces.
    static func mergePatch(_ target: JSON, _ patch: JSON) -> JSON {
        guard case .object(let patchFields) = patch else { return patch }
        var fields = target.object ?? [:]
        for (key, value) in patchFields {
            if value == .null { fields[key] = nil } else { fields[key] = mergePatch(fields[key] ?? .null, value) }
        }
        return .object(fields)
    }

    /// The strategic merge patch keys (`x-kubernetes-patch-merge-key`) of the lists that merge.
    static func patchMergeKey(field: String, items: [JSON]) -> String? {
        switch field {
        case "containers", "initContainers", "ephemeralContainers", "volumes", "env", "imagePullSecrets": return "name"
        case "volumeMounts": return "mountPath"
        case "conditions": return "type"
        case "ports": return items.contains { $0["containerPort"] != nil } ? "containerPort" : "port"
        default: return nil
        }
    }

    /// Strategic merge patch: like a merge patch, but lists with a merge key merge item by item and
    /// `$patch: delete|replace` directives apply; `$setElementOrder` and `$retainKeys` are accepted.
    static func strategicMerge(_ target: JSON, _ patch: JSON, field: String = "") -> JSON {
        switch patch {
        case .object(var patchFields):
            if patchFields["$patch"]?.string == "replace" {
                patchFields["$patch"] = nil
                return .object(patchFields)
            }
            if patchFields["$patch"]?.string == "delete" { return .null }
            var fields = target.object ?? [:]
            let retain = patchFields["$retainKeys"]?.array?.compactMap(\.string)
            for (key, value) in patchFields {
                if key.hasPrefix("$setElementOrder/") || key == "$retainKeys" || key == "$patch" { continue }
                if key.hasPrefix("$deleteFromPrimitiveList/") {
                    let list = String(key.dropFirst("$deleteFromPrimitiveList/".count))
                    let drop = value.array ?? []
                    fields[list] = fields[list]?.array.map { .array($0.filter { !drop.contains($0) }) }
                    continue
                }
                if value == .null { fields[key] = nil; continue }
                let merged = strategicMerge(fields[key] ?? .null, value, field: key)
                fields[key] = merged == .null ? nil : merged
            }
            if let retain { fields = fields.filter { retain.contains($0.key) } }
            return .object(fields)
        case .array(let patchItems):
            let items = target.array ?? []
            guard let mergeKey = patchMergeKey(field: field, items: items + patchItems) else { return patch }
            if patchItems.contains(where: { $0["$patch"]?.string == "replace" }) {
                return .array(patchItems.filter { $0["$patch"] == nil })
            }
            var result = items
            for item in patchItems {
                let index = result.firstIndex { $0[mergeKey] == item[mergeKey] }
                if item["$patch"]?.string == "delete" {
                    if let index { result.remove(at: index) }
                } else if let index {
                    result[index] = strategicMerge(result[index], item)
                } else {
                    result.append(strategicMerge(.object([:]), item))
                }
            }
            return .array(result)
        default:
            return patch
        }
    }
}
