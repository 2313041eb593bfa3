import Yams

extension SpecReader {
    /// The keys a trigger may have, and which kind each type-specific key belongs to.
    private static let triggerKeys = ["name", "path", "schedule", "subject", "type"]
    private static let keyOwners: [String: Trigger.Kind] = ["schedule": .cron, "path": .webhook, "subject": .queue]
    private static let kinds = Trigger.Kind.allCases.map(\.rawValue).joined(separator: ", ")

    mutating func readTriggers(_ node: Yams.Node) -> [Trigger] {
        if node.isNull { return [] }
        guard case .sequence(let sequence) = node else {
            fail("triggers", line: node.mark?.line, "expected a sequence of triggers, got \(describe(node))")
            return []
        }
        var triggers: [Trigger] = []
        var indexByName: [String: Int] = [:]
        for (index, item) in sequence.enumerated() {
            guard let trigger = readTrigger(item, at: "triggers[\(index)]") else { continue }
            if let name = trigger.value.name {
                if let first = indexByName[name] {
                    fail("triggers[\(index)].name", line: trigger.nameLine,
                         "duplicate trigger name '\(name)'; triggers[\(first)] has it too")
                    continue
                }
                indexByName[name] = index
            }
            triggers.append(trigger.value)
        }
        return triggers
    }

    private mutating func readTrigger(_ node: Yams.Node, at field: String) -> (value: Trigger, nameLine: Int?)? {
        let line = node.mark?.line
        guard case .mapping(let mapping) = node else {
            fail(field, line: line, "expected a mapping with a type (\(Self.kinds)), got \(describe(node))")
            return nil
        }
        let entries = entries(of: mapping, at: field)
        // Known up front so a key that belongs to another kind is reported where it stands.
        let kind = entries.first { $0.key == "type" }
            .flatMap { $0.value.isNull ? nil : $0.value.scalar?.string }
            .flatMap(Trigger.Kind.init(rawValue:))

        var valid = true
        var trigger = Trigger(kind: kind ?? .manual, line: line)
        var nameLine: Int?
        for entry in entries {
            let keyField = "\(field).\(entry.key)"
            switch entry.key {
            case "type":
                guard let type = requiredString(entry.value, at: keyField) else { valid = false; continue }
                if Trigger.Kind(rawValue: type) == nil {
                    fail(keyField, line: entry.value.mark?.line, "unknown trigger type '\(type)'; expected one of \(Self.kinds)")
                    valid = false
                }
            case "name":
                nameLine = entry.value.mark?.line
                guard let name = requiredString(entry.value, at: keyField) else { valid = false; continue }
                guard SpecNames.isKebabCase(name) else {
                    fail(keyField, line: nameLine, "'\(name)' is not kebab-case: use lowercase letters, digits and '-', "
                        + "starting and ending with a letter or digit")
                    valid = false
                    continue
                }
                trigger.name = name
            case "schedule", "path", "subject":
                let owner = Self.keyOwners[entry.key]!
                if let kind, kind != owner {
                    fail(keyField, line: entry.line, "only \(owner.rawValue) triggers take a \(entry.key); this one is \(kind.rawValue)")
                    valid = false
                    continue
                }
                guard let value = readTriggerValue(entry, at: keyField) else { valid = false; continue }
                switch owner {
                case .cron: trigger.schedule = value
                case .webhook: trigger.path = value
                default: trigger.subject = value
                }
            default:
                fail(keyField, line: entry.line, "unknown key; known keys are \(Self.triggerKeys.joined(separator: ", "))")
                valid = false
            }
        }

        let keys = Set(entries.map(\.key))
        if !keys.contains("type") {
            fail("\(field).type", line: line, "required: one of \(Self.kinds)")
            return nil
        }
        guard let kind else { return nil }
        for (key, owner) in Self.keyOwners.sorted(by: { $0.key < $1.key }) where owner == kind && !keys.contains(key) {
            fail("\(field).\(key)", line: line, "required for \(kind.rawValue) triggers")
            valid = false
        }
        return valid ? (trigger, nameLine) : nil
    }

    /// A schedule, webhook path or queue subject, checked for its kind.
    private mutating func readTriggerValue(_ entry: Entry, at field: String) -> String? {
        guard let value = requiredString(entry.value, at: field) else { return nil }
        let line = entry.value.mark?.line
        switch entry.key {
        case "schedule":
            if let problem = CronSchedule.problem(in: value) {
                fail(field, line: line, "'\(value)' is not a valid schedule: \(problem)")
                return nil
            }
        case "path":
            if !value.hasPrefix("/") {
                fail(field, line: line, "'\(value)' must start with '/'")
                return nil
            }
        default:
            if value.allSatisfy(\.isWhitespace) {
                fail(field, line: line, "must not be empty")
                return nil
            }
        }
        return value
    }

    /// Each object named after the workflow must fit its kind's name limit; only CronJob names
    /// depend on another field (how many cron triggers there are).
    mutating func checkDerivedNameLengths(name: (value: String, line: Int?)?, cronCount: Int) {
        guard let name else { return }
        let limit = WorkflowSpec.maxCronJobNameLength
        // Names grow with the index, so the last is the longest.
        guard let longest = WorkflowSpec.cronJobNames(name: name.value, cronTriggerCount: cronCount).last,
            longest.count > limit
        else { return }
        let allowed = name.value.count - (longest.count - limit)
        fail("name", line: name.line, "too long: the CronJob name '\(longest)' would be \(longest.count) characters "
            + "(at most \(limit)); with \(cronCount) cron trigger\(cronCount == 1 ? "" : "s") the name can have at most \(allowed)")
    }

    /// Cron triggers by their `type` alone, so a trigger with a bad schedule still counts
    /// towards the CronJob names and both problems are reported together.
    static func cronTriggerCount(in node: Yams.Node) -> Int {
        guard case .sequence(let sequence) = node else { return 0 }
        return sequence.filter { $0.mapping?["type"]?.scalar?.string == Trigger.Kind.cron.rawValue }.count
    }
}
