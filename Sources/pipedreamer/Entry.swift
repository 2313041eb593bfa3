import Foundation

@main
enum Entry {
    static func main() async {
        // The flag was removed; say so plainly wherever it appears, before any other parsing.
        if CommandLine.arguments.dropFirst().contains(where: { $0 == "--cluster-registry" || $0.hasPrefix("--cluster-registry=") }) {
            FileHandle.standardError.write(Data("Error: flag --cluster-registry is removed; use --image instead\n".utf8))
            exit(2)
        }
        await Pipedreamer.main()
    }
}
