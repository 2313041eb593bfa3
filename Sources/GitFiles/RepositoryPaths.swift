/// Joins path components, treating "" as the root.
public func joinPath(_ directory: String, _ name: String) -> String {
    directory.isEmpty ? name : name.isEmpty ? directory : "\(directory)/\(name)"
}

/// Decodes path bytes, reporting whether they were valid UTF-8.
package func decodePath(_ bytes: [UInt8]) -> (String, Bool) {
    if let valid = String(validating: bytes, as: UTF8.self) { return (valid, true) }
    return (String(decoding: bytes, as: UTF8.self), false)
}

/// The directories above `path`, outermost first: "a/b/c.ts" → ["", "a", "a/b"].
public func ancestorDirectories(of path: String) -> [String] {
    var result = [""]
    var current = ""
    for component in path.split(separator: "/").dropLast() {
        current = joinPath(current, String(component))
        result.append(current)
    }
    return result
}

/// The `.gitattributes` files that apply to a directory from outside it (git reads one in every
/// directory above a path, the root's included; the directory's own belongs to its content).
public func attributeFiles(above directory: String) -> [String] {
    guard !directory.isEmpty else { return [] }
    return ancestorDirectories(of: directory).map { joinPath($0, ".gitattributes") }
}
