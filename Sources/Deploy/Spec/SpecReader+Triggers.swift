import Yams

/// A cron trigger as far as its CronJob's name needs: read from the raw YAML, so a trigger with a
/// bad schedule still counts and both problems are reported together.
struct CronTriggerName {
    let index: Int
    let name: String?
    let line: Int?
}

extension SpecReader {
    static let triggerKeys = ["actions", "event", "name", "path", "provider", "schedule", "subject", "type"]
    /// Which kind each type-specific key belongs to.
    private static let keyOwners: [String: Trigger.Kind] = [
        "schedule": .cron, "path": .webhook, "provider": .webhook, "event": .webhook, "actions": .webhook,
        "subject": .queue,
    ]
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
            case let key where Self.keyOwners[key] != nil:
                let owner = Self.keyOwners[key]!
                if let kind, kind != owner {
                    fail(keyField, line: entry.line, "only \(owner.rawValue) triggers take a \(key); this one is \(kind.rawValue)")
                    valid = false
                    continue
                }
                if !readTriggerValue(entry, at: keyField, into: &trigger) { valid = false }
            default:
                warnUnknown(entry, at: field, known: Self.triggerKeys)
            }
        }

        let keys = Set(entries.map(\.key))
        if !keys.contains("type") {
            fail("\(field).type", line: line, "required: one of \(Self.kinds)")
            return nil
        }
        guard let kind else { return nil }
        let complete = checkRequiredKeys(keys, of: kind, at: field, line: line)
        return valid && complete ? (trigger, nameLine) : nil
    }

    /// What each kind needs: a schedule, a subject, a webhook path or provider; false after reporting.
    private mutating func checkRequiredKeys(_ keys: Set<String>, of kind: Trigger.Kind, at field: String, line: Int?) -> Bool {
        switch kind {
        case .cron where !keys.contains("schedule"):
            fail("\(field).schedule", line: line, "required for cron triggers")
        case .queue where !keys.contains("subject"):
            fail("\(field).subject", line: line, "required for queue triggers")
        case .webhook where !keys.contains("path") && !keys.contains("provider"):
            fail("\(field).path", line: line, "required for webhook triggers: a path such as /hooks/orders, or a provider")
        default:
            return true
        }
        return false
    }

    /// One type-specific value, checked for its kind; false after reporting a problem.
    private mutating func readTriggerValue(_ entry: Entry, at field: String, into trigger: inout Trigger) -> Bool {
        if entry.key == "actions" {
            guard let actions = stringList(entry.value, at: field) else { return false }
            trigger.actions = actions
            return true
        }
        guard let value = requiredString(entry.value, at: field) else { return false }
        let line = entry.value.mark?.line
        switch entry.key {
        case "schedule":
            if let problem = CronSchedule.problem(in: value) {
                fail(field, line: line, "'\(value)' is not a valid schedule: \(problem)")
                return false
            }
            trigger.schedule = value
        case "path":
            if !value.hasPrefix("/") {
                fail(field, line: line, "'\(value)' must start with '/'")
                return false
            }
            trigger.path = value
        default:
            if value.allSatisfy(\.isWhitespace) {
                fail(field, line: line, "must not be empty")
                return false
            }
            switch entry.key {
            case "provider": trigger.provider = value
            case "event": trigger.event = value
            default: trigger.subject = value
            }
        }
        return true
    }

    /// Each CronJob name must fit the API server's 52 characters; the error names the trigger whose
    /// CronJob is too long (or the workflow's name, when the name alone is what makes it so).
    mutating func checkCronJobNames(name: (value: String, line: Int?)?, cronTriggers: [CronTriggerName]) {
        guard let name, !cronTriggers.isEmpty else { return }
        let limit = Manifests.maxCronJobNameLength
        let names = Manifests.cronJobNames(name.value, triggerNames: cronTriggers.map(\.name))
        var firstIndexByName: [String: Int] = [:]
        for (trigger, jobName) in zip(cronTriggers, names) {
            let field = "triggers[\(trigger.index)]"
            if let first = firstIndexByName[jobName] {
                fail(trigger.name == nil ? field : "\(field).name", line: trigger.line,
                     "the CronJob name '\(jobName)' is also that of triggers[\(first)]; rename one of the triggers")
                continue
            }
            firstIndexByName[jobName] = trigger.index
            guard jobName.count > limit else { continue }
            let over = jobName.count - limit
            if cronTriggers.count == 1, trigger.name == nil {
                fail("name", line: name.line, "too long: the CronJob name '\(jobName)' would be \(jobName.count) characters "
                    + "(at most \(limit)); with a cron trigger the name can have at most \(name.value.count - over)")
            } else if let triggerName = trigger.name {
                fail("\(field).name", line: trigger.line, "too long: the CronJob name '\(jobName)' would be \(jobName.count) "
                    + "characters (at most \(limit)); shorten the trigger name '\(triggerName)' by \(over), or the workflow name")
            } else {
                fail("name", line: name.line, "too long: the CronJob name '\(jobName)' of \(field) would be \(jobName.count) "
                    + "characters (at most \(limit)); the name can have at most \(name.value.count - over)")
            }
        }
    }

    /// The cron triggers by their `type` alone, with their name when it is a valid one.
    static func cronTriggers(in node: Yams.Node) -> [CronTriggerName] {
        guard case .sequence(let sequence) = node else { return [] }
        return sequence.enumerated().compactMap { index, item in
            guard item.mapping?["type"]?.scalar?.string == Trigger.Kind.cron.rawValue else { return nil }
            let nameNode = item.mapping?["name"]
            let name = nameNode?.scalar?.string
            let valid = name.map(SpecNames.isKebabCase) == true && nameNode?.tagName == .str
            return CronTriggerName(index: index, name: valid ? name : nil, line: valid ? nameNode?.mark?.line : item.mark?.line)
        }
    }
}
