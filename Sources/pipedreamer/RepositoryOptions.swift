import ArgumentParser
import Deploy
import Foundation
import GitShim
import Hooks
import KubeClient

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
    default: return error
    }
}

/// A failure whose message is already complete; printed as `Error: <message>`, exit code 1.
struct ValidationFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
