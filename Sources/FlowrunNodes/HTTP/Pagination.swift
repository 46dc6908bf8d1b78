import FlowrunCore
import FlowrunExpressions

/// The `options.pagination.pagination` settings, kept as compiled parameters: their expressions
/// are resolved before every request with `$response`, `$request` and `$pageCount` (n8n's
/// `requestWithAuthenticationPaginated`).
struct Pagination: Sendable {
    var mode: Param<String>
    var nextURL: Param<JSONValue?>
    /// `[{type: qs|body|headers, name, value}]`.
    var parameters: Param<JSONValue?>
    var completeWhen: Param<String>
    var statusCodesWhenComplete: Param<String>
    /// The raw `completeExpression` text (n8n strips `={{` … `}}` and builds its own expression).
    var completeExpression: Param<Bool>?
    var completeExpressionSource: String
    var limitPagesFetched: Param<Bool>
    var maxRequests: Param<Int>
    var requestInterval: Param<Double>
    /// Whether the mode is a constant other than `off` (or an expression).
    var isOn: Bool

    init?(_ p: ParameterReader) {
        guard p.isPresent else { return nil }
        mode = p["paginationMode"].choice(["off", "updateAParameterInEachRequest", "responseContainsNextURL"], default: "updateAParameterInEachRequest")
        isOn = mode.constantValue.map { $0 != "off" } ?? true
        nextURL = p["nextURL"].json(default: "")
        parameters = p["parameters"]["parameters"].json(default: .array([]))
        completeWhen = p["paginationCompleteWhen"].choice(["responseIsEmpty", "receiveSpecificStatusCodes", "other"], default: "responseIsEmpty")
        statusCodesWhenComplete = p["statusCodesWhenComplete"].string(default: "")
        let source = p["completeExpression"].literal(default: "").stringValue ?? ""
        completeExpressionSource = source
        completeExpression = source.hasPrefix("=") ? p["completeExpression"].bool(default: false) : nil
        limitPagesFetched = p["limitPagesFetched"].bool(default: false)
        maxRequests = p["maxRequests"].int(default: 100)
        requestInterval = p["requestInterval"].number(default: 0)
    }
}

extension HTTPRequestNode {
    /// Requests page after page until the completion rule says stop, `maxRequests` is reached, or
    /// a non-2xx answer arrives while another page is wanted (then n8n's error).
    func paginate(_ request: PreparedRequest, pagination p: Pagination, http: any HTTPTransport, context: ExecutionContext) async throws -> [FetchedResponse] {
        let i = request.index
        var results: [FetchedResponse] = []
        var variables: JSONObject = ["$request": request.options.jsonValue, "$response": .object([:]), "$pageCount": 0, "$version": .number(version)]
        let mode = try p.mode.value(for: i, in: context)
        while true {
            try Task.checkCancellation()
            let scoped = context.adding(variables: variables)
            var paging = JSONObject()
            let firstPage = results.isEmpty
            if mode == "responseContainsNextURL" {
                // Before the first answer `$response` is empty; n8n's template engine turns the
                // resulting TypeError into undefined, so the first request uses the node's URL.
                if !firstPage { paging["url"] = try p.nextURL.value(for: i, in: scoped) }
            } else {
                let rows = try p.parameters.value(for: i, in: scoped)?.arrayValue ?? []
                if rows.count == 1, rows[0]["name"]?.coercedString ?? "" == "", rows[0]["value"]?.coercedString ?? "" == "" {
                    throw NodeError(.invalidParameter, "At least one entry with 'Name' and 'Value' filled must be included in 'Parameters' to use 'Update a Parameter in Each Request' mode ", node: context.nodeName, itemIndex: i)
                }
                for (n, row) in rows.enumerated() {
                    let name = row["name"]?.coercedString ?? ""
                    let type = row["type"]?.stringValue ?? "qs"
                    guard !name.isEmpty else {
                        throw NodeError(.invalidParameter, "Parameter name must be set for parameter [\(n + 1)] in pagination settings", node: context.nodeName, itemIndex: i)
                    }
                    guard ["qs", "body", "headers"].contains(type) else {
                        throw NodeError(.invalidParameter, "Parameter type must be one of: body, headers, qs for parameter [\(n + 1)] in pagination settings", node: context.nodeName, itemIndex: i)
                    }
                    let value = row["value"] ?? .string("")
                    if value == .string("") {
                        throw NodeError(.invalidParameter, "Some value must be provided for parameter [\(n + 1)] in pagination settings, omitting it will result in an infinite loop", node: context.nodeName, itemIndex: i)
                    }
                    var section = paging[type]?.objectValue ?? [:]
                    HTTPEncoding.set(&section, path: name, value: value)
                    paging[type] = .object(section)
                }
            }
            let options = request.options.applying(pagination: paging)
            if let next = paging["url"]?.stringValue, !(next.hasPrefix("http://") || next.hasPrefix("https://")) {
                let parameter = mode == "responseContainsNextURL" ? "Next URL" : "URL"
                throw NodeError(.invalidParameter, "'\(next)' is not a valid URL.", detail: "Make sure the \"\(parameter)\" parameter evaluates to a valid URL.",
                                node: context.nodeName, itemIndex: i)
            }
            let response = try await send(options.spec(), request: request, http: http, context: context, failOnStatus: false, itemIndex: i)
            let contentType = response.header("content-type") ?? ""
            var body: JSONValue
            if request.responseFormat == "file" {
                body = .object([:])
            } else {
                let text = HTTPEncoding.decodeText(response.body, contentType: contentType)
                body = contentType.contains("application/json") ? ((try? JSONValue(parsing: text)) ?? .object([:])) : .string(text)
            }
            results.append(FetchedResponse(data: response, parsedBody: request.responseFormat == "file" ? nil : body))
            let pageCount = (variables["$pageCount"]?.numberValue ?? 0) + 1
            variables["$response"] = .object([
                "body": body, "headers": HTTPResponseFields.headers(response), "statusCode": .number(Double(response.status)),
                "statusMessage": .string(response.statusText),
            ])
            variables["$pageCount"] = .number(pageCount)
            let scopedAfter = context.adding(variables: variables)
            if try p.limitPagesFetched.value(for: i, in: scopedAfter) {
                let max = try p.maxRequests.value(for: i, in: scopedAfter)
                if max > 0 && Int(pageCount) >= max { break }
            }
            guard try shouldContinue(p, response: response, body: body, neverError: request.neverError, index: i, context: scopedAfter) else { break }
            let interval = try p.requestInterval.value(for: i, in: scopedAfter)
            if interval > 0 { try await context.sleep(for: .milliseconds(Int(interval))) }
            if !(200..<300).contains(response.status) {
                throw HTTPAPIError.status(
                    response.status, statusText: response.statusText, body: response.body, contentType: contentType,
                    retryAfter: response.header("retry-after"), secrets: request.secrets, node: context.nodeName, itemIndex: i)
            }
        }
        return results
    }

    private func shouldContinue(_ p: Pagination, response: HTTPResponseData, body: JSONValue, neverError: Bool, index i: Int, context: ExecutionContext) throws -> Bool {
        switch try p.completeWhen.value(for: i, in: context) {
        case "receiveSpecificStatusCodes":
            let codes = try p.statusCodesWhenComplete.value(for: i, in: context).split(separator: ",")
                .compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
            return !codes.contains(response.status)
        case "other":
            guard let expression = p.completeExpression else {
                throw NodeError(.invalidParameter, "Invalid or empty Complete Expression", node: context.nodeName, itemIndex: i)
            }
            let complete = try expression.value(for: i, in: context)
            if neverError { return !complete }
            return !complete || !(200..<300).contains(response.status)
        default:
            if case .array(let a) = body { return !a.isEmpty }
            switch body {
            case .null: return false
            case .bool(let b): return b
            case .number(let n): return n != 0 && !n.isNaN
            case .string(let s): return !s.isEmpty
            default: return true
            }
        }
    }
}
