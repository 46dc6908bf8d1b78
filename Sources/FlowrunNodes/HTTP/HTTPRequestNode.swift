import FlowrunCore
import FlowrunExpressions
import Foundation

/// HTTP Request (`n8n-nodes-base.httpRequest`, typeVersion 1 to 4.4): one request per input item
/// (plus pagination), through `context.services.http`, with n8n's parameters, body encodings,
/// response formats and errors (docs: nodes/n8n-nodes-base.httpRequest.md). Versions 1 and 2 have
/// their own parameters (`LegacyHTTPParameters`) built into the same `PreparedRequest`.
struct HTTPRequestNode: Node {
    static let description = NodeDescription(
        type: "n8n-nodes-base.httpRequest", typeVersions: [1, 2, 3, 4, 4.1, 4.2, 4.3, 4.4], displayName: "HTTP Request",
        hasSideEffects: true)

    let version: Double
    let credentialReferences: JSONObject
    let method: Param<String>
    let url: Param<JSONValue?>
    let authentication: Param<String>
    let genericAuthType: Param<String>
    let nodeCredentialType: Param<String>
    let sendQuery: Param<Bool>
    let specifyQuery: Param<String>
    let queryParameters: Param<JSONValue?>
    let jsonQuery: Param<JSONValue?>
    let sendHeaders: Param<Bool>
    let specifyHeaders: Param<String>
    let headerParameters: Param<JSONValue?>
    let jsonHeaders: Param<JSONValue?>
    let sendBody: Param<Bool>
    let contentType: Param<String>
    let specifyBody: Param<String>
    let bodyParameters: Param<JSONValue?>
    let jsonBody: Param<JSONValue?>
    let body: Param<String>
    let rawContentType: Param<String>
    let inputDataFieldName: Param<String>
    /// `options` without `pagination` (whose expressions see `$response` and are resolved later).
    let options: Param<JSONValue?>
    let pagination: Pagination?
    /// Set for typeVersion 1 and 2, whose parameters replace all of the above but `url`.
    let legacy: LegacyHTTPParameters?

    init(configuration c: NodeConfiguration) throws {
        let p = c.parameters
        version = c.typeVersion
        credentialReferences = c.credentials ?? [:]
        method = p["method"].choice(["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"], default: "GET")
        url = p["url"].value(default: "")
        legacy = version < 3 ? LegacyHTTPParameters(p, version: version) : nil
        authentication = legacy != nil ? Param(constant: "none", path: "authentication")
            : p["authentication"].choice(["none", "genericCredentialType", "predefinedCredentialType"], default: "none")
        genericAuthType = p["genericAuthType"].string(default: "")
        nodeCredentialType = p["nodeCredentialType"].string(default: "")
        sendQuery = p["sendQuery"].bool(default: false)
        specifyQuery = p["specifyQuery"].choice(["keypair", "json"], default: "keypair")
        queryParameters = p["queryParameters"]["parameters"].json(default: .array([]))
        jsonQuery = p["jsonQuery"].json(default: "")
        sendHeaders = p["sendHeaders"].bool(default: false)
        specifyHeaders = p["specifyHeaders"].choice(["keypair", "json"], default: "keypair")
        headerParameters = p["headerParameters"]["parameters"].json(default: .array([]))
        jsonHeaders = p["jsonHeaders"].json(default: "")
        sendBody = p["sendBody"].bool(default: false)
        contentType = p["contentType"].choice(["json", "form-urlencoded", "multipart-form-data", "binaryData", "raw"], default: "json")
        specifyBody = p["specifyBody"].choice(["keypair", "json", "string"], default: "keypair")
        bodyParameters = p["bodyParameters"]["parameters"].json(default: .array([]))
        jsonBody = p["jsonBody"].json(default: "")
        body = p["body"].string(default: "")
        rawContentType = p["rawContentType"].string(default: "")
        inputDataFieldName = p["inputDataFieldName"].string(default: "data")
        var optionsRaw = p["options"].literal(default: .object([:]))
        if case .object(var o) = optionsRaw {
            o["pagination"] = nil
            optionsRaw = .object(o)
        }
        options = Param(path: "options", raw: CompiledParameter(optionsRaw)) { $0 }
        pagination = Pagination(p["options"]["pagination"]["pagination"])
    }

    func execute(_ input: NodeInput, context: ExecutionContext) async throws -> [[Item]] {
        let http = try context.require(\.http, "an HTTP client")
        let items = input.main
        // Per input item, in item order: what preparing, sending and reading its answer gave.
        // Each request's task also turns its answer into items, so parsing runs beside the other
        // requests instead of after the last one.
        var outcomes = [ItemOutcome](repeating: .skipped, count: items.count)
        var hosts = HostCache()
        // One copy of the node, transport and context for every request's task (each task copied
        // them before: dozens of references to retain and a kilobyte per request).
        let shared = SharedRun(node: self, http: http, context: context)
        try await withThrowingTaskGroup(of: (Int, ItemOutcome).self) { group in
            for index in items.indices {
                try Task.checkCancellation()
                let request: PreparedRequest
                do {
                    request = try await prepare(item: items[index], index: index, context: context, hosts: &hosts)
                } catch let error as NodeError {
                    guard context.continueOnFail else { throw error }
                    outcomes[index] = .notPrepared(error)
                    continue
                }
                if index > 0, request.batchInterval > 0, index % request.batchSize == 0 {
                    try await context.sleep(for: .milliseconds(request.batchInterval))
                }
                let item = items[index]
                group.addTask { (index, await shared.node.outcome(of: request, input: item, http: shared.http, context: shared.context)) }
            }
            for try await (index, outcome) in group { outcomes[index] = outcome }
        }
        var output: [Item] = []
        output.reserveCapacity(items.count)
        for index in items.indices {
            let pairing = [PairedItem(item: index)]
            switch outcomes[index] {
            case .items(let produced):
                output += produced
            case .notPrepared(let error):
                output.append(Item(json: ["error": .string(error.message)], pairedItem: pairing))
            case .failed(let error):
                guard context.continueOnFail else { throw error }
                let value = legacy == nil ? HTTPAPIError.itemError(error) : HTTPAPIError.legacyItemError(error)
                output.append(Item(json: ["error": value], pairedItem: pairing))
            case .unreadable(let error):
                guard context.continueOnFail else { throw error }
                output.append(Item(json: ["error": .string(error.message)], pairedItem: pairing))
            case .skipped:
                continue
            }
        }
        return [output]
    }

    /// Sends one item's request (and its pages) and turns the answers into items.
    func outcome(of request: PreparedRequest, input: Item, http: any HTTPTransport, context: ExecutionContext) async -> ItemOutcome {
        let responses: [FetchedResponse]
        switch await fetch(request, http: http, context: context) {
        case .success(let fetched): responses = fetched
        case .failure(let error): return .failed(error)
        }
        do {
            var produced: [Item] = []
            for response in responses {
                produced += try request.legacy != nil && request.responseFormat != "file"
                    ? legacyOutputItems(from: response, request: request, index: request.index, context: context)
                    : outputItems(from: response, request: request, input: input, index: request.index, context: context)
            }
            return .items(produced)
        } catch let error as NodeError {
            return .unreadable(error)
        } catch {
            return .unreadable(NodeError(.operation, "\(error)", node: context.nodeName, itemIndex: request.index))
        }
    }
}

/// What every request task of one node run shares.
final class SharedRun: Sendable {
    let node: HTTPRequestNode
    let http: any HTTPTransport
    let context: ExecutionContext

    init(node: HTTPRequestNode, http: any HTTPTransport, context: ExecutionContext) {
        self.node = node
        self.http = http
        self.context = context
    }
}

/// What became of one input item.
enum ItemOutcome: Sendable {
    /// Not sent (cancelled before its turn).
    case skipped
    /// Its request could not be built (continue-on-fail: an error item with the message).
    case notPrepared(NodeError)
    /// The call failed (continue-on-fail: n8n's error object).
    case failed(NodeError)
    /// The answer could not be read as the response format asks (continue-on-fail: the message).
    case unreadable(NodeError)
    case items([Item])
}

/// The breaker key (host) of the last URL seen: items usually share one URL, and parsing it with
/// Foundation for every item was a visible part of preparing a request.
struct HostCache {
    var url = ""
    var host = ""

    mutating func host(of url: String) -> String {
        if url == self.url, !host.isEmpty { return host }
        let parsed = URL(string: url)?.host ?? url
        self.url = url
        host = parsed
        return parsed
    }
}

/// A request built for one item, with what the response step needs to know.
struct PreparedRequest: Sendable {
    var options: HTTPRequestOptions
    var responseFormat: String
    var fullResponse: Bool
    var neverError: Bool
    var outputPropertyName: String
    var batchSize: Int
    var batchInterval: Int
    /// Credential string values, replaced in error texts.
    var secrets: [String]
    /// Breaker key: the host.
    var target: String
    var pagination: Pagination?
    /// The input item's index.
    var index: Int
    /// Set for typeVersion 1 and 2.
    var legacy: LegacyResponse? = nil
}

/// One response with its body; `parsedBody` is set when pagination already parsed it.
struct FetchedResponse: Sendable {
    var data: HTTPResponseData
    var parsedBody: JSONValue?
}
