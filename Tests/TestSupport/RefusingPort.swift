import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A loopback TCP port that refuses every connection for as long as this value lives.
///
/// The socket is bound but never listens, so the kernel answers a SYN with a reset
/// (`ECONNREFUSED`) and, because the port stays bound, no other test running at the same
/// time can be given it. A port taken from a server that was started and stopped is not
/// safe: the kernel hands it to the next listener, and the "dead" address answers.
public final class RefusingPort: @unchecked Sendable {
    public let port: Int
    private let descriptor: Int32

    public init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw RefusingPortError.system("socket", errno) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { let code = errno; close(fd); throw RefusingPortError.system("bind", code) }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else { let code = errno; close(fd); throw RefusingPortError.system("getsockname", code) }
        descriptor = fd
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    /// `https://127.0.0.1:<port>`, the form the test servers' URLs take.
    public var httpsURL: String { "https://127.0.0.1:\(port)" }

    deinit { close(descriptor) }
}

public enum RefusingPortError: Error, CustomStringConvertible {
    case system(String, Int32)
    public var description: String {
        switch self {
        case .system(let call, let code): return "\(call): \(String(cString: strerror(code)))"
        }
    }
}
