
/// Shell-style matching exactly as git's `wildmatch()` does it, on bytes: `?` is one byte, `[...]`
/// compares bytes, and with `pathname` `*`/`?`/classes stop at '/' while `**` between slashes
/// spans directories. Case-sensitive, as git is unless `core.ignorecase` is set.
enum Wildmatch {
    static func matches(_ pattern: some Sequence<UInt8>, _ text: some Sequence<UInt8>, pathname: Bool) -> Bool {
        // A trailing 0 stands in for C's terminator, so the port can read one byte past the end.
        let pattern = Array(pattern) + [0]
        let text = Array(text) + [0]
        var steps = Int.max
        return match(pattern[...], text[...], pathname: pathname, stepsLeft: &steps) == true
    }

    /// Whether `pattern` matches `text`, both ending in a 0 byte, spending `stepsLeft`; nil when it
    /// ran out first. git's wildmatch.c has no such bound, and some patterns (`*a*a*a…b`) backtrack
    /// exponentially in the length of the text.
    static func match(_ pattern: ArraySlice<UInt8>, _ text: ArraySlice<UInt8>, pathname: Bool,
                      stepsLeft: inout Int) -> Bool? {
        var matcher = Matcher(pattern: pattern, text: text, pathname: pathname, stepsLeft: stepsLeft)
        defer { stepsLeft = max(matcher.stepsLeft, 0) }
        switch matcher.match(from: pattern.startIndex, at: text.startIndex) {
        case .match: return true
        case .outOfSteps: return nil
        case .noMatch, .abortAll, .abortToStarStar: return false
        }
    }

    private enum Outcome { case match, noMatch, abortAll, abortToStarStar, outOfSteps }

    private struct Matcher {
        let pattern: ArraySlice<UInt8>
        let text: ArraySlice<UInt8>
        let pathname: Bool
        var stepsLeft: Int

        /// Matches `pattern[start...]` against `text[textStart...]`.
        mutating func match(from start: Int, at textStart: Int) -> Outcome {
            var p = start
            var t = textStart
            while pattern[p] != 0 {
                stepsLeft -= 1
                if stepsLeft < 0 { return .outOfSteps }
                var pch = pattern[p]
                var tch = text[t]
                if tch == 0 && pch != ASCII.star { return .abortAll }
                switch pch {
                case ASCII.questionMark:
                    if pathname && tch == ASCII.slash { return .noMatch }
                case ASCII.star:
                    var matchSlash: Bool
                    p += 1
                    if pattern[p] == ASCII.star {
                        let beforeStars = p - 2
                        p += 1
                        while pattern[p] == ASCII.star { p += 1 }
                        if !pathname {
                            matchSlash = true
                        } else if (beforeStars < start || pattern[beforeStars] == ASCII.slash)
                            && (pattern[p] == 0 || pattern[p] == ASCII.slash
                                || (pattern[p] == ASCII.backslash && pattern[p + 1] == ASCII.slash)) {
                            // `**/` may match no directory at all: try the rest right here first.
                            if pattern[p] == ASCII.slash {
                                let outcome = match(from: p + 1, at: t)
                                if outcome == .match || outcome == .outOfSteps { return outcome }
                            }
                            matchSlash = true
                        } else {
                            matchSlash = false
                        }
                    } else {
                        matchSlash = !pathname
                    }
                    if pattern[p] == 0 {
                        if !matchSlash && text[t...].contains(ASCII.slash) { return .noMatch }
                        return .match
                    }
                    if !matchSlash && pattern[p] == ASCII.slash {
                        // One `*` before a slash swallows the rest of this directory name.
                        guard let slash = text[t...].firstIndex(of: ASCII.slash) else { return .noMatch }
                        t = slash
                        break
                    }
                    while tch != 0 {
                        stepsLeft -= 1
                        if stepsLeft < 0 { return .outOfSteps }
                        if !pattern[p].isGlobSpecial {
                            // Skip straight to the next occurrence of the literal that follows.
                            let literal = pattern[p]
                            while true {
                                tch = text[t]
                                if tch == 0 || (!matchSlash && tch == ASCII.slash) || tch == literal { break }
                                t += 1
                            }
                            if tch != literal { return .noMatch }
                        }
                        let outcome = match(from: p, at: t)
                        if outcome != .noMatch {
                            if !matchSlash || outcome != .abortToStarStar { return outcome }
                        } else if !matchSlash && tch == ASCII.slash {
                            return .abortToStarStar
                        }
                        t += 1
                        tch = text[t]
                    }
                    return .abortAll
                case ASCII.openBracket:
                    guard let (matched, next) = matchClass(at: p, byte: tch) else { return .abortAll }
                    if !matched || (pathname && tch == ASCII.slash) { return .noMatch }
                    p = next
                default:
                    if pch == ASCII.backslash {
                        p += 1
                        pch = pattern[p]
                    }
                    if tch != pch { return .noMatch }
                }
                p += 1
                t += 1
            }
            return text[t] == 0 ? .match : .noMatch
        }

        /// Evaluates the bracket expression opening at `open` for `byte`: whether it matches, and
        /// the index of its closing ']'. Nil when the expression is malformed.
        private func matchClass(at open: Int, byte tch: UInt8) -> (Bool, Int)? {
            var p = open + 1
            var pch = pattern[p]
            if pch == ASCII.caret { pch = ASCII.bang }
            let negated = pch == ASCII.bang
            if negated {
                p += 1
                pch = pattern[p]
            }
            var previous: UInt8 = 0
            var matched = false
            repeat {
                if pch == 0 { return nil }
                if pch == ASCII.backslash {
                    p += 1
                    pch = pattern[p]
                    if pch == 0 { return nil }
                    if tch == pch { matched = true }
                } else if pch == ASCII.dash && previous != 0 && pattern[p + 1] != 0 && pattern[p + 1] != ASCII.closeBracket {
                    p += 1
                    pch = pattern[p]
                    if pch == ASCII.backslash {
                        p += 1
                        pch = pattern[p]
                        if pch == 0 { return nil }
                    }
                    if tch <= pch && tch >= previous { matched = true }
                    pch = 0  // a range's end cannot start another range
                } else if pch == ASCII.openBracket && pattern[p + 1] == ASCII.colon {
                    p += 2
                    let nameStart = p
                    while pattern[p] != 0 && pattern[p] != ASCII.closeBracket { p += 1 }
                    if pattern[p] == 0 { return nil }
                    let nameLength = p - nameStart - 1
                    if nameLength < 0 || pattern[p - 1] != ASCII.colon {
                        // No ":]": the '[' was an ordinary member.
                        p = nameStart - 2
                        pch = ASCII.openBracket
                        if tch == pch { matched = true }
                    } else {
                        let name = String(decoding: pattern[nameStart..<(nameStart + nameLength)], as: UTF8.self)
                        guard let member = Self.namedClasses[name] else { return nil }
                        if member(tch) { matched = true }
                        pch = 0
                    }
                } else if tch == pch {
                    matched = true
                }
                previous = pch
                p += 1
                pch = pattern[p]
            } while pch != ASCII.closeBracket
            return (matched != negated, p)
        }

        /// `[:name:]` classes with git's own ASCII-only ctype (so \v and \f are not spaces).
        private static let namedClasses: [String: @Sendable (UInt8) -> Bool] = [
            "alnum": { $0.isASCIIDigit || $0.isASCIILetter },
            "alpha": { $0.isASCIILetter },
            "blank": { $0 == 0x20 || $0 == 0x09 },
            "cntrl": { $0 < 0x20 || $0 == 0x7F },
            "digit": { $0.isASCIIDigit },
            "graph": { $0 > 0x20 && $0 < 0x7F },
            "lower": { (0x61...0x7A).contains($0) },
            "print": { $0 >= 0x20 && $0 < 0x7F },
            "punct": { $0 > 0x20 && $0 < 0x7F && !$0.isASCIIDigit && !$0.isASCIILetter },
            "space": { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D },
            "upper": { (0x41...0x5A).contains($0) },
            "xdigit": { $0.isASCIIDigit || (0x41...0x46).contains($0) || (0x61...0x66).contains($0) },
        ]
    }
}

/// The bytes the attribute parser and the matcher look for.
enum ASCII {
    static let tab: UInt8 = 0x09
    static let newline: UInt8 = 0x0A
    static let carriageReturn: UInt8 = 0x0D
    static let space: UInt8 = 0x20
    static let bang: UInt8 = 0x21
    static let quote: UInt8 = 0x22
    static let hash: UInt8 = 0x23
    static let star: UInt8 = 0x2A
    static let dash: UInt8 = 0x2D
    static let slash: UInt8 = 0x2F
    static let colon: UInt8 = 0x3A
    static let equals: UInt8 = 0x3D
    static let questionMark: UInt8 = 0x3F
    static let openBracket: UInt8 = 0x5B
    static let backslash: UInt8 = 0x5C
    static let closeBracket: UInt8 = 0x5D
    static let caret: UInt8 = 0x5E
}

extension UInt8 {
    /// The bytes git's globbing treats specially.
    var isGlobSpecial: Bool {
        self == ASCII.star || self == ASCII.questionMark || self == ASCII.openBracket || self == ASCII.backslash
    }
    var isASCIIDigit: Bool { (0x30...0x39).contains(self) }
    var isASCIILetter: Bool { (0x41...0x5A).contains(self) || (0x61...0x7A).contains(self) }
}

/// Whether a reference name matches a glob such as `refs/tags/v*` (git's wildmatch, byte for
/// byte); `*` also crosses '/', so `refs/heads/*` matches `refs/heads/team/topic`.
public func referenceName(_ name: String, matches pattern: String) -> Bool {
    Wildmatch.matches(pattern.utf8, name.utf8, pathname: false)
}
