import GitFiles

/// Quoting for text that a person (or a generated hook script) passes to a POSIX shell.
public enum ShellQuoting {
    /// `text` as one shell word. Paths made only of letters, digits and `-_./@%+=:,` stay as they
    /// are, so commands shown to a user read naturally, unless `always` asks for quotes (a value
    /// written into a script); anything else goes in single quotes, with `'` written as `'\''`.
    /// Text with a control character (`PathQuoting.hasControls`) is shown as `$'...'` with C escapes
    /// (bash, zsh, ksh, POSIX.1-2024 sh), so a command shown to a user cannot write to the terminal.
    public static func quoted(_ text: String, always: Bool = false) -> String {
        if !always, PathQuoting.hasControls(text) {
            return "$'" + PathQuoting.escaped(Array(text.utf8), quote: UInt8(ascii: "'")) + "'"
        }
        let safe = !text.isEmpty && text.unicodeScalars.allSatisfy {
            $0.properties.isAlphabetic || "0123456789-_./@%+=:,".unicodeScalars.contains($0)
        }
        if safe && !always { return text }
        return "'" + text.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "'\\''") + "'"
    }
}
