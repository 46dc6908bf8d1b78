import FlowrunCore
import FlowrunExpressions
import Foundation

/// Respond to Webhook (`n8n-nodes-base.respondToWebhook`, v1 to 1.5): answers the request that
/// started the execution (Webhook with `responseMode: responseNode`) and passes its input on.
///
/// Parameters are evaluated for item 0, as in n8n. Only the first response of an execution is
/// sent; later ones are ignored. Outside a webhook execution (`flowrun run`) nothing is sent.
struct RespondToWebhookNode: Node {
    static let description = NodeDescription(
        type: "n8n-nodes-base.respondToWebhook", typeVersions: [1, 1.1, 1.2, 1.3, 1.4, 1.5],
        displayName: "Respond to Webhook", hasSideEffects: true)

    static let modes = ["allIncomingItems", "binary", "firstIncomingItem", "json", "jwt", "noData", "redirect", "text"]

    let respondWith: String
    let responseBody: Param<JSONValue?>
    let redirectURL: Param<String>
    let responseDataSource: String
    let inputFieldName: Param<String>
    let responseCode: Param<Double?>
    let responseHeaders: [(name: Param<String>, value: Param<String>)]
    let responseKey: Param<String>

    init(configuration c: NodeConfiguration) throws {
        let p = c.parameters
        respondWith = p["respondWith"].choice(Self.modes, default: "firstIncomingItem").constantValue ?? "firstIncomingItem"
        if respondWith == "jwt" { p["respondWith"].report("responding with a JWT is not supported by flowrun yet") }
        responseBody = p["responseBody"].json(default: .string("{\n  \"myField\": \"value\"\n}"))
        redirectURL = p["redirectURL"].string(default: "")
        responseDataSource = p["responseDataSource"].literal(default: "automatically").stringValue ?? "automatically"
        inputFieldName = p["inputFieldName"].string(default: "data")
        let options = p["options"]
        let code = options["responseCode"].json(default: nil)
        responseCode = code.map { value -> Double? in
            switch value {
            case .number(let n)?: return n
            case .string(let s)?: return Double(s)
            default: return nil
            }
        }
        responseHeaders = options["responseHeaders"]["entries"].elements().map { ($0["name"].string(), $0["value"].string()) }
        responseKey = options["responseKey"].string(default: "")
    }

    func execute(_ input: NodeInput, context: ExecutionContext) async throws -> [[Item]] {
        let items = input.main
        guard let responder = WebhookResponding.current else {
            context.logger.info("No webhook request waits for a response", metadata: ["flowrun.node.name": "\(context.nodeName)"])
            return [items]
        }
        let response = try makeResponse(items, context: context)
        _ = await responder.respond(response)
        return [items]
    }

    func makeResponse(_ items: [Item], context: ExecutionContext) throws -> WebhookResponse {
        var status = try responseCode.value(for: 0, in: context).map { Int($0) } ?? (respondWith == "redirect" ? 307 : 200)
        var headers: [HTTPField] = []
        var body: [UInt8] = []
        let key = try responseKey.value(for: 0, in: context)
        func wrapped(_ value: JSONValue) -> JSONValue { key.isEmpty ? value : .object([key: value]) }
        let jsonType = HTTPField("Content-Type", "application/json; charset=utf-8")
        switch respondWith {
        case "allIncomingItems":
            headers.append(jsonType)
            body = Array(wrapped(.array(items.map { .object($0.json) })).jsonString().utf8)
        case "firstIncomingItem":
            headers.append(jsonType)
            body = Array(wrapped(.object(items.first?.json ?? [:])).jsonString().utf8)
        case "json":
            let value = try responseBody.value(for: 0, in: context)
            let parsed: JSONValue
            switch value {
            case .string(let text)?:
                do {
                    parsed = text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? .object([:]) : try JSONValue(parsing: text)
                } catch {
                    throw context.error("Invalid JSON in 'Response Body' field", code: .configuration)
                }
            case let other?: parsed = other
            case nil: parsed = .object([:])
            }
            headers.append(jsonType)
            body = Array(parsed.jsonString().utf8)
        case "text":
            let value = try responseBody.value(for: 0, in: context)
            headers.append(HTTPField("Content-Type", "text/html; charset=utf-8"))
            body = Array((value?.stringValue ?? value.map { $0.jsonString() } ?? "").utf8)
        case "binary":
            guard let item = items.first else { throw context.error("No item to return was found") }
            let field = responseDataSource == "set" ? try inputFieldName.value(for: 0, in: context) : (item.binary?.keys.first ?? "data")
            guard let binary = item.binary?[field]?.objectValue, let data = binary["data"]?.stringValue,
                let bytes = Data(base64Encoded: data)
            else {
                throw context.error("No binary data property \"\(field)\" exists on item!")
            }
            headers.append(HTTPField("Content-Type", binary["mimeType"]?.stringValue ?? "application/octet-stream"))
            body = Array(bytes)
        case "redirect":
            headers.append(HTTPField("Location", try redirectURL.value(for: 0, in: context)))
            if status < 300 || status > 399 { status = 307 }
        case "noData":
            break
        default:
            throw context.error("Respond to Webhook: responding with \"\(respondWith)\" is not supported by flowrun", code: .configuration)
        }
        for header in responseHeaders {
            let name = try header.name.value(for: 0, in: context)
            guard !name.isEmpty else { continue }
            let value = try header.value.value(for: 0, in: context)
            headers.removeAll { $0.name.lowercased() == name.lowercased() }
            headers.append(HTTPField(name, value))
        }
        return WebhookResponse(status: status, headers: headers, body: body)
    }
}
