import FlowrunExpressions

/// What the Anthropic stand-in answers the Sales Machine's two prompts with, so the demo and the
/// end-to-end test see Claude's JSON rather than an echo: talking points for the enrichment prompt,
/// and a qualification (intent, confidence, suggested answer) for each of the stand-in leads'
/// reply texts. Register them with `AnthropicStandIn.reply(whenPromptContains:with:)`.
public enum SalesClaudeReplies {
    /// The enrichment prompt's marker (workflows/src/generate.py, node "Talking points").
    public static let talkingPointsMarker = "Write three short, specific talking points"

    /// Replies Claude is unsure about (confidence below 0.7 goes to the human review queue, the
    /// "Decide" Code node), besides every unclear and out-of-office one.
    static let hesitant: [String: Double] = [
        "Interesting timing, we are evaluating this right now. Happy to book a call this week.": 0.62,
        "How is this different from what we already use? Do you have a case study?": 0.55,
    ]

    /// Claude's qualification of a stand-in lead's reply text (nil for other texts).
    public static func qualification(forReply text: String) -> JSONValue? {
        guard let kind = replyKinds[text] else { return nil }
        var answer = qualification(kind: kind)
        if let confidence = hesitant[text], case .object(var object) = answer {
            object["confidence"] = .number(confidence)
            answer = .object(object)
        }
        return answer
    }

    static func qualification(kind: String) -> JSONValue {
        switch kind {
        case "interested":
            ["intent": "interested", "confidence": 0.92, "suggestedAnswer": ""]
        case "question":
            ["intent": "question", "confidence": 0.81,
             "suggestedAnswer": "Happy to explain: pricing starts at 49 EUR a month and we integrate with HubSpot. Shall I send a case study?"]
        case "not_interested":
            ["intent": "not_interested", "confidence": 0.95, "suggestedAnswer": ""]
        case "out_of_office":
            ["intent": "out_of_office", "confidence": 0.6, "suggestedAnswer": ""]
        default:
            ["intent": "unclear", "confidence": 0.35, "suggestedAnswer": "No problem, shall I follow up next quarter?"]
        }
    }

    /// The kind of each reply text the stand-in leads send (interested, question, not_interested,
    /// unclear, out_of_office), for tests to know what the qualification must decide.
    public static var replyKinds: [String: String] {
        Dictionary(SalesStandInState.replyTexts.map { ($0.text, $0.kind) }, uniquingKeysWith: { first, _ in first })
    }

    /// (marker, reply text) pairs, the talking points first.
    public static var all: [(marker: String, text: String)] {
        let points: JSONValue = ["talkingPoints": [
            "Your team is growing fast, and outbound usually breaks first.",
            "Founders who automate prospecting win back about a day a week.",
            "A short pilot shows results within two weeks.",
        ]]
        return [(talkingPointsMarker, points.jsonString())]
            + SalesStandInState.replyTexts.map { ($0.text, (qualification(forReply: $0.text) ?? .null).jsonString()) }
    }
}
