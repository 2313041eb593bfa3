import Foundation

/// A small HTTP CONNECT proxy (python3) for tests: it logs each CONNECT line with the
/// Proxy-Authorization it got, answers 407 without the expected credentials, answers `status`
/// instead of tunnelling when given, and otherwise carries the bytes both ways.
final class KubeTestProxy: @unchecked Sendable {
    let port: Int
    private let process: Process
    private let scratch: KubeScratch

    var url: String { "http://127.0.0.1:\(port)" }

    /// `CONNECT host:port HTTP/1.1 auth=<Proxy-Authorization>` per tunnel asked for.
    var log: [String] { scratch.read("proxy.log").split(separator: "\n").map(String.init) }

    init(expectedAuthorization: String? = nil, status: Int? = nil) throws {
        scratch = KubeScratch()
        let script = scratch.write("proxy.py", Self.source)
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script, status.map(String.init) ?? "tunnel", expectedAuthorization ?? "", "\(scratch.path)/proxy.log"]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        var line = Data()
        while let byte = try output.fileHandleForReading.read(upToCount: 1), !byte.isEmpty, byte != Data("\n".utf8) {
            line.append(byte)
        }
        guard let port = Int(String(decoding: line, as: UTF8.self)) else { throw CocoaError(.fileReadCorruptFile) }
        self.port = port
    }

    /// SIGKILL: the test process may block SIGTERM, and the proxy inherits its signal mask.
    func stop() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    static let source = #"""
    import socket, sys, threading
    mode, expected, log = sys.argv[1], sys.argv[2], sys.argv[3]
    server = socket.socket()
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    print(server.getsockname()[1], flush=True)

    def pump(source, target):
        try:
            while True:
                data = source.recv(65536)
                if not data:
                    break
                target.sendall(data)
        except OSError:
            pass
        finally:
            try:
                target.shutdown(socket.SHUT_WR)
            except OSError:
                pass

    def handle(client):
        reader = client.makefile("rb")
        line = reader.readline().decode().strip()
        headers = {}
        while True:
            header = reader.readline().decode()
            if header in ("\r\n", "\n", ""):
                break
            name, _, value = header.partition(":")
            headers[name.strip().lower()] = value.strip()
        auth = headers.get("proxy-authorization", "")
        with open(log, "a") as out:
            out.write(line + " auth=" + auth + "\n")
        if expected and auth != expected:
            client.sendall(b"HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"test\"\r\nContent-Length: 0\r\n\r\n")
            client.close()
            return
        if mode != "tunnel":
            client.sendall(("HTTP/1.1 %s Refused\r\nContent-Length: 0\r\n\r\n" % mode).encode())
            client.close()
            return
        host, port = line.split(" ")[1].rsplit(":", 1)
        upstream = socket.create_connection((host.strip("[]"), int(port)))
        client.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
        threading.Thread(target=pump, args=(client, upstream), daemon=True).start()
        pump(upstream, client)

    while True:
        connection, _ = server.accept()
        threading.Thread(target=handle, args=(connection,), daemon=True).start()
    """#
}
