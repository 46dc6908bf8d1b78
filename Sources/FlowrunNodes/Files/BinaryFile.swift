import FlowrunExpressions
import Foundation

/// n8n's `prepareBinaryData` for a file read from disk (a stream, so the type comes from the
/// name only): `mimeType` from the extension (mime-types' `lookup`, `text/plain` when unknown),
/// `fileType`, `fileExtension`, base64 `data`, `directory`, `fileName`, `fileSize`, `bytes`.
enum BinaryFile {
    static func data(_ bytes: [UInt8], path: String) -> JSONObject {
        var extensionFromType: String?
        var mimeType = lookup(path)
        if mimeType == nil {
            mimeType = "text/plain"
            extensionFromType = "txt"  // mime-types' `extension("text/plain")`
        } else {
            extensionFromType = firstExtension[mimeType!]
        }
        var o: JSONObject = ["mimeType": .string(mimeType!)]
        if let fileType = fileType(mimeType!) { o["fileType"] = .string(fileType) }
        o["fileExtension"] = extensionFromType.map(JSONValue.string) ?? .null
        o["data"] = .string(Data(bytes).base64EncodedString())
        let (directory, base) = split(path)
        if !directory.isEmpty { o["directory"] = .string(directory) }
        o["fileName"] = .string(base)
        if let dot = base.lastIndex(of: "."), dot != base.startIndex, base.index(after: dot) != base.endIndex {
            o["fileExtension"] = .string(String(base[base.index(after: dot)...]))
        }
        if o["fileExtension"] == .null { o.removeValue(forKey: "fileExtension") }
        o["fileSize"] = .string(HTTPRequestNode.fileSize(bytes.count))
        o["bytes"] = .number(Double(bytes.count))
        return o
    }

    /// Node's `path.parse`: (`dir`, `base`).
    static func split(_ path: String) -> (String, String) {
        var trimmed = Substring(path)
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        guard let slash = trimmed.lastIndex(of: "/") else { return ("", String(trimmed)) }
        let directory = slash == trimmed.startIndex ? "/" : String(trimmed[..<slash])
        return (directory, String(trimmed[trimmed.index(after: slash)...]))
    }

    /// n8n-workflow's `fileTypeFromMimeType`.
    static func fileType(_ mimeType: String) -> String? {
        if mimeType.hasPrefix("application/json") { return "json" }
        if mimeType.hasPrefix("text/html") { return "html" }
        if mimeType.hasPrefix("image/") { return "image" }
        if mimeType.hasPrefix("audio/") { return "audio" }
        if mimeType.hasPrefix("video/") { return "video" }
        if mimeType.hasPrefix("text/") || mimeType.hasPrefix("application/javascript") { return "text" }
        if mimeType.hasPrefix("application/pdf") { return "pdf" }
        return nil
    }

    /// mime-types' `lookup`: the extension of `"x." + path`, lowercased, in mime-db's table.
    static func lookup(_ path: String) -> String? {
        let (_, base) = split("x." + path)
        guard let dot = base.lastIndex(of: "."), dot != base.startIndex else { return nil }
        let ext = base[base.index(after: dot)...].lowercased()
        return ext.isEmpty ? nil : types[ext]
    }

    /// Common extensions with the type mime-types (mime-db 1.52) gives them.
    static let types: [String: String] = [
        "txt": "text/plain", "text": "text/plain", "log": "text/plain", "conf": "text/plain", "ini": "text/plain",
        "list": "text/plain", "def": "text/plain", "in": "text/plain",
        "csv": "text/csv", "tsv": "text/tab-separated-values", "html": "text/html", "htm": "text/html", "shtml": "text/html",
        "css": "text/css", "md": "text/markdown", "markdown": "text/markdown", "yaml": "text/yaml", "yml": "text/yaml",
        "ics": "text/calendar", "vcf": "text/x-vcard", "rtf": "application/rtf", "xml": "application/xml",
        "json": "application/json", "map": "application/json", "js": "application/javascript", "mjs": "application/javascript",
        "pdf": "application/pdf", "zip": "application/zip", "gz": "application/gzip", "tar": "application/x-tar",
        "7z": "application/x-7z-compressed", "rar": "application/vnd.rar", "bin": "application/octet-stream",
        "exe": "application/octet-stream", "dll": "application/octet-stream", "sql": "application/sql",
        "wasm": "application/wasm", "doc": "application/msword", "dot": "application/msword",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xls": "application/vnd.ms-excel", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "ppt": "application/vnd.ms-powerpoint", "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "odt": "application/vnd.oasis.opendocument.text", "ods": "application/vnd.oasis.opendocument.spreadsheet",
        "epub": "application/epub+zip", "eml": "message/rfc822",
        "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "jpe": "image/jpeg", "gif": "image/gif",
        "svg": "image/svg+xml", "svgz": "image/svg+xml", "webp": "image/webp", "bmp": "image/bmp", "tif": "image/tiff",
        "tiff": "image/tiff", "ico": "image/vnd.microsoft.icon", "avif": "image/avif", "heic": "image/heic",
        "mp3": "audio/mpeg", "m4a": "audio/mp4", "oga": "audio/ogg", "ogg": "audio/ogg", "opus": "audio/ogg",
        "weba": "audio/webm", "mid": "audio/midi", "midi": "audio/midi",
        "mp4": "video/mp4", "m4v": "video/x-m4v", "mov": "video/quicktime", "avi": "video/x-msvideo", "webm": "video/webm",
        "mpeg": "video/mpeg", "mpg": "video/mpeg", "mkv": "video/x-matroska", "ts": "video/mp2t",
        "woff": "font/woff", "woff2": "font/woff2", "ttf": "font/ttf", "otf": "font/otf",
    ]

    /// mime-types' `extension(type)` (the first of mime-db's extensions) for the types above.
    static let firstExtension: [String: String] = [
        "text/plain": "txt", "text/csv": "csv", "text/html": "html", "text/css": "css", "text/markdown": "md",
        "text/yaml": "yaml", "application/json": "json", "application/javascript": "js", "application/pdf": "pdf",
        "application/zip": "zip", "application/xml": "xml", "image/png": "png", "image/jpeg": "jpeg", "image/gif": "gif",
        "image/svg+xml": "svg", "audio/mpeg": "mpga", "video/mp4": "mp4", "application/octet-stream": "bin",
    ]
}
