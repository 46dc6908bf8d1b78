import FlowrunCore
import FlowrunExpressions

extension HTTPRequestNode {
    /// Turns one v1/v2 answer into items (`json` and `string` formats; files take the v4 path,
    /// which gives the same item). As n8n's v1/v2: the client parses JSON whatever the content
    /// type unless the body content type is raw; a JSON array is one item unless `splitIntoItems`.
    func legacyOutputItems(from fetched: FetchedResponse, request: PreparedRequest, index: Int, context: ExecutionContext) throws -> [Item] {
        let response = fetched.data
        let pairing = [PairedItem(item: index)]
        let text = HTTPEncoding.decodeText(response.body, contentType: response.header("content-type") ?? "")
        let parsesJSON = request.legacy?.parsesJSON ?? true
        var full: JSONObject {
            [
                "headers": HTTPResponseFields.headers(response), "statusCode": .number(Double(response.status)),
                "statusMessage": .string(response.statusText),
            ]
        }
        if request.responseFormat == "text" {
            // An empty answer is `undefined` in n8n: the property is left out.
            var json = JSONObject()
            if !text.isEmpty {
                var value = JSONValue.string(text)
                if parsesJSON, !HTTPEncoding.isBlank(text), let parsed = try? JSONValue(parsing: text) { value = parsed }
                json[request.outputPropertyName] = value
            }
            if request.fullResponse { for (k, v) in full { json[k] = v } }
            return [Item(json: json, pairedItem: pairing)]
        }
        let value: JSONValue
        if HTTPEncoding.isBlank(text) {
            value = .object([:])
        } else if let parsed = try? JSONValue(parsing: text) {
            value = parsed
        } else {
            throw NodeError(.operation, "Response body is not valid JSON. Change \"Response Format\" to \"String\"", node: context.nodeName, itemIndex: index)
        }
        if request.fullResponse {
            var json: JSONObject = ["body": value]
            for (k, v) in full { json[k] = v }
            return [Item(json: json, pairedItem: pairing)]
        }
        if case .array(let elements) = value {
            if request.legacy?.splitIntoItems == true {
                return elements.map { Item(json: Self.itemJSON($0), pairedItem: pairing) }
            }
            // n8n emits the array itself as the item's json; flowrun's item json is an object, so
            // the array becomes the object JavaScript sees as its keys ("0", "1", ...).
            var o = JSONObject()
            for (i, element) in elements.enumerated() { o[String(i)] = element }
            return [Item(json: o, pairedItem: pairing)]
        }
        return [Item(json: Self.itemJSON(value), pairedItem: pairing)]
    }
}
