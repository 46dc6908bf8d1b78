import FlowrunCore
import FlowrunExpressions
import Foundation

extension HTTPRequestNode {
    /// Builds item `index`'s request as n8n's node does (query, headers, body, auth, options).
    ///
    /// - Throws: `NodeError` naming the parameter (URL, JSON fields, binary data, credentials).
    func prepare(item: Item, index i: Int, context: ExecutionContext, hosts: inout HostCache) async throws -> PreparedRequest {
        if let legacy { return try await prepareLegacy(legacy, item: item, index: i, context: context, hosts: &hosts) }
        let urlText = try resolvedURL(index: i, context: context)
        let method = try self.method.value(for: i, in: context).uppercased()
        let opts = try options.value(for: i, in: context)?.objectValue ?? [:]
        let response = opts["response"]?["response"]?.objectValue ?? [:]
        let responseFormat = response["responseFormat"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 } ?? "autodetect"
        let neverError = response["neverError"]?.coercedBool ?? false
        let batch = opts["batching"]?["batch"]?.objectValue
        let size = batch.map { Int($0["batchSize"]?.coercedNumber ?? 50) } ?? 1
        let interval = batch.map { Int($0["batchInterval"]?.coercedNumber ?? 1000) } ?? 0

        var request = HTTPRequestOptions(method: method, url: urlText)
        if let timeout = opts["timeout"]?.coercedNumber, timeout > 0 { request.timeout = .milliseconds(Int(timeout)) }
        request.allowUnauthorizedCertificates = opts["allowUnauthorizedCerts"]?.coercedBool ?? false
        if let proxy = opts["proxy"]?.stringValue, !proxy.isEmpty { request.proxy = proxy }
        if let format = opts["queryParameterArrays"]?.stringValue, !format.isEmpty { request.arrayFormat = format }
        let redirect = opts["redirect"]?["redirect"]?.objectValue
        let defaultRedirect = version >= 4 && opts["redirect"] == nil
        if redirect?["followRedirects"]?.coercedBool == true || defaultRedirect { request.followRedirects = true }
        if let max = redirect?["maxRedirects"]?.coercedNumber, max > 0 { request.maxRedirects = Int(max) }

        try buildBody(&request, item: item, index: i, context: context)
        if try sendQuery.value(for: i, in: context) {
            if try specifyQuery.value(for: i, in: context) == "json" {
                request.qs = try parseJSONParameter(jsonQuery.value(for: i, in: context), field: "JSON Query Parameters", parameter: "jsonQuery", index: i, context: context)
            } else {
                request.qs = keyValues(try queryParameters.value(for: i, in: context), multi: version >= 4.3)
            }
        }
        if try sendHeaders.value(for: i, in: context) {
            var additional: JSONObject
            if try specifyHeaders.value(for: i, in: context) == "json" {
                additional = try parseJSONParameter(jsonHeaders.value(for: i, in: context), field: "JSON Headers", parameter: "jsonHeaders", index: i, context: context)
            } else {
                additional = keyValues(try headerParameters.value(for: i, in: context), multi: version >= 4.3, skipEmptyNames: true)
            }
            if opts["lowercaseHeaders"]?.coercedBool ?? true {
                additional = JSONObject(additional.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { _, b in b })
            }
            for (name, value) in additional { request.headers[name] = value }
        }
        if try sendBody.value(for: i, in: context), try contentType.value(for: i, in: context) == "raw" {
            request.headers["content-type"] = .string(try rawContentType.value(for: i, in: context))
        }
        let secrets = try await applyCredentials(&request, index: i, context: context)
        if request.headers.keys.first(where: { HTTPField.namesMatch($0, "accept") }) == nil {
            request.headers["accept"] = switch responseFormat {
            case "json": "application/json,text/*;q=0.99"
            case "text": "application/json,text/html,application/xhtml+xml,application/xml,text/*;q=0.9, */*;q=0.1"
            default: "application/json,text/html,application/xhtml+xml,application/xml,text/*;q=0.9, image/*;q=0.8, */*;q=0.7"
            }
        }
        let host = hosts.host(of: urlText)
        return PreparedRequest(
            options: request, responseFormat: responseFormat, fullResponse: response["fullResponse"]?.coercedBool ?? false,
            neverError: neverError, outputPropertyName: response["outputPropertyName"]?.stringValue ?? "data",
            batchSize: size > 0 ? size : 1, batchInterval: interval, secrets: secrets, target: host, pagination: pagination, index: i)
    }

    /// The `url` parameter for item `i`, trimmed and checked as n8n does.
    func resolvedURL(index i: Int, context: ExecutionContext) throws -> String {
        let node = context.nodeName
        let urlValue = try url.value(for: i, in: context)
        guard case .string(let rawURL)? = urlValue else {
            let kind = urlValue.map { $0.isNull ? "null" : ($0.isContainer ? "object" : $0.kindName) } ?? "undefined"
            throw NodeError(.invalidParameter, "URL parameter must be a string, got \(kind)", node: node, parameter: "url", itemIndex: i)
        }
        let urlText = HTTPEncoding.trimmingWhitespace(rawURL)
        guard !urlText.isEmpty else {
            throw NodeError(.invalidParameter, "URL parameter cannot be empty", node: node, parameter: "url", itemIndex: i)
        }
        guard urlText.hasPrefix("http://") || urlText.hasPrefix("https://") else {
            throw NodeError(.invalidParameter, "Invalid URL: \(urlText). URL must start with \"http\" or \"https\".",
                            node: node, parameter: "url", itemIndex: i)
        }
        return urlText
    }

    private func buildBody(_ request: inout HTTPRequestOptions, item: Item, index i: Int, context: ExecutionContext) throws {
        guard try sendBody.value(for: i, in: context) else { return }
        let type = try contentType.value(for: i, in: context)
        let specify = try specifyBody.value(for: i, in: context)
        var object: JSONValue?
        if specify == "keypair" || type == "multipart-form-data" {
            let rows = try bodyParameters.value(for: i, in: context)?.arrayValue ?? []
            if type == "multipart-form-data" {
                request.body = .multipart(try multipartParts(rows, item: item, index: i, context: context))
                if !["PATCH", "POST", "PUT", "GET"].contains(request.method) { request.body = .json(.object(keyValues(.array(rows), multi: false))) }
                return
            }
            if type == "json" && version >= 4 {
                var o = JSONObject()
                for row in rows where row.objectValue != nil {
                    HTTPEncoding.set(&o, path: row["name"]?.coercedString ?? "", value: row["value"] ?? .string(""))
                }
                object = .object(o)
            } else {
                object = .object(keyValues(.array(rows), multi: version >= 4.3))
            }
        } else if specify == "json" {
            let raw = try jsonBody.value(for: i, in: context)
            if case .string(let text)? = raw {
                object = try parseJSONValue(text, field: "JSON Body", parameter: "jsonBody", index: i, context: context)
            } else {
                object = raw
            }
        } else if specify == "string" {
            var o = JSONObject()
            for pair in try body.value(for: i, in: context).split(separator: "&") {
                let parts = pair.split(separator: "=", maxSplits: 1).map { String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String($0) }
                o[parts[0]] = .string(parts.count > 1 ? parts[1] : "")
            }
            object = .object(o)
        }
        if let object { request.body = .json(object) }
        guard ["PATCH", "POST", "PUT", "GET"].contains(request.method) else { return }
        switch type {
        case "form-urlencoded":
            request.body = .form(object?.objectValue ?? [:])
        case "binaryData":
            let field = try inputDataFieldName.value(for: i, in: context)
            let (bytes, mimeType, _) = try binary(item: item, field: field, index: i, context: context)
            request.body = .bytes(bytes)
            request.headers["content-length"] = .string(String(bytes.count))
            request.headers["content-type"] = .string(mimeType ?? "application/octet-stream")
        case "raw":
            request.body = .bytes(Array(try body.value(for: i, in: context).utf8))
        default:
            break
        }
    }

    private func multipartParts(_ rows: [JSONValue], item: Item, index i: Int, context: ExecutionContext) throws -> [MultipartPart] {
        var parts: [MultipartPart] = []
        for row in rows where row.objectValue != nil {
            let name = row["name"]?.coercedString ?? ""
            if row["parameterType"]?.stringValue == "formBinaryData" {
                guard let field = row["inputDataFieldName"]?.coercedString, !field.isEmpty else { continue }
                let (bytes, mimeType, fileName) = try binary(item: item, field: field, index: i, context: context)
                parts.append(MultipartPart(name: name, value: bytes, fileName: fileName ?? "file", contentType: mimeType))
            } else {
                parts.append(MultipartPart(name: name, value: Array((row["value"] ?? .string("")).coercedString.utf8)))
            }
        }
        return parts
    }

    /// n8n's `assertBinaryData`: the item's binary property decoded from base64.
    func binary(item: Item, field: String, index i: Int, context: ExecutionContext, parameter: String = "inputDataFieldName") throws -> ([UInt8], String?, String?) {
        guard let binary = item.binary, !binary.isEmpty else {
            throw NodeError(.operation, "No binary data exists on item!", node: context.nodeName, parameter: parameter, itemIndex: i)
        }
        guard let entry = binary[field]?.objectValue else {
            throw NodeError(.operation, "The item has no binary field '\(field)'", detail: "Check that the parameter where you specified the input binary field name is correct, and that it matches a field in the binary input",
                            node: context.nodeName, parameter: parameter, itemIndex: i)
        }
        guard let data = Data(base64Encoded: entry["data"]?.stringValue ?? "", options: .ignoreUnknownCharacters) else {
            throw NodeError(.operation, "The binary field '\(field)' does not hold base64 data", node: context.nodeName, parameter: parameter, itemIndex: i)
        }
        return (Array(data), entry["mimeType"]?.stringValue, entry["fileName"]?.stringValue)
    }

    /// `[{name, value}]` rows into an object (v4.3+: repeated names collect into arrays).
    func keyValues(_ rows: JSONValue?, multi: Bool, skipEmptyNames: Bool = false) -> JSONObject {
        var o = JSONObject()
        for row in rows?.arrayValue ?? [] where row.objectValue != nil {
            let name = row["name"]?.coercedString ?? ""
            if skipEmptyNames && name.isEmpty { continue }
            let value = row["value"] ?? .string("")
            if multi, let existing = o[name] {
                if case .array(var a) = existing { a.append(value); o[name] = .array(a) } else { o[name] = .array([existing, value]) }
            } else {
                o[name] = value
            }
        }
        return o
    }

    private func parseJSONParameter(_ value: JSONValue?, field: String, parameter: String, index: Int, context: ExecutionContext) throws -> JSONObject {
        switch value {
        case .object(let o)?: return o
        case .string(let text)?:
            let parsed = try parseJSONValue(text, field: field, parameter: parameter, index: index, context: context)
            return parsed.objectValue ?? [:]
        default: return [:]
        }
    }

    /// Parses a `json`-typed parameter; n8n's getNodeParameter rejects invalid JSON with this message.
    private func parseJSONValue(_ text: String, field: String, parameter: String, index: Int, context: ExecutionContext) throws -> JSONValue {
        do {
            return try JSONValue(parsing: text)
        } catch {
            throw NodeError(.invalidParameter, "JSON parameter needs to be valid JSON",
                            detail: "The value in the \"\(field)\" field is not valid JSON: \(error)",
                            node: context.nodeName, parameter: parameter, itemIndex: index)
        }
    }
}
