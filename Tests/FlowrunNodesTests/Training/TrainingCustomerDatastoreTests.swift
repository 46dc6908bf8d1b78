import FlowrunCore
import FlowrunExpressions
import Testing

@testable import FlowrunNodes

@Suite("Customer Datastore (n8n training)")
struct TrainingCustomerDatastoreTests {
    static let type = "n8nTrainingCustomerDatastore"

    @Test("getOnePerson: Jay Gatsby once per input item, field for field")
    func getOnePerson() async {
        let run = await CoreRun.run(Self.type, 1, ["operation": "getOnePerson"], items: [[:], [:]])
        #expect(run.error == nil)
        let gatsby: JSONObject = ["id": "23423532", "name": "Jay Gatsby", "email": "gatsby@west-egg.com",
                                  "notes": "Keeps asking about a green light??", "country": "US", "created": "1925-04-10"]
        #expect(run.items == [gatsby, gatsby])
        #expect(Array(run.items[0].keys) == ["id", "name", "email", "notes", "country", "created"])
        // The default operation is getOnePerson.
        #expect(await CoreRun.run(Self.type, 1, [:]).items == [gatsby])
    }

    @Test("getAllPeople: all five with returnAll, else the first `limit` (default 5), per input item")
    func getAllPeople() async {
        let all = await CoreRun.run(Self.type, 1, ["operation": "getAllPeople", "returnAll": true])
        #expect(all.items.map { $0["name"] } == ["Jay Gatsby", "José Arcadio Buendía", "Max Sendak", "Zaphod Beeblebrox", "Edmund Pevensie"])
        #expect(all.items[3]["country"] == .null)
        #expect(all.items[3]["notes"] == "Felt like I was talking to more than one person")
        #expect(all.items[4] == ["id": "23423536", "name": "Edmund Pevensie", "email": "edmund@narnia.gov",
                                 "notes": "Passionate sailor", "country": "UK", "created": "1950-10-16"])
        #expect(await CoreRun.run(Self.type, 1, ["operation": "getAllPeople"]).items.count == 5)
        let two = await CoreRun.run(Self.type, 1, ["operation": "getAllPeople", "limit": 2], items: [[:], [:]])
        #expect(two.items.map { $0["id"] } == ["23423532", "23423533", "23423532", "23423533"])
        #expect(await CoreRun.run(Self.type, 1, ["operation": "getAllPeople", "limit": "={{ 1 + 2 }}"]).items.count == 3)
        // As JavaScript's slice: beyond the end is everything, a negative end counts from the back.
        #expect(await CoreRun.run(Self.type, 1, ["operation": "getAllPeople", "limit": 10]).items.count == 5)
        #expect(await CoreRun.run(Self.type, 1, ["operation": "getAllPeople", "limit": -1]).items.count == 4)
    }

    @Test("an unknown operation is a load-time error naming the parameter")
    func unknownOperation() {
        let workflow: JSONValue = [
            "name": "t", "connections": [:],
            "nodes": [["name": "Store", "type": "n8n-nodes-base.n8nTrainingCustomerDatastore", "typeVersion": 1,
                       "position": [0, 0], "parameters": ["operation": "deletePerson"]]],
        ]
        let loaded = WorkflowLoader().load(text: workflow.jsonString(), format: .json, fileName: "t.json")
        let errors = WorkflowGraph.build(loaded.document!, registry: .builtIn).diagnostics.filter { $0.severity == .error }
        #expect(errors.count == 1)
        #expect(errors.first?.description.contains("operation") == true)
        #expect(errors.first?.description.contains("unknown value \"deletePerson\"") == true)
    }
}
