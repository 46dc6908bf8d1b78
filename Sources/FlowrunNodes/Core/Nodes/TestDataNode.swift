import FlowrunCore
import FlowrunExpressions

/// Test data (`n8n-nodes-testing.testData`): the node n8n's test harness registers to feed
/// constants; outputs one item per element of `data` (a JSON array, a single object, or their
/// JSON text) and ignores its input.
struct TestDataNode: Node {
    static let description = NodeDescription(type: "n8n-nodes-testing.testData", typeVersions: [1], displayName: "Test Data")

    let data: Param<JSONValue?>

    init(configuration c: NodeConfiguration) throws {
        data = c.parameters["data"].value(default: .array([]))
    }

    func execute(_ input: NodeInput, context: ExecutionContext) async throws -> [[Item]] {
        var value = try data.value(for: 0, in: context) ?? .array([])
        if case .string(let text) = value {
            guard let parsed = RelaxedJSON.parse(text) else {
                throw context.error("The test data is not valid JSON")
            }
            value = parsed
        }
        let elements: [JSONValue]
        switch value {
        case .array(let a): elements = a
        case .object: elements = [value]
        default: elements = []
        }
        return [elements.map { element in
            if case .object(let o) = element { return Item(json: o) }
            return Item(json: ["value": element])
        }]
    }
}
