public import FlowrunCore
public import FlowrunExpressions
import Foundation

/// An HTTP request as the Webhook node sees it (built by the server).
public struct WebhookRequest: Sendable {
    public var method: String
    /// Header fields in arrival order (names as sent).
    public var headers: [HTTPField]
    /// The query string without `?` (percent-encoded).
    public var query: String
    public var body: [UInt8]
    /// Values of the `:name` path segments.
    public var params: JSONObject
    public var webhookURL: String
    /// Whether it came in on `/webhook-test/` (n8n's `executionMode: "test"`).
    public var isTest: Bool

    public init(
        method: String, headers: [HTTPField], query: String, body: [UInt8], params: JSONObject = [:],
        webhookURL: String = "", isTest: Bool = false
    ) {
        self.method = method
        self.headers = headers
        self.query = query
        self.body = body
        self.params = params
        self.webhookURL = webhookURL
        self.isTest = isTest
    }

    /// The first value of `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        headers.first { Self.sameFieldName($0.name, name) }?.value
    }

    /// Whether two field names are equal ignoring ASCII case (as `lowercased()` compared them for
    /// ASCII names), without making lower-cased copies.
    static func sameFieldName(_ a: String, _ b: String) -> Bool {
        a.utf8.elementsEqual(b.utf8) { x, y in
            x == y || (x | 0x20 == y | 0x20 && (x | 0x20) >= UInt8(ascii: "a") && (x | 0x20) <= UInt8(ascii: "z"))
        } || (!(a.utf8.allSatisfy { $0 < 0x80 } && b.utf8.allSatisfy { $0 < 0x80 }) && a.lowercased() == b.lowercased())
    }

    /// The media type of the body, lower-cased, without parameters.
    public var mediaType: String? {
        guard let value = header("content-type") else { return nil }
        let essence = value.utf8.prefix { $0 != UInt8(ascii: ";") }
        guard !essence.isEmpty, essence.allSatisfy({ $0 < 0x80 }) else {
            // Non-ASCII (Foundation's idea of white space), or a leading `;` (the first non-empty part).
            return value.split(separator: ";").first.map(String.init)?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
        }
        // ASCII: `.whitespaces` are space and tab here.
        let isBlank: (UInt8) -> Bool = { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
        let trimmed = essence.drop(while: isBlank).reversed().drop(while: isBlank).reversed()
        return String(decoding: trimmed.map { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") ? $0 | 0x20 : $0 }, as: UTF8.self)
    }
}

/// Builds the item n8n's Webhook node outputs: `{headers, params, query, body, webhookUrl,
/// executionMode}`, with binary data for raw bodies, v1 `binaryData`, multipart files and (v2+)
/// bodies that are not JSON, form or text.
public enum WebhookRequestItem {
    /// Errors that n8n answers with 400 ("the body is not valid JSON").
    public struct BodyError: Error, CustomStringConvertible {
        public var description: String
    }

    public static func item(for request: WebhookRequest, spec: WebhookTriggerSpec) throws(BodyError) -> Item {
        var json: JSONObject = [:]
        json["headers"] = .object(headers(request.headers))
        json["params"] = .object(request.params)
        json["query"] = .object(FormDecoding.query(request.query))
        var binary: JSONObject?
        let media = request.mediaType ?? ""
        if spec.binaryData {
            json["body"] = .object([:])
            binary = binaryProperty(request, name: spec.binaryPropertyName ?? "data")
        } else if media == "multipart/form-data" {
            let parts = try multipart(request)
            var fields: JSONObject = [:]
            var files: JSONObject = [:]
            var fileCount = 0
            for part in parts {
                if let fileName = part.fileName {
                    let key = spec.binaryPropertyName.map { "\($0)\(fileCount)" } ?? part.name
                    fileCount += 1
                    files[key] = binaryData(part.body, mimeType: part.contentType ?? "application/octet-stream", fileName: fileName)
                } else {
                    var list = fields[part.name]?.arrayValue ?? []
                    list.append(.string(String(decoding: part.body, as: UTF8.self)))
                    fields[part.name] = .array(list)
                }
            }
            json["body"] = .object(fields)
            if !files.isEmpty { binary = files }
        } else if let parsed = try parsedBody(request, media: media) {
            json["body"] = parsed
            if spec.rawBody { binary = ["data": binaryData(request.body, mimeType: media.isEmpty ? "application/json" : media, fileName: nil)] }
        } else if spec.typeVersion >= 2, !spec.rawBody, !request.body.isEmpty {
            json["body"] = .object([:])
            binary = binaryProperty(request, name: spec.binaryPropertyName ?? "data")
        } else {
            json["body"] = .object([:])
            if spec.rawBody { binary = ["data": binaryData(request.body, mimeType: media.isEmpty ? "application/json" : media, fileName: nil)] }
        }
        json["webhookUrl"] = .string(request.webhookURL)
        json["executionMode"] = .string(request.isTest ? "test" : "production")
        return Item(json: json, binary: binary)
    }

    /// Node's `req.headers`: lower-cased names, repeated fields joined with ", ".
    static func headers(_ fields: [HTTPField]) -> JSONObject {
        var out: JSONObject = [:]
        for field in fields {
            let name = field.name.lowercased()
            if case .string(let existing)? = out[name] {
                out[name] = .string(existing + ", " + field.value)
            } else {
                out[name] = .string(field.value)
            }
        }
        return out
    }

    /// JSON, url-encoded forms, XML-less text: what n8n's body parser fills `req.body` with.
    static func parsedBody(_ request: WebhookRequest, media: String) throws(BodyError) -> JSONValue? {
        if request.body.isEmpty { return media.isEmpty || media.contains("json") || media.hasSuffix("x-www-form-urlencoded") ? .object([:]) : nil }
        if media == "application/json" || media.hasSuffix("+json") {
            do {
                return try JSONValue(parsing: request.body)
            } catch {
                throw BodyError(description: "Failed to parse request body")
            }
        }
        if media == "application/x-www-form-urlencoded" {
            return .object(FormDecoding.query(String(decoding: request.body, as: UTF8.self)))
        }
        if media.hasPrefix("text/") { return .string(String(decoding: request.body, as: UTF8.self)) }
        return nil
    }

    static func binaryProperty(_ request: WebhookRequest, name: String) -> JSONObject? {
        guard !request.body.isEmpty else { return nil }
        return [name: binaryData(request.body, mimeType: request.header("content-type") ?? "application/octet-stream", fileName: nil)]
    }

    /// n8n's `IBinaryData` for bytes kept in the item (base64 `data`).
    public static func binaryData(_ bytes: [UInt8], mimeType: String, fileName: String?) -> JSONValue {
        var o: JSONObject = ["data": .string(Data(bytes).base64EncodedString()), "mimeType": .string(mimeType)]
        if let fileName {
            o["fileName"] = .string(fileName)
            if let dot = fileName.lastIndex(of: "."), dot != fileName.startIndex {
                o["fileExtension"] = .string(String(fileName[fileName.index(after: dot)...]).lowercased())
            }
        }
        o["fileSize"] = .string(byteCount(bytes.count))
        return .object(o)
    }

    static func byteCount(_ n: Int) -> String {
        if n < 1024 { return "\(n) B" }
        if n < 1024 * 1024 { return String(format: "%.1f kB", Double(n) / 1024) }
        return String(format: "%.1f MB", Double(n) / 1024 / 1024)
    }

    static func multipart(_ request: WebhookRequest) throws(BodyError) -> [MultipartParser.Part] {
        guard let type = request.header("content-type"), let boundary = MultipartParser.boundary(of: type) else {
            throw BodyError(description: "multipart/form-data without a boundary")
        }
        guard let parts = MultipartParser.parse(request.body, boundary: boundary) else {
            throw BodyError(description: "malformed multipart/form-data body")
        }
        return parts
    }
}
