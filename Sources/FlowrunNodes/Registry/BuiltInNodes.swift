public import FlowrunCore

/// Every node type built into flowrun. Add one line per node type (one Swift type may cover
/// several typeVersions; several Swift types may share one n8n type name for different versions).
public enum BuiltInNodes {
    public static let all: [any Node.Type] = [
        CodeNode.self, FunctionNode.self, FunctionItemNode.self,
        ManualTriggerNode.self,
        StartNode.self,
        NoOpNode.self,
        StickyNoteNode.self,
        TestDataNode.self,
        SetNode.self,
        IfNode.self,
        SwitchNode.self,
        FilterNode.self,
        MergeNode.self,
        SplitInBatchesNode.self,
        SplitOutNode.self,
        AggregateNode.self,
        LimitNode.self,
        SortNode.self,
        RemoveDuplicatesNode.self,
        SummarizeNode.self,
        RenameKeysNode.self,
        ItemListsNode.self,
        DateTimeNode.self,
        WaitNode.self,
        StopAndErrorNode.self,
        ExecuteWorkflowNode.self,
        ExecuteWorkflowTriggerNode.self,
        ErrorTriggerNode.self,
        HTTPRequestNode.self,
        PostgresNode.self,
        RedisNode.self,
        AnthropicMessageNode.self,
        LmChatAnthropicNode.self,
        ChainLlmNode.self,
        WebhookNode.self, RespondToWebhookNode.self,
        ScheduleTriggerNode.self, CronNode.self, IntervalNode.self,
        RateLimitNode.self,
        ReadWriteFileNode.self,
        TrainingCustomerDatastoreNode.self,
    ]
}

extension NodeRegistry {
    /// The registry of every built-in node type.
    public static let builtIn = NodeRegistry(BuiltInNodes.all)
}
