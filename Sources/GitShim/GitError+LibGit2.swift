import CLibGit2
import GitFiles

extension GitError {
    /// Builds the error from `git_error_last()` right after a failing call; `action` says what was attempted.
    static func last(_ code: Int32, _ action: String) -> GitError {
        var detail = "error \(code)"
        var klass: Int32 = 0
        if let err = git_error_last() {
            klass = err.pointee.klass
            if let msg = err.pointee.message { detail = String(cString: msg) }
        }
        return GitError(.libgit2(code: code, klass: klass), "\(action): \(detail)")
    }

    /// Throws the libgit2 error for a negative return code.
    @discardableResult
    static func check(_ code: Int32, _ action: @autoclosure () -> String) throws -> Int32 {
        if code < 0 { throw last(code, action()) }
        return code
    }
}
