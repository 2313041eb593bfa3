import ArgumentParser
import Deploy
import Foundation
import GitShim
import Hooks
import KubeClient
import GitFiles
import WorkflowBundle

/// Where the repository and the workflow are: shared by every command that reads a commit.
struct RepositoryOptions: ParsableArguments {
    @Option(name: [.customShort("C"), .customLong("repo")],
            help: ArgumentHelp("Run as if started in this directory (any directory inside the repository, or a bare repository).",
                               valueName: "dir"))
    var repository: String?

    @Option(name: [.short, .customLong("workflow")],
            help: ArgumentHelp("Workflow directory, relative to the current directory. (default: the only workflow, or the one containing the current directory)",
                               valueName: "dir"))
    var workflow: String?

    /// Opens the repository: `--repo`, else `$GIT_DIR`, else the one containing the current directory.
    func open() throws -> Repository {
        if let repository { return try Repository.open(containing: repository) }
        return try Repository.openFromEnvironment()
    }

    /// The current directory relative to the working tree's top, or nil when outside it (or bare).
    func currentDirectory(in repository: Repository) -> String? {
        guard let top = repository.workingDirectory else { return nil }
        let here = URL(fileURLWithPath: self.repository ?? FileManager.default.currentDirectoryPath).standardizedFileURL
            .resolvingSymlinksInPath().path
        let topPath = URL(fileURLWithPath: top).standardizedFileURL.resolvingSymlinksInPath().path
        if here == topPath { return "" }
        guard here.hasPrefix(topPath + "/") else { return nil }
        return String(here.dropFirst(topPath.count + 1))
    }

    /// `-w` as a repository-relative directory: relative paths are taken from the current directory.
    func workflowDirectory(in repository: Repository) -> String? {
        guard let workflow else { return nil }
        if workflow.hasPrefix("/"), let top = repository.workingDirectory {
            let absolute = URL(fileURLWithPath: workflow).standardizedFileURL.resolvingSymlinksInPath().path
            let topPath = URL(fileURLWithPath: top).standardizedFileURL.resolvingSymlinksInPath().path
            if absolute == topPath { return "" }
            if absolute.hasPrefix(topPath + "/") { return String(absolute.dropFirst(topPath.count + 1)) }
            return workflow
        }
        let base = currentDirectory(in: repository) ?? ""
        return WorkflowLocator.normalise(base.isEmpty ? workflow : "\(base)/\(workflow)")
    }
}

/// Prints to standard error.
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// The library's error types carry complete messages; print them as they are.
func mapErrors<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch {
        throw userFacing(error)
    }
}

func mapErrors<T>(_ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch {
        throw userFacing(error)
    }
}

func userFacing(_ error: Error) -> Error {
    switch error {
    case let error as GitError: return ValidationFailure(error.message)
    case let error as DeployError: return ValidationFailure(error.message)
    case let error as DeployRefused: return ValidationFailure(error.description)
    case let error as WorkflowRejected: return ValidationFailure(error.description)
    case let error as KubeAPIError: return ValidationFailure(error.description)
    case let error as KubeConfigError: return ValidationFailure(error.description)
    case let error as HookError: return ValidationFailure(error.message)
    case let error as RolloutIncomplete: return ValidationFailure(error.message)
    case let error as SpecErrors: return ValidationFailure(error.description)
    default: return error
    }
}

/// `error` as it is printed: the parser's own errors as they are, the library's with their
/// complete messages, anything else in words, never as a Swift type name.
func plainError(_ error: Error) -> Error {
    if String(reflecting: type(of: error)).hasPrefix("ArgumentParser.") { return error }
    let mapped = userFacing(error)
    if mapped is ValidationFailure { return mapped }
    return ValidationFailure(plainDescription(of: error))
}

/// Words for an error no library type explains (a decoding error, a file error, a system error).
func plainDescription(of error: Error) -> String {
    switch error {
    case let error as DecodingError:
        return describe(error)
    case is EncodingError:
        return "cannot encode the output"
    case is CancellationError:
        return "cancelled"
    case let error as POSIXError:
        return String(cString: strerror(error.code.rawValue))
    case let error as CocoaError:
        return error.localizedDescription
    default:
        let typeName = String(reflecting: type(of: error))
        if typeName.hasPrefix("Foundation.") { return error.localizedDescription }
        let ours = ["Deploy.", "GitFiles.", "GitShim.", "Hooks.", "KubeClient.", "pipedreamer."].contains { typeName.hasPrefix($0) }
        if ours { return String(describing: error) }
        return "unexpected error: \(words(String(describing: error)))"
    }
}

/// A decoding error as what was wrong and where, without the Swift types involved.
func describe(_ error: DecodingError) -> String {
    let context: DecodingError.Context
    let what: String
    switch error {
    case .dataCorrupted(let c):
        context = c
        what = "the data is not valid"
    case .keyNotFound(let key, let c):
        context = c
        what = "the key \"\(key.stringValue)\" is missing"
    case .typeMismatch(_, let c):
        context = c
        what = "a value has the wrong type"
    case .valueNotFound(_, let c):
        context = c
        what = "a value is missing"
    @unknown default:
        return "cannot read the data"
    }
    let path = context.codingPath.map(\.stringValue).joined(separator: ".")
    return "cannot read the data: \(what)\(path.isEmpty ? "" : " at \(path)")"
}

/// `NIOSSLError.uncleanShutdown` → `unclean shutdown`: a case name in words, without its type.
func words(_ text: String) -> String {
    var name = Substring(text)
    if let open = name.firstIndex(of: "(") { name = name[..<open] }
    if let dot = name.lastIndex(of: ".") { name = name[name.index(after: dot)...] }
    let phrase = IdentifierWords.phrase(name)
    return phrase.isEmpty ? "no description" : phrase
}

/// A failure whose message is already complete; printed as `Error: <message>`, exit code 1.
struct ValidationFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
