import Foundation

/// A port on 127.0.0.1 held by a socket that is bound but never listens: a connection to it is
/// refused at once, and no server that a concurrent test starts can take the port while it is
/// held (a stopped server's port can be, which made "connection refused" tests flaky).
public final class RefusingPort: @unchecked Sendable {
    /// The port.
    public let port: Int
    private let descriptor: Int32

    /// Reserves a port.
    public init() throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw FreePort.Failure(description: "socket() failed") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0
            }
        }
        guard bound else {
            close(descriptor)
            throw FreePort.Failure(description: "no free port on 127.0.0.1")
        }
        self.descriptor = descriptor
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    deinit { close(descriptor) }
}
