import GitFiles

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

    /// Reads the process environment.
    static func fromEnvironment() throws -> ConfigParameters {
        try ConfigParameters(environment: ProcessInfoLite.environment)
    }

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
        self.settings = settings
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
