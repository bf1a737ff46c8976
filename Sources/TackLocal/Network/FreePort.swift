import Foundation

/// Free TCP ports on loopback, found by binding port 0 and asking the kernel which port it chose.
public enum FreePort {
    /// A TCP port that was free on 127.0.0.1 a moment ago.
    public static func next() throws(LocalRuntimeError) -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw .io(path: "socket", errno: errno) }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        guard bound else { throw .io(path: "127.0.0.1:0", errno: errno) }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// `count` distinct free ports.
    public static func next(_ count: Int) throws(LocalRuntimeError) -> [Int] {
        var ports: [Int] = []
        while ports.count < count {
            let port = try next()
            if !ports.contains(port) { ports.append(port) }
        }
        return ports
    }
}
