// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "pipedreamer",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "pipedreamer", targets: ["pipedreamer"]),
        // What the installed pre-commit and pre-merge-commit hooks run first: it answers a commit that
        // touches no workflow without starting the full tool, and execs `pipedreamer hook` otherwise.
        .executable(name: "pipedreamer-hook", targets: ["PipedreamerHook"]),
        .executable(name: "kube-test-server", targets: ["KubeTestServerMain"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-certificates", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1", from: "1.7.4"),
    ],
    targets: [
        // libgit2 from the system (Debian: libgit2-dev). Only GitShim imports it.
        .systemLibrary(
            name: "CLibGit2",
            pkgConfig: "libgit2",
            providers: [.apt(["libgit2-dev"]), .brew(["libgit2"])]
        ),
        // zlib from the system (Debian: zlib1g-dev, a dependency of libgit2-dev), for GitFiles.
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"]), .brew(["zlib"])]),
        // Git's own files (index, loose and packed objects, refs) read without libgit2 or Foundation.
        .target(name: "GitFiles", dependencies: ["CZlib"]),
        .target(name: "GitShim", dependencies: ["CLibGit2", "GitFiles"]),
        // What a workflow ships and why it cannot: the bundle rules the hooks, render and deploy
        // share, with the pre-commit check that runs over GitFiles alone. No libgit2, no Foundation.
        .target(name: "WorkflowBundle", dependencies: ["GitFiles"]),
        // A Kubernetes REST client that knows nothing of workflows. Only it imports the HTTP, NIO and TLS libraries.
        .target(
            name: "KubeClient",
            dependencies: [
                "Yams",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(name: "Deploy", dependencies: ["GitShim", "GitFiles", "WorkflowBundle", "KubeClient", "Yams", .product(name: "Crypto", package: "swift-crypto")]),
        .target(name: "Hooks", dependencies: ["Deploy", "GitShim", "GitFiles", "WorkflowBundle", "KubeClient"]),
        // Only GitFiles and WorkflowBundle, so that it starts as fast as git itself: no libgit2, Foundation or HTTP stack.
        // Linked fully statically on Linux: the dynamic loader's symbol lookups alone cost more than
        // the hook's question. (No test target may depend on it: the flag would reach the test
        // bundle's link. `swift build` and `swift test` build it as a product of this package.)
        .executableTarget(
            name: "PipedreamerHook",
            dependencies: ["GitFiles", "WorkflowBundle"],
            path: "Sources/pipedreamer-hook",
            linkerSettings: [.unsafeFlags(["-static-executable"], .when(platforms: [.linux]))]
        ),
        .executableTarget(
            name: "pipedreamer",
            dependencies: [
                "Deploy", "GitFiles", "GitShim", "Hooks", "KubeClient", "WorkflowBundle",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // A local Kubernetes API server that enforces the real API rules, for tests and manual trials.
        .target(
            name: "KubeTestServer",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                "Yams",
            ],
            path: "Tests/KubeTestServer",
            exclude: ["README.md"]
        ),
        .executableTarget(
            name: "KubeTestServerMain",
            dependencies: ["KubeTestServer", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Tests/KubeTestServerMain"
        ),
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "GitShimTests", dependencies: ["GitShim", "GitFiles", "WorkflowBundle", "TestSupport"]),
        .testTarget(
            name: "KubeClientTests",
            dependencies: [
                "KubeClient", "TestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        .testTarget(name: "DeployTests", dependencies: ["Deploy", "GitShim", "GitFiles", "WorkflowBundle", "KubeClient", "TestSupport", "KubeTestServer", "Yams", .product(name: "Crypto", package: "swift-crypto")]),
        .testTarget(name: "HooksTests", dependencies: ["Hooks", "Deploy", "GitShim", "GitFiles", "WorkflowBundle", "KubeClient", "TestSupport"]),
        .testTarget(name: "CLITests", dependencies: ["pipedreamer", "KubeTestServerMain", "TestSupport", "KubeTestServer", "Yams", "GitFiles", "WorkflowBundle", .product(name: "Crypto", package: "swift-crypto")]),
        .testTarget(name: "KubeTestServerTests", dependencies: ["KubeTestServer", "TestSupport"]),
    ]
)
