import FlowrunCore
import FlowrunExpressions

/// Customer Datastore (n8n training) (`n8n-nodes-base.n8nTrainingCustomerDatastore`): n8n's
/// dummy node for its courses. `getOnePerson` outputs the first of five fixed people per input
/// item; `getAllPeople` outputs all of them (`returnAll`) or the first `limit` (default 5) per
/// input item (docs: nodes/n8n-nodes-base.n8nTrainingCustomerDatastore.md).
struct TrainingCustomerDatastoreNode: Node {
    static let description = NodeDescription(
        type: "n8n-nodes-base.n8nTrainingCustomerDatastore", typeVersions: [1], displayName: "Customer Datastore (n8n training)")

    enum Operation: String, CaseIterable {
        case getOnePerson, getAllPeople
    }

    /// n8n's records, field for field (N8nTrainingCustomerDatastore.node.ts).
    static let people: [JSONObject] = [
        ["id": "23423532", "name": "Jay Gatsby", "email": "gatsby@west-egg.com",
         "notes": "Keeps asking about a green light??", "country": "US", "created": "1925-04-10"],
        ["id": "23423533", "name": "José Arcadio Buendía", "email": "jab@macondo.co",
         "notes": "Lots of people named after him. Very confusing", "country": "CO", "created": "1967-05-05"],
        ["id": "23423534", "name": "Max Sendak", "email": "info@in-and-out-of-weeks.org",
         "notes": "Keeps rolling his terrible eyes", "country": "US", "created": "1963-04-09"],
        ["id": "23423535", "name": "Zaphod Beeblebrox", "email": "captain@heartofgold.com",
         "notes": "Felt like I was talking to more than one person", "country": .null, "created": "1979-10-12"],
        ["id": "23423536", "name": "Edmund Pevensie", "email": "edmund@narnia.gov",
         "notes": "Passionate sailor", "country": "UK", "created": "1950-10-16"],
    ]

    let operation: Operation
    let returnAll: Param<Bool>
    let limit: Param<Double>

    init(configuration c: NodeConfiguration) throws {
        let p = c.parameters
        let choice = p["operation"].choice(Operation.allCases.map(\.rawValue), default: "getOnePerson")
        if choice.isExpression { p["operation"].report("must be \"getOnePerson\" or \"getAllPeople\", not an expression") }
        operation = choice.constantValue.flatMap(Operation.init(rawValue:)) ?? .getOnePerson
        returnAll = p["returnAll"].bool(default: false)
        limit = p["limit"].number(default: 5)
    }

    func execute(_ input: NodeInput, context: ExecutionContext) async throws -> [[Item]] {
        var output: [Item] = []
        for i in input.main.indices {
            switch operation {
            case .getOnePerson:
                output.append(Item(json: Self.people[0]))
            case .getAllPeople:
                if try returnAll.value(for: i, in: context) {
                    output += Self.people.map { Item(json: $0) }
                } else {
                    output += Self.slice(Self.people, end: try limit.value(for: i, in: context)).map { Item(json: $0) }
                }
            }
        }
        return [output]
    }

    /// JavaScript's `array.slice(0, end)`: a negative end counts from the back, fractions truncate.
    static func slice<T>(_ array: [T], end: Double) -> ArraySlice<T> {
        guard !end.isNaN else { return array[0..<0] }
        let count = Double(array.count)
        let truncated = end.rounded(.towardZero)
        let bound = truncated < 0 ? max(0, count + truncated) : min(count, truncated)
        return array[0..<Int(bound)]
    }
}
