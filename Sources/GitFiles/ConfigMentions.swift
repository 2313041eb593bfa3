#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Whether any git configuration a command in this repository could read mentions a word: the
/// question the pre-commit fast path asks before it assumes pipedreamer's default settings. It is
/// a superset of what git reads (config.c's `do_git_config_sequence`): the system file (also with
/// GIT_CONFIG_NOSYSTEM), every global file (`$GIT_CONFIG_GLOBAL`, `$XDG_CONFIG_HOME/git/config`,
/// `~/.config/git/config`, `~/.gitconfig`), `$GIT_CONFIG`, the repository's config and
/// config.worktree, every `GIT_CONFIG*` variable of the environment (`git -c`'s
/// GIT_CONFIG_PARAMETERS and GIT_CONFIG_COUNT's KEY_n/VALUE_n; one that names an include counts as a
/// mention), and every file an `[include]` or
/// `[includeIf]` section names, whatever its condition. An include it cannot resolve for certain
/// counts as a mention, so "no" is always true.
package enum ConfigMentions {
    package static func mayMention(_ word: String, gitDirectory: String, commonDirectory: String,
                                   environment: (String) -> String?, allVariables: [(String, String)]) -> Bool {
        let needle = Array(word.lowercased().utf8)
        for (name, value) in allVariables where name.hasPrefix("GIT_CONFIG") {
            let lowered = value.utf8.map { (65...90).contains($0) ? $0 + 32 : $0 }
            // An include given there (git -c include.path=FILE) may name anything.
            if contains(lowered, needle) || contains(lowered, Array("include".utf8)) { return true }
        }
        let home = environment("HOME")
        var files = [environment("GIT_CONFIG_SYSTEM") ?? "/etc/gitconfig", "/etc/gitconfig"]
        if let global = environment("GIT_CONFIG_GLOBAL") { files.append(global) }
        if let xdg = environment("XDG_CONFIG_HOME"), !xdg.isEmpty { files.append(xdg + "/git/config") }
        if let home {
            files += [home + "/.config/git/config", home + "/.gitconfig"]
        }
        if let legacy = environment("GIT_CONFIG") { files.append(legacy) }
        files += [commonDirectory + "/config", gitDirectory + "/config.worktree", commonDirectory + "/config.worktree"]
        var seen = Set<String>()
        var pending = files.map { ($0, 0) }
        while let (path, depth) = pending.popLast() {
            guard seen.insert(path).inserted else { continue }
            guard let bytes = FileBytes.contents(of: path) else {
                // A file that exists but cannot be read may hold anything.
                if access(path, F_OK) == 0 { return true }
                continue
            }
            let lowered = bytes.map { (65...90).contains($0) ? $0 + 32 : $0 }
            if contains(lowered, needle) { return true }
            guard contains(lowered, Array("include".utf8)) else { continue }
            guard depth < 10, let included = includedFiles(in: bytes, from: path, home: home) else { return true }
            pending += included.map { ($0, depth + 1) }
        }
        return false
    }

    /// The paths of `include.path` and `includeIf.<condition>.path` in a config file, resolved as
    /// git resolves them (`~/` from HOME, relative to the including file); nil when one cannot be
    /// resolved for certain (a continued line, an escape, `%(prefix)`).
    static func includedFiles(in bytes: [UInt8], from path: String, home: String?) -> [String]? {
        let directory = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? "."
        var inInclude = false
        var result = [String]()
        for raw in String(decoding: bytes, as: UTF8.self).split(whereSeparator: { $0 == "\n" || $0 == "\r" }) {
            var line = Substring(raw.drop { $0 == " " || $0 == "\t" })
            if line.hasSuffix("\\") { return nil }
            if line.hasPrefix("[") {
                guard let close = line.firstIndex(of: "]") else { return nil }
                let header = line[line.index(after: line.startIndex)..<close].lowercased()
                    .drop { $0 == " " || $0 == "\t" }
                inInclude = header == "include" || header.hasPrefix("includeif")
                    || header.hasPrefix("include ") || header.hasPrefix("include\"")
                line = line[line.index(after: close)...].drop { $0 == " " || $0 == "\t" }
                if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            }
            guard inInclude, !line.hasPrefix("#"), !line.hasPrefix(";"), !line.isEmpty else { continue }
            let parts = line.split(separator: "=", maxSplits: 1)
            let key = parts[0].trimmingCharacters(in: " \t").lowercased()
            guard key == "path" else { continue }
            guard parts.count == 2 else { return nil }
            var value = parts[1].trimmingCharacters(in: " \t")
            if value.hasPrefix("\"") {
                guard value.count >= 2, value.hasSuffix("\""), value.dropFirst().dropLast().allSatisfy({ $0 != "\"" }) else { return nil }
                value = String(value.dropFirst().dropLast())
            } else if let comment = value.firstIndex(where: { $0 == "#" || $0 == ";" }) {
                value = String(value[..<comment]).trimmingCharacters(in: " \t")
            }
            if value.isEmpty { continue }
            guard !value.contains("\\"), !value.contains("%("), !value.contains("\"") else { return nil }
            if value.hasPrefix("~/") {
                guard let home else { return nil }
                result.append(home + value.dropFirst(1))
            } else if value.hasPrefix("~") {
                return nil
            } else {
                result.append(value.hasPrefix("/") ? value : directory + "/" + value)
            }
        }
        return result
    }

    private static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, haystack.count >= needle.count else { return needle.isEmpty }
        let first = needle[0]
        var index = 0
        let last = haystack.count - needle.count
        while index <= last {
            if haystack[index] == first, haystack[index..<(index + needle.count)].elementsEqual(needle) { return true }
            index += 1
        }
        return false
    }
}

extension StringProtocol {
    fileprivate func trimmingCharacters(in set: String) -> String {
        var text = Substring(self)
        while let first = text.first, set.contains(first) { text = text.dropFirst() }
        while let last = text.last, set.contains(last) { text = text.dropLast() }
        return String(text)
    }
}
