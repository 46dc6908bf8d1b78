public import FlowrunCore
public import FlowrunExpressions
import Foundation

/// A Webhook node's n8n parameters as the server needs them: where it listens, how it answers and
/// how the request becomes an item. Read once, at load time, from literal parameter values
/// (expressions are not allowed in these fields: n8n resolves them at activation, before any item).
public struct WebhookTriggerSpec: Sendable, Hashable {
    public enum ResponseMode: String, Sendable, Hashable, CaseIterable {
        case onReceived, lastNode, responseNode, streaming
    }

    /// `path` as written, leading and trailing `/` removed.
    public var path: String
    public var multipleMethods: Bool
    /// The accepted methods, upper-case (one unless `multipleMethods`).
    public var methods: [String]
    public var responseMode: ResponseMode
    public var responseCode: Int
    /// lastNode: `firstEntryJson` (default), `firstEntryBinary`, `allEntries`, `noData`.
    public var responseData: String
    public var responseBinaryPropertyName: String
    /// `none`, `basicAuth`, `headerAuth`, `jwtAuth`.
    public var authentication: String
    /// `options.binaryPropertyName` (v1 `binaryData` mode, multipart file names, v2 binary bodies).
    public var binaryPropertyName: String?
    /// v1 `options.binaryData`: the whole body becomes binary.
    public var binaryData: Bool
    public var rawBody: Bool
    public var ignoreBots: Bool
    /// `options.ipWhitelist` split on commas (empty: everyone).
    public var ipWhitelist: [String]
    public var noResponseBody: Bool
    /// `options.responseData`: the onReceived body.
    public var onReceivedBody: String?
    public var responseContentType: String?
    public var responseHeaders: [HTTPField]
    public var responsePropertyName: String?
    /// `options.allowedOrigins` (CORS), `*` by default in n8n.
    public var allowedOrigins: String?
    public var typeVersion: Double
    /// Problems with the parameters (reported as load diagnostics).
    public var problems: [String] = []

    public init(parameters p: JSONObject, typeVersion: Double, nodeName: String = "") {
        self.typeVersion = typeVersion
        let options = p["options"]?.objectValue ?? [:]
        var problems: [String] = []
        func literal(_ value: JSONValue?, _ name: String) -> String? {
            guard let s = value?.stringValue else { return nil }
            if s.hasPrefix("=") {
                problems.append("parameter \"\(name)\": expressions are not supported in webhook \(name)s")
                return String(s.dropFirst())
            }
            return s
        }
        var path = literal(p["path"], "path") ?? ""
        while path.hasPrefix("/") { path.removeFirst() }
        while path.hasSuffix("/") { path.removeLast() }
        self.path = path
        multipleMethods = typeVersion >= 2 && (p["multipleMethods"]?.boolValue ?? false)
        if multipleMethods {
            let list = p["httpMethod"]?.arrayValue?.compactMap(\.stringValue) ?? ["GET", "POST"]
            methods = list.map { $0.uppercased() }
        } else {
            methods = [(p["httpMethod"]?.stringValue ?? "GET").uppercased()]
        }
        let mode = p["responseMode"]?.stringValue ?? "onReceived"
        if let m = ResponseMode(rawValue: mode) {
            responseMode = m
        } else {
            problems.append("parameter \"responseMode\": unknown value \"\(mode)\"")
            responseMode = .onReceived
        }
        if responseMode == .streaming { problems.append("parameter \"responseMode\": streaming responses are not supported by flowrun") }
        responseCode = Self.responseCode(p, options: options, typeVersion: typeVersion)
        responseData = p["responseData"]?.stringValue ?? "firstEntryJson"
        responseBinaryPropertyName = p["responseBinaryPropertyName"]?.stringValue ?? "data"
        authentication = p["authentication"]?.stringValue ?? "none"
        binaryPropertyName = options["binaryPropertyName"]?.stringValue
        binaryData = typeVersion < 2 && (options["binaryData"]?.boolValue ?? false)
        rawBody = options["rawBody"]?.boolValue ?? false
        ignoreBots = options["ignoreBots"]?.boolValue ?? false
        ipWhitelist = (options["ipWhitelist"]?.stringValue ?? "").split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        noResponseBody = options["noResponseBody"]?.boolValue ?? false
        onReceivedBody = options["responseData"]?.stringValue
        responseContentType = options["responseContentType"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
        responseHeaders = (options["responseHeaders"]?["entries"]?.arrayValue ?? []).compactMap { entry in
            guard let name = entry["name"]?.stringValue, !name.isEmpty else { return nil }
            return HTTPField(name, entry["value"]?.stringValue ?? "")
        }
        responsePropertyName = options["responsePropertyName"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
        allowedOrigins = options["allowedOrigins"]?.stringValue
        self.problems = problems
    }

    /// v1/1.1: top-level `responseCode`; v2+: `options.responseCode.values.{responseCode, customCode}`.
    static func responseCode(_ p: JSONObject, options: JSONObject, typeVersion: Double) -> Int {
        if typeVersion < 2 { return p["responseCode"]?.numberValue.map { Int($0) } ?? 200 }
        switch options["responseCode"] {
        case .number(let n)?: return Int(n)
        case .object(let o)?:
            let values = o["values"]?.objectValue ?? o
            if values["responseCode"]?.stringValue == "customCode" {
                return values["customCode"]?.numberValue.map { Int($0) } ?? 200
            }
            return values["responseCode"]?.numberValue.map { Int($0) } ?? 200
        default: return 200
        }
    }

    /// Whether the path has `:name` segments (then it is served under the node's webhookId).
    public var isDynamic: Bool { path.hasPrefix(":") || path.contains("/:") }
}
