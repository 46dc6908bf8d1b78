import FlowrunCore
import FlowrunExpressions

/// HTTP Request (`n8n-nodes-base.httpRequest`, typeVersion 3 to 4.4): one request per input item
/// (plus pagination), through `context.services.http`, with n8n's parameters, body encodings,
/// response formats and errors (docs: nodes/httpRequest.md).
struct HTTPRequestNode: Node {
    static let description = NodeDescription(
        type: "n8n-nodes-base.httpRequest", typeVersions: [3, 4, 4.1, 4.2, 4.3, 4.4], displayName: "HTTP Request",
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

    init(configuration c: NodeConfiguration) throws {
        let p = c.parameters
        version = c.typeVersion
        credentialReferences = c.credentials ?? [:]
        method = p["method"].choice(["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"], default: "GET")
        url = p["url"].value(default: "")
        authentication = p["authentication"].choice(["none", "genericCredentialType", "predefinedCredentialType"], default: "none")
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
        var prepared: [Int: Result<PreparedRequest, NodeError>] = [:]
        var outcomes: [Int: Result<[FetchedResponse], NodeError>] = [:]
        try await withThrowingTaskGroup(of: (Int, Result<[FetchedResponse], NodeError>).self) { group in
            for index in items.indices {
                try Task.checkCancellation()
                let request: PreparedRequest
                do {
                    request = try await prepare(item: items[index], index: index, context: context)
                } catch let error as NodeError {
                    guard context.continueOnFail else { throw error }
                    prepared[index] = .failure(error)
                    continue
                }
                prepared[index] = .success(request)
                if index > 0, request.batchInterval > 0, index % request.batchSize == 0 {
                    try await context.sleep(for: .milliseconds(request.batchInterval))
                }
                group.addTask { (index, await self.fetch(request, http: http, context: context)) }
            }
            for try await (index, outcome) in group { outcomes[index] = outcome }
        }
        var output: [Item] = []
        for index in items.indices {
            let pairing = [PairedItem(item: index)]
            do {
                guard case .success(let request)? = prepared[index] else {
                    if case .failure(let error)? = prepared[index] {
                        output.append(Item(json: ["error": .string(error.message)], pairedItem: pairing))
                    }
                    continue
                }
                switch outcomes[index] {
                case .success(let responses)?:
                    for response in responses {
                        output += try outputItems(from: response, request: request, input: items[index], index: index, context: context)
                    }
                case .failure(let error)?:
                    guard context.continueOnFail else { throw error }
                    output.append(Item(json: ["error": HTTPAPIError.itemError(error)], pairedItem: pairing))
                case nil:
                    continue
                }
            } catch let error as NodeError {
                guard context.continueOnFail else { throw error }
                output.append(Item(json: ["error": .string(error.message)], pairedItem: pairing))
            }
        }
        return [output]
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
}

/// One response with its body; `parsedBody` is set when pagination already parsed it.
struct FetchedResponse: Sendable {
    var data: HTTPResponseData
    var parsedBody: JSONValue?
}
