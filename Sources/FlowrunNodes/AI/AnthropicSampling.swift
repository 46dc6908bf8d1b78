import FlowrunCore
import Foundation
import FlowrunExpressions

/// The Messages API request options shared by the Anthropic node (`options.maxTokens`) and the
/// Anthropic chat model (`options.maxTokensToSample`): only options present in the node's
/// parameters are sent, as n8n does.
struct AnthropicSampling: Sendable {
    let system: Param<String?>?
    let maxTokens: Param<Int>
    let temperature: Param<Double>?
    let topP: Param<Double>?
    let topK: Param<Double>?
    /// flowrun's addition: `options.stopSequences`, a comma-separated string or a list.
    let stopSequences: Param<JSONValue?>?
    let thinking: Param<Bool>
    let thinkingBudget: Param<Int>

    init(_ o: ParameterReader, maxTokensField: String, defaultMaxTokens: Int) {
        system = o["system"].isPresent ? o["system"].optionalString() : nil
        maxTokens = o[maxTokensField].int(default: defaultMaxTokens)
        temperature = o["temperature"].isPresent ? o["temperature"].number() : nil
        topP = o["topP"].isPresent ? o["topP"].number() : nil
        topK = o["topK"].isPresent ? o["topK"].number() : nil
        stopSequences = o["stopSequences"].isPresent ? o["stopSequences"].json() : nil
        thinking = o["thinking"].bool(default: false)
        thinkingBudget = o["thinkingBudget"].int(default: 1024)
    }

    /// Adds `max_tokens`, `system`, `temperature`, `top_p`, `top_k`, `stop_sequences` (and
    /// `thinking`) to a request body, in n8n's order.
    func apply(to body: inout JSONObject, itemIndex i: Int, context: ExecutionContext, extraSystem: String? = nil) throws {
        let max = try maxTokens.value(for: i, in: context)
        guard max >= 1 else {
            throw NodeError(.invalidParameter, "maxTokens must be at least 1", node: context.nodeName, parameter: maxTokens.path, itemIndex: i)
        }
        body["max_tokens"] = .number(Double(max))
        let systems = [try system?.value(for: i, in: context) ?? nil, extraSystem].compactMap { $0 }.filter { !$0.isEmpty }
        if !systems.isEmpty { body["system"] = .string(systems.joined(separator: "\n")) }
        if try thinking.value(for: i, in: context) {
            // n8n unsets the sampling options when thinking is on (the API refuses them).
            body["thinking"] = .object(["type": "enabled", "budget_tokens": .number(Double(try thinkingBudget.value(for: i, in: context)))])
        } else {
            if let temperature { body["temperature"] = .number(try temperature.value(for: i, in: context)) }
            if let topP { body["top_p"] = .number(try topP.value(for: i, in: context)) }
            // lmChatAnthropic's -1 means "off".
            if let topK, case let k = try topK.value(for: i, in: context), k >= 0 { body["top_k"] = .number(k.rounded(.towardZero)) }
        }
        if let stopSequences, let raw = try stopSequences.value(for: i, in: context) {
            let list: [String]
            switch raw {
            case .string(let s): list = s.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            case .array(let a): list = a.map(\.coercedString)
            default: list = [raw.coercedString]
            }
            let stops = list.filter { !$0.isEmpty }
            if !stops.isEmpty { body["stop_sequences"] = .array(stops.map(JSONValue.string)) }
        }
    }

    /// A resource locator (`{__rl, mode, value}`) or a plain model id.
    static func modelID(_ value: JSONValue?) -> String {
        switch value {
        case .object(let o)?: o["value"].map(\.coercedString) ?? ""
        case .string(let s)?: s
        case let other?: other.isNull ? "" : other.coercedString
        case nil: ""
        }
    }

    /// The text blocks of a response's `content`, joined (n8n's merged response).
    static func text(of content: JSONValue) -> String {
        (content.arrayValue ?? []).compactMap { $0["type"]?.stringValue == "text" ? $0["text"]?.stringValue : nil }.joined()
    }
}
