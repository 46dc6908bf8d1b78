import FlowrunCore
import FlowrunExpressions
import Foundation

/// Response pieces as n8n's node shows them.
enum HTTPResponseFields {
    /// Node's `IncomingMessage.headers`: lower-case names, repeated headers joined with ", "
    /// (`set-cookie` as a list).
    static func headers(_ response: HTTPResponseData) -> JSONValue {
        var o = JSONObject()
        for field in response.headers {
            let name = field.name.lowercased()
            if name == "set-cookie" {
                var list = o[name]?.arrayValue ?? []
                list.append(.string(field.value))
                o[name] = .array(list)
            } else if case .string(let existing)? = o[name] {
                o[name] = .string(existing + ", " + field.value)
            } else {
                o[name] = .string(field.value)
            }
        }
        return .object(o)
    }

    /// n8n's `binaryContentTypes`: answers kept as files when the format is autodetected.
    static let binaryContentTypes = [
        "image/", "audio/", "video/", "application/octet-stream", "application/gzip", "application/zip",
        "application/vnd.rar", "application/epub+zip", "application/x-bzip", "application/x-bzip2", "application/x-cdf",
        "application/vnd.amazon.ebook", "application/msword",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "application/vnd.ms-fontobject",
        "application/vnd.oasis.opendocument.presentation", "application/pdf", "application/x-tar", "application/vnd.visio",
        "application/vnd.ms-excel", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/x-7z-compressed",
    ]
}

extension HTTPRequestNode {
    /// Turns one response into output items (n8n's response loop: autodetect, json, text, file,
    /// full response).
    func outputItems(from fetched: FetchedResponse, request: PreparedRequest, input: Item, index: Int, context: ExecutionContext) throws -> [Item] {
        let response = fetched.data
        let pairing = [PairedItem(item: index)]
        let contentType = response.header("content-type") ?? ""
        var format = request.responseFormat
        var body: JSONValue?
        if let parsed = fetched.parsedBody {
            body = parsed
            if format == "autodetect" {
                format = HTTPEncoding.contains(contentType, "application/json") ? "json"
                    : HTTPResponseFields.binaryContentTypes.contains(where: { HTTPEncoding.contains(contentType, $0) }) ? "file" : "text"
            }
        } else if format == "autodetect" {
            if HTTPEncoding.contains(contentType, "application/json") {
                format = "json"
                if let parsed = Self.parseUTF8JSON(response.body, contentType: contentType) {
                    body = parsed
                } else if HTTPEncoding.isBlank(HTTPEncoding.decodeText(response.body, contentType: contentType)) {
                    body = .object([:])
                } else if let parsed = try? JSONValue(parsing: HTTPEncoding.decodeText(response.body, contentType: contentType)) {
                    body = parsed
                } else if request.neverError {
                    body = .object([:])
                } else {
                    throw NodeError(.operation, "Invalid JSON in response body", node: context.nodeName, itemIndex: index)
                }
            } else if HTTPResponseFields.binaryContentTypes.contains(where: { HTTPEncoding.contains(contentType, $0) }) {
                format = "file"
            } else {
                format = "text"
                let text = HTTPEncoding.decodeText(response.body, contentType: contentType)
                body = text.isEmpty ? nil : .string(text)
            }
        } else if format == "json" || format == "text" {
            let text = HTTPEncoding.decodeText(response.body, contentType: contentType)
            // With `json: true` the client already parsed JSON answers.
            if HTTPEncoding.contains(contentType, "application/json"), let parsed = try? JSONValue(parsing: text) {
                body = parsed
            } else {
                body = text.isEmpty && format == "text" ? nil : .string(text)
            }
        }
        // Only full responses show these; building the headers object for every answer cost a
        // dictionary per response.
        var full: JSONObject {
            [
                "headers": HTTPResponseFields.headers(response), "statusCode": .number(Double(response.status)),
                "statusMessage": .string(response.statusText),
            ]
        }
        switch format {
        case "file":
            var item = Item(json: request.fullResponse ? full : input.json, binary: input.binary ?? [:], pairedItem: pairing)
            item.binary?[request.outputPropertyName] = binaryData(response.body, contentType: contentType, url: response.url.isEmpty ? request.options.url : response.url)
            return [item]
        case "text":
            let text: JSONValue? = body.map { $0.stringValue.map(JSONValue.string) ?? .string($0.jsonString()) }
            var json = JSONObject()
            if let text { json[request.outputPropertyName] = text }
            if request.fullResponse { for (k, v) in full { json[k] = v } }
            return [Item(json: json, pairedItem: pairing)]
        default:
            var value = body ?? .object([:])
            if case .string(let text) = value {
                if HTTPEncoding.isBlank(text) {
                    value = .object([:])
                } else if let parsed = try? JSONValue(parsing: text) {
                    value = parsed
                } else {
                    throw NodeError(.operation, "Response body is not valid JSON. Change \"Response Format\" to \"Text\"",
                                    node: context.nodeName, itemIndex: index)
                }
            }
            if request.fullResponse {
                var json: JSONObject = ["body": value]
                for (k, v) in full { json[k] = v }
                return [Item(json: json, pairedItem: pairing)]
            }
            if case .array(let elements) = value {
                return elements.map { Item(json: Self.itemJSON($0), pairedItem: pairing) }
            }
            return [Item(json: Self.itemJSON(value), pairedItem: pairing)]
        }
    }

    /// A JSON answer in UTF-8 parsed from its bytes, as `JSONValue(parsing: decodeText(...))`
    /// would parse it; nil when that takes the text path: another charset, a byte-order mark,
    /// bytes that are blank or not JSON as they are (the text path then decides).
    static func parseUTF8JSON(_ bytes: [UInt8], contentType: String) -> JSONValue? {
        guard !bytes.starts(with: [0xEF, 0xBB, 0xBF]), HTTPEncoding.declaredEncoding(contentType: contentType) == nil,
            bytes.contains(where: { !HTTPEncoding.isASCIIWhitespace($0) })
        else { return nil }
        return try? JSONValue(parsing: bytes)
    }

    /// An element as item json: objects as they are, `null` as `{}` (n8n's replaceNullValues);
    /// other values are kept under `data` (n8n would emit them bare, which no later node can read).
    static func itemJSON(_ value: JSONValue) -> JSONObject {
        switch value {
        case .object(let o): o
        case .null: [:]
        default: ["data": value]
        }
    }

    /// n8n's `prepareBinaryData` for a downloaded file (file name from the URL path).
    func binaryData(_ bytes: [UInt8], contentType: String, url: String) -> JSONValue {
        let mimeType = contentType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        var o: JSONObject = ["data": .string(Data(bytes).base64EncodedString())]
        o["mimeType"] = .string(mimeType.isEmpty ? "application/octet-stream" : mimeType)
        let path = URL(string: url)?.path ?? ""
        let name = path.split(separator: "/").last.map(String.init) ?? ""
        if !name.isEmpty {
            o["fileName"] = .string(name)
            if let dot = name.lastIndex(of: "."), dot != name.startIndex { o["fileExtension"] = .string(String(name[name.index(after: dot)...])) }
        }
        let type = mimeType.split(separator: "/").first.map(String.init) ?? ""
        if ["image", "video", "audio", "text"].contains(type) { o["fileType"] = .string(type) } else if mimeType.contains("json") { o["fileType"] = "json" } else if mimeType.contains("pdf") { o["fileType"] = "pdf" }
        o["fileSize"] = .string(Self.fileSize(bytes.count))
        return .object(o)
    }

    /// pretty-bytes as n8n shows `fileSize` ("12 B", "1.23 kB").
    static func fileSize(_ count: Int) -> String {
        if count < 1000 { return "\(count) B" }
        let units = ["kB", "MB", "GB", "TB"]
        var value = Double(count)
        var unit = -1
        while value >= 1000 && unit < units.count - 1 {
            value /= 1000
            unit += 1
        }
        let text = String(format: "%.3g", value)
        return "\(text) \(units[unit])"
    }
}
