// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "pipedreamer",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "pipedreamer", targets: ["pipedreamer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // libgit2 from the system (Debian: libgit2-dev). Only GitShim imports it.
        .systemLibrary(
            name: "CLibGit2",
            pkgConfig: "libgit2",
            providers: [.apt(["libgit2-dev"]), .brew(["libgit2"])]
        ),
        .target(name: "GitShim", dependencies: ["CLibGit2"]),
        .target(name: "Deploy", dependencies: ["GitShim", "Yams"]),
        .target(name: "Hooks", dependencies: ["Deploy", "GitShim"]),
        .executableTarget(
            name: "pipedreamer",
            dependencies: [
                "Deploy", "GitShim", "Hooks",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "GitShimTests", dependencies: ["GitShim", "TestSupport"]),
        .testTarget(name: "DeployTests", dependencies: ["Deploy", "GitShim", "TestSupport", "Yams"]),
        .testTarget(name: "HooksTests", dependencies: ["Hooks", "Deploy", "GitShim", "TestSupport"]),
        .testTarget(name: "CLITests", dependencies: ["pipedreamer", "TestSupport", "Yams"]),
    ]
)
