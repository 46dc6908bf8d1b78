import FlowrunExpressions

/// One execution on the queue. The execution's record, with its trigger input, is written to the
/// store BEFORE the job is published (n8n enqueues before its commit, so a fast worker can miss
/// the row); the job only says which execution to run and where to send its response.
public struct QueueJob: Sendable, Hashable {
    /// The execution's id: a second delivery of the same id is a no-op for the worker.
    public var executionID: String
    /// The workflow's key in the workers' catalog (its id, else its file path).
    public var workflowKey: String
    /// The Redis channel the waiting webhook request listens on (lastNode/responseNode modes), if any.
    public var replyChannel: String?
    /// The HTTP method of the webhook request that started it (Webhook v2 routes by it).
    public var requestMethod: String?
    /// Set when the job resumes a waiting execution: the items its Wait node outputs (n8n's JSON
    /// form of each item: the webhook request's item, or the node's input at the wait limit).
    public var resumeItems: [JSONValue]?

    public init(
        executionID: String, workflowKey: String, replyChannel: String? = nil, requestMethod: String? = nil, resumeItems: [JSONValue]? = nil
    ) {
        self.executionID = executionID
        self.workflowKey = workflowKey
        self.replyChannel = replyChannel
        self.requestMethod = requestMethod
        self.resumeItems = resumeItems
    }

    var jsonValue: JSONValue {
        var o: JSONObject = ["executionId": .string(executionID), "workflow": .string(workflowKey)]
        if let replyChannel { o["reply"] = .string(replyChannel) }
        if let requestMethod { o["method"] = .string(requestMethod) }
        if let resumeItems { o["resume"] = .array(resumeItems) }
        return .object(o)
    }

    init?(jsonValue value: JSONValue) {
        guard let id = value["executionId"]?.stringValue, let workflow = value["workflow"]?.stringValue else { return nil }
        self.init(executionID: id, workflowKey: workflow, replyChannel: value["reply"]?.stringValue,
                  requestMethod: value["method"]?.stringValue, resumeItems: value["resume"]?.arrayValue)
    }
}

/// A job as read from the stream: acknowledge it (by `entryID`) once its execution is recorded.
public struct QueueDelivery: Sendable, Hashable {
    public var entryID: String
    public var job: QueueJob
    /// True when the job was taken over from a worker that died.
    public var reclaimed: Bool
}
