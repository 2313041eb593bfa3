import Yams

extension SpecReader {
    /// A YAML syntax error as a located SpecError, in libyaml's words.
    mutating func reportYAMLError(_ error: any Error) {
        guard let error = error as? YamlError else {
            fail("", line: nil, "cannot read YAML: \(error)")
            return
        }
        func located(_ context: YamlError.Context?, _ problem: String, _ mark: Mark) {
            var message = "invalid YAML: \(problem)"
            if let context {
                let place = "\(context.text) at line \(context.mark.line), column \(context.mark.column)"
                // libyaml's problems read either alone or as the end of the context's sentence.
                message = problem.hasPrefix("but ")
                    ? "invalid YAML: \(place), \(problem)"
                    : "invalid YAML: \(problem) (\(place))"
            }
            record(SpecError(file: file, field: "", line: mark.line, column: mark.column, message: message))
        }
        switch error {
        case let .scanner(context, problem, mark, _): located(context, problem, mark)
        case let .parser(context, problem, mark, _): located(context, problem, mark)
        case let .composer(context, problem, mark, _): located(context, problem, mark)
        case let .duplicatedKeysInMapping(duplicates, context):
            let keys = duplicates.map { "'\($0)'" }.joined(separator: ", ")
            record(SpecError(
                file: file, field: "", line: context.mark.line, column: context.mark.column,
                message: "duplicate key \(keys): a key may appear only once in a mapping (this is its first use)"))
        default:
            fail("", line: nil, "invalid YAML: \(error)")
        }
    }
}

extension Yams.Node {
    /// The resolved YAML type (`tag:yaml.org,2002:str`, …).
    var tagName: Tag.Name { Tag.Name(rawValue: tag.rawValue) }

    var isNull: Bool {
        if case .scalar = self { return tagName == .null }
        return false
    }
}
