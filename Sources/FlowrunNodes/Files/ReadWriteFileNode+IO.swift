import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension ReadWriteFileNode {
    /// The whole file at a resolved path, opened without following a final symbolic link (n8n's
    /// `O_NOFOLLOW`).
    static func contents(of path: String) throws -> [UInt8] {
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { throw FileSystemError(errno: errno, syscall: "open", path: path) }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw FileSystemError(errno: errno, syscall: "read", path: path)
            }
            if n == 0 { return bytes }
            bytes.append(contentsOf: buffer[..<n])
        }
    }

    /// Writes (truncating, n8n's flag `w`) or appends (`a`) to a resolved path, creating it.
    static func write(_ bytes: [UInt8], to path: String, append: Bool) throws {
        let flags = O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC | (append ? O_APPEND : O_TRUNC)
        let fd = open(path, flags, 0o666)
        guard fd >= 0 else { throw FileSystemError(errno: errno, syscall: "open", path: path) }
        defer { close(fd) }
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, bytes.count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                throw FileSystemError(errno: errno, syscall: "write", path: path)
            }
            offset += n
        }
    }
}
