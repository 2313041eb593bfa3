import Yams
import KubeClient

extension SpecReader {
    /// Free-form YAML as JSON (see `YAMLToJSON`), every problem reported under `field`.
    mutating func json(_ node: Yams.Node, at field: String) -> JSONValue? {
        let (value, problems) = YAMLToJSON.convert(node, at: field)
        for problem in problems { fail(problem.field, line: problem.line, problem.message) }
        return problems.isEmpty ? value : nil
    }
}
