import FlowrunCore
import FlowrunExpressions

extension HTTPRequestNode {
    /// Builds item `i`'s request as n8n's HTTP Request v1/v2 does (`requestOptions` for its
    /// request client): UI or JSON parameters, body content type, binary bodies, options, auth.
    ///
    /// - Throws: `NodeError` naming the parameter (URL, JSON fields, binary data, credentials).
    func prepareLegacy(_ legacy: LegacyHTTPParameters, item: Item, index i: Int, context: ExecutionContext, hosts: inout HostCache) async throws -> PreparedRequest {
        let urlText = try resolvedURL(index: i, context: context)
        let method = try legacy.requestMethod.value(for: i, in: context).uppercased()
        let opts = try legacy.options.value(for: i, in: context)?.objectValue ?? [:]
        let format = try legacy.responseFormat.value(for: 0, in: context)
        let bodyType = opts["bodyContentType"]?.stringValue ?? ""
        let isRaw = bodyType == "raw"

        var request = HTTPRequestOptions(method: method, url: urlText)
        request.arrayFormat = opts["useQueryString"]?.coercedBool == true ? "repeat" : "indices"
        let timeout = opts["timeout"]?.coercedNumber ?? 3_600_000
        request.timeout = .milliseconds(Int(timeout > 0 ? timeout : 3_600_000))
        request.allowUnauthorizedCertificates = try legacy.allowUnauthorizedCerts.value(for: i, in: context)
        if let proxy = opts["proxy"]?.stringValue, !proxy.isEmpty { request.proxy = proxy }
        // The request client follows GET/HEAD redirects unless `followRedirect` is false, others
        // only with `followAllRedirects`; an unfollowed 3xx is a non-2xx answer.
        let followGetHead = opts["followRedirect"]?.coercedBool ?? true
        let followAll = opts["followAllRedirects"]?.coercedBool ?? false
        request.followRedirects = followAll || (followGetHead && (method == "GET" || method == "HEAD"))

        var body: JSONValue?
        var binaryBody: HTTPRequestOptions.Body?
        if try legacy.jsonParameters.value(for: i, in: context) {
            if try legacy.sendBinaryData.value(for: i, in: context) {
                binaryBody = try legacyBinaryBody(legacy, bodyType: bodyType, item: item, index: i, context: context)
            } else {
                body = try legacyJSONParameter(legacy.bodyParametersJson, name: "bodyParametersJson", displayName: "Body Parameters", raw: isRaw, index: i, context: context)
            }
            let headers = try legacyJSONParameter(legacy.headerParametersJson, name: "headerParametersJson", displayName: "Headers", raw: isRaw, index: i, context: context)
            if case .object(let h)? = headers { request.headers = h }
            let qs = try legacyJSONParameter(legacy.queryParametersJson, name: "queryParametersJson", displayName: "Query Parameters", raw: isRaw, index: i, context: context)
            if case .object(let q)? = qs { request.qs = q }
        } else {
            if let rows = try legacy.bodyParametersUi.value(for: i, in: context)?["parameter"] {
                var o = JSONObject()
                for row in Self.rows(rows) { o[row["name"]?.coercedString ?? ""] = row["value"] ?? .string("") }
                body = .object(o)
            }
            if let rows = try legacy.headerParametersUi.value(for: i, in: context)?["parameter"] {
                var o = JSONObject()
                for row in Self.rows(rows) { o[(row["name"]?.coercedString ?? "").lowercased()] = row["value"] ?? .string("") }
                request.headers = o
            }
            if let rows = try legacy.queryParametersUi.value(for: i, in: context)?["parameter"] {
                request.qs = keyValues(.array(Self.rows(rows)), multi: true)
            }
        }

        let sendsForm = ["PATCH", "POST", "PUT"].contains(method)
        if let binaryBody {
            request.body = binaryBody
        } else if sendsForm, bodyType == "multipart-form-data" {
            let fields = body?.objectValue ?? [:]
            request.body = .multipart(fields.map { MultipartPart(name: $0.key, value: Array($0.value.coercedString.utf8)) })
        } else if sendsForm, bodyType == "form-urlencoded" {
            request.body = .form(body?.objectValue ?? [:])
        } else if let body {
            // JSON (file downloads send `JSON.stringify(body)`, the same bytes); raw sends text as it is.
            request.body = isRaw ? .bytes(Array((body.stringValue ?? body.jsonString()).utf8)) : .json(body)
        }
        if format == "file", !isRaw, sendsForm { Self.setContentType(&request, "application/json") }
        if let mime = opts["bodyContentCustomMimeType"]?.stringValue, !mime.isEmpty { Self.setContentType(&request, mime) }

        let secrets = try await applyLegacyCredentials(legacy, &request, index: i, context: context)
        // n8n checks `headers.accept` only; any spelling counts here, so no second Accept is sent.
        if request.headers.keys.first(where: { HTTPField.namesMatch($0, "accept") }) == nil {
            request.headers["accept"] = switch format {
            case "json": "application/json,text/*;q=0.99"
            case "string": "application/json,text/html,application/xhtml+xml,application/xml,text/*;q=0.9, */*;q=0.1"
            default: "application/json,text/html,application/xhtml+xml,application/xml,text/*;q=0.9, image/*;q=0.8, */*;q=0.7"
            }
        }
        // n8n batches only when both options are set: batchSize >= 0 (0 counts as 1), batchInterval > 0.
        var batchSize = 1
        var batchInterval = 0
        if let size = opts["batchSize"]?.coercedNumber, let interval = opts["batchInterval"]?.coercedNumber, size >= 0, interval > 0 {
            batchSize = max(1, Int(size))
            batchInterval = Int(interval)
        }
        return PreparedRequest(
            options: request, responseFormat: format == "string" ? "text" : format, fullResponse: opts["fullResponse"]?.coercedBool ?? false,
            neverError: opts["ignoreResponseCode"]?.coercedBool ?? false, outputPropertyName: try legacy.dataPropertyName.value(for: 0, in: context),
            batchSize: batchSize, batchInterval: batchInterval, secrets: secrets, target: hosts.host(of: urlText), pagination: nil, index: i,
            legacy: LegacyResponse(splitIntoItems: opts["splitIntoItems"]?.coercedBool ?? false, parsesJSON: !isRaw && format != "file"))
    }

    /// A `*ParametersJson` value: nil when empty; objects as they are; text parsed as JSON unless
    /// the body content type is raw (n8n's error names the field's display name).
    private func legacyJSONParameter(
        _ param: Param<JSONValue?>, name: String, displayName: String, raw: Bool, index i: Int, context: ExecutionContext
    ) throws -> JSONValue? {
        guard let value = try param.value(for: i, in: context) else { return nil }
        guard case .string(let text) = value else { return value.isNull ? nil : value }
        if text.isEmpty { return nil }
        if raw { return value }
        do {
            return try JSONValue(parsing: text)
        } catch {
            throw NodeError(.invalidParameter,
                            "The data in \"\(displayName)\" is no valid JSON. Set Body Content Type to \"RAW/Custom\" for XML or other types of payloads",
                            node: context.nodeName, parameter: name, itemIndex: i)
        }
    }

    /// `sendBinaryData`: the binary property as the raw body, or `key:property` pairs as multipart files.
    private func legacyBinaryBody(
        _ legacy: LegacyHTTPParameters, bodyType: String, item: Item, index i: Int, context: ExecutionContext
    ) throws -> HTTPRequestOptions.Body {
        let node = context.nodeName
        guard bodyType == "raw" || bodyType == "multipart-form-data" else {
            throw NodeError(.invalidParameter,
                            "Sending binary data is only supported when option \"Body Content Type\" is set to \"RAW/CUSTOM\" or \"FORM-DATA/MULTIPART\"!",
                            node: node, parameter: "options.bodyContentType", itemIndex: i)
        }
        let names = try legacy.binaryPropertyName.value(for: i, in: context)
        if bodyType == "raw" {
            return .bytes(try binary(item: item, field: names, index: i, context: context, parameter: "binaryPropertyName").0)
        }
        let entries = names.split(separator: ",", omittingEmptySubsequences: false).map { HTTPEncoding.trimmingWhitespace(String($0)) }
        var parts: [MultipartPart] = []
        for entry in entries {
            var key = "file"
            var property = entry
            if let colon = entry.firstIndex(of: ":") {
                key = String(entry[..<colon])
                property = String(entry[entry.index(after: colon)...].prefix { $0 != ":" })
            } else if entries.count > 1 {
                throw NodeError(.invalidParameter,
                                "If more than one property should be send it is needed to define the in the format:<code>\"sendKey1:binaryProperty1,sendKey2:binaryProperty2\"</code>",
                                node: node, parameter: "binaryPropertyName", itemIndex: i)
            }
            let (bytes, mimeType, fileName) = try binary(item: item, field: property, index: i, context: context, parameter: "binaryPropertyName")
            parts.removeAll { $0.name == key }
            parts.append(MultipartPart(name: key, value: bytes, fileName: fileName ?? "file", contentType: mimeType))
        }
        return .multipart(parts)
    }

    /// v1/v2 credentials: basic, header and query auth (and for v2 the predefined types the v4 node
    /// serves); digest and OAuth fail naming the type instead of sending an unauthenticated request.
    private func applyLegacyCredentials(_ legacy: LegacyHTTPParameters, _ request: inout HTTPRequestOptions, index i: Int, context: ExecutionContext) async throws -> [String] {
        let authentication = try legacy.authentication.value(for: 0, in: context)
        guard let type = LegacyHTTPParameters.credentialType(
            authentication: authentication, generic: try legacy.genericAuthType.value(for: 0, in: context),
            predefined: try legacy.nodeCredentialType.value(for: 0, in: context), version: version)
        else { return [] }
        let predefined = authentication == "predefinedCredentialType"
        if !predefined {
            switch type {
            case "httpBasicAuth", "httpHeaderAuth", "httpQueryAuth": break
            case "httpDigestAuth", "oAuth1Api", "oAuth2Api":
                throw NodeError(.credentials, "Credential type \"\(type)\" is not supported by flowrun's HTTP Request node (typeVersion \(JSNumberFormatting.string(version)))",
                                detail: "Use httpBasicAuth, httpHeaderAuth or httpQueryAuth, or upgrade the node to typeVersion 4.",
                                node: context.nodeName, parameter: "authentication", itemIndex: i)
            default:
                // n8n's v2 applies only these generic types and sends the request without others.
                return []
            }
        }
        let credential = try await context.services.credentials.resolve(type: type, reference: credentialReferences[type], node: context.nodeName)
        try Self.apply(credential, type: type, to: &request, node: context.nodeName, itemIndex: i)
        return credential.data.values.compactMap { value -> String? in
            guard case .string(let s) = value, !s.isEmpty else { return nil }
            return s
        }
    }

    /// A fixedCollection's `parameter` rows (a lone object counts as one row).
    static func rows(_ value: JSONValue) -> [JSONValue] {
        switch value {
        case .array(let a): a.filter { $0.objectValue != nil }
        case .object: [value]
        default: []
        }
    }

    /// Replaces any `content-type` header (whatever its case) with `Content-Type: value`.
    static func setContentType(_ request: inout HTTPRequestOptions, _ value: String) {
        for name in request.headers.keys where HTTPField.namesMatch(name, "content-type") { request.headers[name] = nil }
        request.headers["Content-Type"] = .string(value)
    }
}
