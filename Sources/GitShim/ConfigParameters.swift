import CLibGit2
import GitFiles
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The configuration git passes in the environment, which libgit2 does not read: `GIT_CONFIG_COUNT`
/// with `GIT_CONFIG_KEY_<n>`/`GIT_CONFIG_VALUE_<n>`, then `GIT_CONFIG_PARAMETERS` (what `git -c`
/// sets), in the order git applies them, so a later setting wins.
struct ConfigParameters: Equatable {
    struct Setting: Equatable {
        /// Canonical: section and variable name lowercased, a subsection's case kept.
        let key: String
        /// Nil for a key given without `=` (`git -c name`), which git takes as boolean true.
        let value: String?
    }

    let settings: [Setting]

    init(settings: [Setting]) { self.settings = settings }

    init(environment: (String) -> String?) throws {
        var settings = [Setting]()
        if let countText = environment("GIT_CONFIG_COUNT"), !countText.isEmpty {
            guard let count = Int(countText), count >= 0 else {
                throw GitError(.notFound, "GIT_CONFIG_COUNT is '\(countText)', not a number of settings; fix or unset it")
            }
            for index in 0..<count {
                guard let key = environment("GIT_CONFIG_KEY_\(index)") else {
                    throw GitError(.notFound, "GIT_CONFIG_COUNT is \(count) but GIT_CONFIG_KEY_\(index) is not set")
                }
                guard let value = environment("GIT_CONFIG_VALUE_\(index)") else {
                    throw GitError(.notFound, "GIT_CONFIG_COUNT is \(count) but GIT_CONFIG_VALUE_\(index) is not set")
                }
                settings.append(Setting(key: try Self.canonical(key, source: "GIT_CONFIG_KEY_\(index)"), value: value))
            }
        }
        if let parameters = environment("GIT_CONFIG_PARAMETERS"), !parameters.isEmpty {
            settings += try Self.parse(parameters)
        }
        self.settings = try Self.expandingIncludes(settings, home: environment("HOME"))
    }

    /// `git -c include.path=FILE` (or the same through GIT_CONFIG_COUNT) reads FILE in place, with
    /// the command line's precedence (config.c's handle_path_include): `~/` is expanded, a missing
    /// file is skipped, and a relative path is an error, as in git ("relative config includes must
    /// come from files"). Conditional includes there are refused rather than ignored.
    static func expandingIncludes(_ settings: [Setting], home: String?) throws -> [Setting] {
        var result = [Setting]()
        for setting in settings {
            result.append(setting)
            if setting.key.hasPrefix("includeif."), setting.key.hasSuffix(".path") {
                throw GitError(.notFound, "the environment (git -c or GIT_CONFIG_COUNT) sets \(setting.key), a conditional include, which pipedreamer does not evaluate there; use include.path, or move the includeIf into a config file")
            }
            guard setting.key == "include.path", var path = setting.value, !path.isEmpty else { continue }
            if path.hasPrefix("~/") {
                guard let home else { throw GitError(.notFound, "include.path=\(path) from the environment needs HOME, which is not set") }
                path = home + path.dropFirst()
            }
            guard path.hasPrefix("/") else {
                throw GitError(.notFound, "include.path=\(path) from the environment is relative; relative config includes must come from files (as git says): give an absolute path")
            }
            guard access(path, F_OK) == 0 else { continue }
            result += try entries(ofFile: path)
        }
        return result
    }

    /// Every setting of a config file in order, its own includes resolved by libgit2.
    private static func entries(ofFile path: String) throws -> [Setting] {
        LibGit2.ensureInitialised()
        var config: OpaquePointer?
        try GitError.check(git_config_open_ondisk(&config, path), "cannot read the git configuration file \(path)")
        defer { git_config_free(config) }
        var iterator: OpaquePointer?
        try GitError.check(git_config_iterator_new(&iterator, config), "cannot read the git configuration file \(path)")
        defer { git_config_iterator_free(iterator) }
        var result = [Setting]()
        var entry: UnsafeMutablePointer<git_config_entry>?
        while git_config_next(&entry, iterator) == 0, let entry {
            result.append(Setting(key: String(cString: entry.pointee.name), value: entry.pointee.value.map { String(cString: $0) }))
        }
        git_error_clear()
        return result
    }

    /// The last value of `key` (already canonical), `.some(nil)` for a value-less key, nil when not set.
    func last(_ key: String) -> String?? {
        settings.last { $0.key == key }.map(\.value)
    }

    func all(_ key: String) -> [String?] {
        settings.filter { $0.key == key }.map(\.value)
    }

    /// `GIT_CONFIG_PARAMETERS`: shell-single-quoted words separated by spaces, each `'key'='value'`,
    /// `'key'` or (from git before 2.31) `'key=value'`.
    static func parse(_ text: String) throws -> [Setting] {
        let bytes = Array(text.utf8)
        var position = 0
        // git's parse_config_env_list (config.c) skips isspace() between words.
        func skipSpaces() { while position < bytes.count, [0x20, 0x09, 0x0a, 0x0b, 0x0c, 0x0d].contains(bytes[position]) { position += 1 } }
        /// One quoted word, with git's `'\''` escapes for a quote inside it.
        func quoted() throws -> String {
            guard position < bytes.count, bytes[position] == UInt8(ascii: "'") else {
                throw GitError(.notFound, "GIT_CONFIG_PARAMETERS is malformed (expected a quote at byte \(position)); its value is not shown, as `git -c` settings may hold credentials")
            }
            var word = [UInt8]()
            position += 1
            while true {
                guard position < bytes.count else { throw GitError(.notFound, "GIT_CONFIG_PARAMETERS has an unterminated quote; its value is not shown, as `git -c` settings may hold credentials") }
                let byte = bytes[position]
                position += 1
                if byte != UInt8(ascii: "'") { word.append(byte); continue }
                // `'\''` continues the word with a literal quote; `'\!'` likewise with '!'.
                if position + 2 < bytes.count, bytes[position] == UInt8(ascii: "\\"), bytes[position + 2] == UInt8(ascii: "'") {
                    word.append(bytes[position + 1])
                    position += 3
                    continue
                }
                return String(decoding: word, as: UTF8.self)
            }
        }
        var result = [Setting]()
        skipSpaces()
        while position < bytes.count {
            let first = try quoted()
            if position < bytes.count, bytes[position] == UInt8(ascii: "=") {
                position += 1
                let value = position < bytes.count && bytes[position] == UInt8(ascii: "'") ? try quoted() : ""
                result.append(Setting(key: try canonical(first, source: "GIT_CONFIG_PARAMETERS"), value: value))
            } else if let equals = first.firstIndex(of: "=") {
                result.append(Setting(key: try canonical(String(first[..<equals]), source: "GIT_CONFIG_PARAMETERS"),
                                      value: String(first[first.index(after: equals)...])))
            } else {
                result.append(Setting(key: try canonical(first, source: "GIT_CONFIG_PARAMETERS"), value: nil))
            }
            skipSpaces()
        }
        return result
    }

    /// git's canonical key: `Section.Sub.Name` → `section.Sub.name`.
    static func canonical(_ key: String, source: String) throws -> String {
        guard let firstDot = key.firstIndex(of: "."), let lastDot = key.lastIndex(of: "."),
              firstDot != key.startIndex, key.index(after: lastDot) != key.endIndex else {
            throw GitError(.notFound, "\(source) sets '\(key)', which is not a git config key (section.name)")
        }
        let section = key[..<firstDot].lowercased()
        let name = key[key.index(after: lastDot)...].lowercased()
        if firstDot == lastDot { return "\(section).\(name)" }
        return "\(section).\(key[key.index(after: firstDot)..<lastDot]).\(name)"
    }
}
