import FlowrunCore
import FlowrunExpressions
import Foundation

/// One request as n8n's HTTP Request node builds it (its `IRequestOptions`): URL, query object,
/// headers, body by kind, transport options. Encoded into an `HTTPRequestSpec` last, so
/// pagination can merge its parameters into the query, headers and body first.
struct HTTPRequestOptions: Sendable {
    enum Body: Sendable {
        case none
        /// An object or other JSON value sent as `application/json`.
        case json(JSONValue)
        /// `application/x-www-form-urlencoded` from an object (qs-encoded).
        case form(JSONObject)
        case multipart([MultipartPart])
        /// Bytes as given (raw text, binary data); the content type is in the headers.
        case bytes([UInt8])
    }

    var method: String
    var url: String
    var qs: JSONObject = [:]
    /// Header names as written (lower-cased by the node unless `lowercaseHeaders` is false).
    var headers: JSONObject = [:]
    var body: Body = .none
    var arrayFormat: String = "brackets"
    var timeout: Duration = .milliseconds(300_000)
    var followRedirects: Bool = false
    var maxRedirects: Int = 21
    var allowUnauthorizedCertificates: Bool = false
    var proxy: String?
    var basicAuth: (user: String, password: String)?

    /// The request for the transport: query appended, default headers (`user-agent: n8n`,
    /// `accept-encoding`), auth, body encoded with its content type.
    func spec() -> HTTPRequestSpec {
        var fullURL = url
        let query = HTTPEncoding.queryString(qs, arrayFormat: arrayFormat)
        if !query.isEmpty { fullURL += (url.contains("?") ? "&" : "?") + query }
        var fields: [HTTPField] = []
        fields.reserveCapacity(headers.count + 4)
        for (name, value) in headers where !value.isNull {
            fields.append(HTTPField(name, value.coercedString))
        }
        func has(_ name: String) -> Bool { fields.contains { HTTPField.namesMatch($0.name, name) } }
        if let basicAuth, !has("authorization") {
            let token = Data("\(basicAuth.user):\(basicAuth.password)".utf8).base64EncodedString()
            fields.append(HTTPField("authorization", "Basic \(token)"))
        }
        if !has("user-agent") { fields.append(HTTPField("user-agent", "n8n")) }
        if !has("accept-encoding") { fields.append(HTTPField("accept-encoding", "gzip, deflate")) }
        var bytes: [UInt8]?
        switch body {
        case .none: break
        case .json(let value):
            bytes = Array(value.jsonString().utf8)
            if !has("content-type") { fields.append(HTTPField("content-type", "application/json")) }
        case .form(let object):
            bytes = Array(HTTPEncoding.queryString(object, arrayFormat: arrayFormat).utf8)
            if !has("content-type") { fields.append(HTTPField("content-type", "application/x-www-form-urlencoded")) }
        case .multipart(let parts):
            let boundary = HTTPEncoding.boundary()
            bytes = HTTPEncoding.multipart(parts, boundary: boundary)
            fields.removeAll { $0.name.lowercased() == "content-type" }
            fields.append(HTTPField("content-type", "multipart/form-data; boundary=\(boundary)"))
        case .bytes(let b):
            bytes = b
        }
        return HTTPRequestSpec(
            method: method, url: fullURL, headers: fields, body: bytes, timeout: timeout, followRedirects: followRedirects,
            maxRedirects: maxRedirects, allowUnauthorizedCertificates: allowUnauthorizedCertificates, proxy: proxy)
    }

    /// `$request` for pagination expressions (n8n's request options object).
    var jsonValue: JSONValue {
        var o: JSONObject = ["method": .string(method), "uri": .string(url), "qs": .object(qs), "headers": .object(headers)]
        switch body {
        case .json(let v): o["body"] = v
        case .form(let f): o["form"] = .object(f)
        default: break
        }
        return .object(o)
    }

    /// Applies pagination's resolved `{url?, qs?, headers?, body?}` (lodash `merge` semantics).
    func applying(pagination request: JSONObject) -> HTTPRequestOptions {
        var copy = self
        if let url = request["url"]?.stringValue, !url.isEmpty { copy.url = url }
        if case .object(let qs)? = request["qs"] { copy.qs = HTTPEncoding.merge(copy.qs, qs) }
        if case .object(let headers)? = request["headers"] { copy.headers = HTTPEncoding.merge(copy.headers, headers) }
        if case .object(let body)? = request["body"] {
            switch copy.body {
            case .json(.object(let existing)): copy.body = .json(.object(HTTPEncoding.merge(existing, body)))
            case .form(let existing): copy.body = .form(HTTPEncoding.merge(existing, body))
            case .none: copy.body = .json(.object(body))
            default: break
            }
        }
        return copy
    }
}

/// One part of a multipart body.
struct MultipartPart: Sendable {
    var name: String
    var value: [UInt8]
    /// Set for file parts.
    var fileName: String?
    var contentType: String?
}
