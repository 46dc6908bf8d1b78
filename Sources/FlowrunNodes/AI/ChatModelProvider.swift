import FlowrunCore
import FlowrunExpressions

/// A chat-model sub-node: connected to a chain with an `ai_languageModel` connection, it never
/// runs on its own; the chain asks it to complete a conversation for one of its items.
protocol ChatModelProvider: Sendable {
    /// Sends `messages` (roles `user`/`assistant`) with `system` and returns the reply.
    ///
    /// - Parameter context: the chain's context re-targeted at the sub-node (`forSubNode`), so
    ///   parameters evaluate for the chain's item and errors name the sub-node.
    func complete(system: String?, messages: [ChatMessage], itemIndex: Int, context: ExecutionContext) async throws -> ChatReply
}

/// One message of a conversation.
struct ChatMessage: Sendable, Hashable {
    var role: String
    var content: String
}

/// A model's answer.
struct ChatReply: Sendable {
    var text: String
    var stopReason: String?
    /// The raw response (usage, id, model).
    var response: JSONObject
}
