// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "pipedreamer",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "pipedreamer", targets: ["pipedreamer"]),
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
        .target(name: "GitShim", dependencies: ["CLibGit2"]),
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
        .target(name: "Deploy", dependencies: ["GitShim", "KubeClient", "Yams", .product(name: "Crypto", package: "swift-crypto")]),
        .target(name: "Hooks", dependencies: ["Deploy", "GitShim", "KubeClient"]),
        .executableTarget(
            name: "pipedreamer",
            dependencies: [
                "Deploy", "GitShim", "Hooks", "KubeClient",
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
        .testTarget(name: "GitShimTests", dependencies: ["GitShim", "TestSupport"]),
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
        .testTarget(name: "DeployTests", dependencies: ["Deploy", "GitShim", "KubeClient", "TestSupport", "KubeTestServer", "Yams"]),
        .testTarget(name: "HooksTests", dependencies: ["Hooks", "Deploy", "GitShim", "KubeClient", "TestSupport"]),
        .testTarget(name: "CLITests", dependencies: ["pipedreamer", "KubeTestServerMain", "TestSupport", "KubeTestServer", "Yams"]),
        .testTarget(name: "KubeTestServerTests", dependencies: ["KubeTestServer", "TestSupport"]),
    ]
)
