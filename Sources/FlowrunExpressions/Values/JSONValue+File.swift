#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a JSON file could not be read: the file itself, or its text.
public enum JSONFileError: Error, Sendable, CustomStringConvertible {
    /// The file cannot be opened or mapped (`errno`'s message).
    case unreadable(String)
    /// The text is not JSON.
    case syntax(JSONParseError)

    public var description: String {
        switch self {
        case .unreadable(let reason): "cannot read the file: \(reason)"
        case .syntax(let error): error.description
        }
    }
}

extension JSONValue {
    /// Parses the JSON file at `path` from a read-only mapping, handing the pages the parser has
    /// passed back to the kernel as it goes: a 200 MB input is then not resident beside the values
    /// made from it, nor copied into a `String` or `Data` first.
    public init(contentsOfFile path: String, maxDepth: Int = 512) throws(JSONFileError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .unreadable(Self.errnoText()) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .unreadable(Self.errnoText()) }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw .unreadable("not a regular file") }
        let size = Int(info.st_size)
        guard size > 0 else {
            do { self = try JSONValue(parsing: UnsafeRawBufferPointer(start: nil, count: 0), maxDepth: maxDepth) } catch { throw .syntax(error) }
            return
        }
        guard let base = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), base != MAP_FAILED else {
            throw .unreadable(Self.errnoText())
        }
        defer { munmap(base, size) }
        // The parser reads forward only; a page it passed (and reads again only to place an error)
        // is dropped from memory and, if touched again, read back from the file.
        _ = madvise(base, size, MADV_SEQUENTIAL)
        let bytes = UnsafeBufferPointer(start: base.assumingMemoryBound(to: UInt8.self), count: size)
        var parser = JSONParser(bytes: bytes, maxDepth: maxDepth) { offset, length in
            _ = madvise(base + offset, length, MADV_DONTNEED)
        }
        do { self = try parser.parseDocument() } catch { throw .syntax(error) }
    }

    private static func errnoText() -> String {
        String(cString: strerror(errno))
    }
}
