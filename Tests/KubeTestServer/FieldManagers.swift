/// Who manages which fields of an object (`metadata.managedFields`), and how apply and update
/// move ownership, following structured-merge-diff's rules on a set of leaf paths.
struct FieldManager: Hashable, Sendable {
    let name: String
    /// `Apply` or `Update`.
    let operation: String
    let apiVersion: String
    /// `scale` or `status` when the write went through that subresource: a manager of its own.
    var subresource: String = ""

    /// `BuildManagerIdentifier` (staging/src/k8s.io/apimachinery/pkg/util/managedfields/internal/managedfields.go):
    /// the entry without time and fields, and without apiVersion for appliers, as JSON; conflicts sort by it.
    var identifier: String {
        var text = #"{"manager":"# + JSON.string(name).text() + #","operation":"# + JSON.string(operation).text()
        if operation != "Apply" { text += #","apiVersion":"# + JSON.string(apiVersion).text() }
        if !subresource.isEmpty { text += #","subresource":"# + JSON.string(subresource).text() }
        return text + "}"
    }

    /// `printManager` (managedfields/internal/conflict.go): appliers by name, updaters with their API version.
    var printed: String {
        var text = FieldError.goQuote(name)
        if !subresource.isEmpty { text += " with subresource \(FieldError.goQuote(subresource))" }
        return operation == "Update" ? "\(text) using \(apiVersion)" : text
    }

    func sameIdentity(_ other: FieldManager) -> Bool { identifier == other.identifier }
}

struct ManagedEntry: Sendable, Equatable {
    var manager: FieldManager
    var fields: Set<FieldPath>
    var time: String

    var json: JSON {
        var entry: JSON = ["manager": .string(manager.name), "operation": .string(manager.operation),
                           "apiVersion": .string(manager.apiVersion), "time": .string(time),
                           "fieldsType": "FieldsV1", "fieldsV1": FieldPath.fieldsV1(fields)]
        if !manager.subresource.isEmpty { entry["subresource"] = .string(manager.subresource) }
        return entry
    }
}

struct FieldConflict: Sendable {
    let manager: FieldManager
    let path: FieldPath
}

enum Ownership {
    /// Fields no manager owns: identity, bookkeeping and status of the main resource.
    static func trackedContent(_ object: JSON) -> JSON {
        var content = object
        for key in ["apiVersion", "kind", "status"] { content[key] = nil }
        var metadata = content["metadata"]?.object ?? [:]
        for key in ["name", "namespace", "uid", "resourceVersion", "generation", "creationTimestamp", "managedFields",
                    "selfLink", "deletionTimestamp"] { metadata[key] = nil }
        content["metadata"] = metadata.isEmpty ? nil : .object(metadata)
        return content
    }

    /// The structs a Go object of this kind always serializes, even empty (ObjectMeta and the other non-pointer
    /// struct fields): the
    /// "live" object of a create is the kind's zero value, so these are never added (`Updater.Update`
    /// in sigs.k8s.io/structured-merge-diff/v4/merge/update.go compares against it).
    static func implicitMaps(kind: String) -> Set<FieldPath> {
        let template = ["metadata", "spec"]
        let dotted: [[String]]
        switch kind {
        case "Deployment", "ReplicaSet":
            dotted = [["spec"], ["spec", "template"], ["spec", "strategy"]] + template.map { ["spec", "template", $0] }
        case "CronJob":
            let job = ["spec", "jobTemplate"]
            dotted = [["spec"], job] + template.map { job + [$0] } + [job + ["spec", "template"]]
                + template.map { job + ["spec", "template", $0] }
        case "Service", "Namespace", "Lease": dotted = [["spec"]]
        default: dotted = []
        }
        return Set((dotted + [["metadata"]]).map { FieldPath($0.map { .field($0) }) })
    }

    /// An Update (create, PUT, non-apply patch): the updater takes what was added or modified; what was
    /// removed leaves everyone (`Updater.Update`, merge/update.go, with `Compare` in typed/compare.go:
    /// maps and list items count as added when new, leaves as modified when their value changed).
    static func update(_ entries: [ManagedEntry], old: JSON?, new: JSON, by manager: FieldManager, now: String) -> [ManagedEntry] {
        let oldContent = old.map(trackedContent) ?? .object([:])
        let newContent = trackedContent(new)
        let implicit = implicitMaps(kind: new["kind"]?.string ?? "")
        let oldLeaves = FieldPath.leaves(of: oldContent)
        let newLeaves = FieldPath.leaves(of: newContent)
        let oldNodes = oldLeaves.union(FieldPath.maps(of: oldContent)).union(implicit)
        let newNodes = newLeaves.union(FieldPath.maps(of: newContent)).union(implicit)
        let modified = newLeaves.intersection(oldLeaves).filter { path in
            if case .key = path.elements.last { return false }
            return path.lookup(in: oldContent) != path.lookup(in: newContent)
        }
        let changed = newNodes.subtracting(oldNodes).union(modified)
        let removed = oldNodes.subtracting(newNodes)
        if changed.isEmpty && removed.isEmpty { return entries }
        var result = entries.map { entry -> ManagedEntry in
            var entry = entry
            if !entry.manager.sameIdentity(manager) { entry.fields.subtract(changed) }
            entry.fields.subtract(removed)
            return entry
        }
        if let index = result.firstIndex(where: { $0.manager.sameIdentity(manager) }) {
            result[index].fields.formUnion(changed)
            result[index].time = now
        } else {
            result.append(ManagedEntry(manager: manager, fields: Set(changed), time: now))
        }
        return result.filter { !$0.fields.isEmpty }
    }

    /// Server-side apply of `applied` over `live` by `manager`. Returns the merged object and the new
    /// ownership, or the conflicts with other managers when not forced.
    static func apply(live: JSON, entries: [ManagedEntry], applied: JSON, by manager: FieldManager, force: Bool,
                      now: String) -> Result<(JSON, [ManagedEntry]), StatusError> {
        let appliedContent = trackedContent(applied)
        let liveContent = trackedContent(live)
        let appliedLeaves = FieldPath.leaves(of: appliedContent)
        var entries = entries
        var conflicts: [FieldConflict] = []
        for (index, entry) in entries.enumerated() where !entry.manager.sameIdentity(manager) {
            for path in entry.fields.intersection(appliedLeaves).sorted() {
                if case .key = path.elements.last { continue }
                guard let liveValue = path.lookup(in: liveContent), liveValue != path.lookup(in: appliedContent) else { continue }
                conflicts.append(FieldConflict(manager: entry.manager, path: path))
                if force { entries[index].fields.remove(path) }
            }
        }
        if !conflicts.isEmpty && !force { return .failure(.applyConflict(conflicts)) }

        let previous = entries.first { $0.manager.sameIdentity(manager) }?.fields ?? []
        let ownedByOthers = entries.filter { !$0.manager.sameIdentity(manager) }.reduce(into: Set<FieldPath>()) { $0.formUnion($1.fields) }
        // `prune` and `addBackOwnedItems` (sigs.k8s.io/structured-merge-diff/v4/merge/update.go): a field or
        // list item this manager applied before and no longer applies goes, unless a manager (another one,
        // or this one's new configuration) owns it or something inside it. A removed list item goes whole,
        // so the paths inside it are not removed one by one (removing its key first would leave an empty item).
        let owned = ownedByOthers.union(appliedLeaves)
        let removable = previous.subtracting(appliedLeaves).filter { path in
            !owned.contains { $0.elements.starts(with: path.elements) }
        }
        var merged = Merge.applyMerge(live, appliedContent)
        for path in removable.sorted() {
            let covered = removable.contains { $0 != path && path.elements.starts(with: $0.elements) }
            if !covered { path.remove(from: &merged) }
        }
        if let index = entries.firstIndex(where: { $0.manager.sameIdentity(manager) }) {
            if entries[index].fields != appliedLeaves { entries[index].time = now }
            entries[index].fields = appliedLeaves
        } else {
            entries.append(ManagedEntry(manager: manager, fields: appliedLeaves, time: now))
        }
        return .success((merged, entries.filter { !$0.fields.isEmpty }))
    }
}
