import FlowrunCore
import FlowrunExpressions
import Foundation
import Testing

@testable import FlowrunNodes

@Suite("Code, Function and Function Item nodes")
struct CodeNodeTests {
    let pool = makeCodeTestPool()

    @Test("a Code node runs its jsCode over the input and keeps paired items")
    func codeNode() async throws {
        let node = try CodeNode(configuration: makeCodeConfiguration(["jsCode": "return $input.all()"]), pool: pool)
        let input = [Item(json: ["a": 1], pairedItem: [PairedItem(item: 0)])]
        let output = try await node.execute(NodeInput([input]), context: makeCodeTestContext(input: input))
        #expect(output == [input])
    }

    @Test("a wrong return shape fails the node with n8n's exact message")
    func validationMessage() async throws {
        let node = try CodeNode(configuration: makeCodeConfiguration(["jsCode": "return {json: \"test\"}"]), pool: pool)
        let input = [Item()]
        await #expect(throws: NodeError.self) {
            try await node.execute(NodeInput([input]), context: makeCodeTestContext(input: input))
        }
        do {
            _ = try await node.execute(NodeInput([input]), context: makeCodeTestContext(input: input))
        } catch let error as NodeError {
            #expect(error.message == "A 'json' property isn't an object [item 0]")
        }
    }

    @Test("$('Node').item follows paired items back through the run data")
    func pairedItemLookup() async throws {
        var data = FakeRunData()
        data.runs["Source"] = [[[Item(json: ["name": "a"]), Item(json: ["name": "b"])]]]
        data.runs["Middle"] = [[[Item(json: ["x": 1], pairedItem: [PairedItem(item: 1)]), Item(json: ["x": 2], pairedItem: [PairedItem(item: 0)])]]]
        data.sources["Middle"] = ExpressionSource(node: "Source")
        data.sources["Code"] = ExpressionSource(node: "Middle")
        let input = [Item(json: ["x": 1], pairedItem: [PairedItem(item: 0)]), Item(json: ["x": 2], pairedItem: [PairedItem(item: 1)])]
        let node = try CodeNode(
            configuration: makeCodeConfiguration(["mode": "runOnceForEachItem", "jsCode": "return {from: $('Source').item.json.name}"]),
            pool: pool)
        let output = try await node.execute(NodeInput([input]), context: makeCodeTestContext(input: input, data: data))
        #expect(output[0].map(\.json) == [["from": "b"], ["from": "a"]])
    }

    @Test("Python Code nodes (v2 language pythonNative)")
    func pythonNode() async throws {
        let node = try CodeNode(
            configuration: makeCodeConfiguration(["language": "pythonNative", "pythonCode": "return [{'c': len(_items)}]"]), pool: pool)
        let input = [Item(), Item()]
        let output = try await node.execute(NodeInput([input]), context: makeCodeTestContext(input: input))
        #expect(output[0].map(\.json) == [["c": 2]])
    }

    @Test("legacy Function returns items; Function Item maps each item's json")
    func legacyNodes() async throws {
        let input = [Item(json: ["n": 1]), Item(json: ["n": 2])]
        let function = try FunctionNode(
            configuration: makeCodeConfiguration(type: "n8n-nodes-base.function", version: 1,
                                                 ["functionCode": "return items.filter(i => i.json.n > 1)"]), pool: pool)
        #expect(try await function.execute(NodeInput([input]), context: makeCodeTestContext(input: input))[0].map(\.json) == [["n": 2]])
        let functionItem = try FunctionItemNode(
            configuration: makeCodeConfiguration(type: "n8n-nodes-base.functionItem", version: 1,
                                                 ["functionCode": "item.m = item.n * 10; return item;"]), pool: pool)
        let mapped = try await functionItem.execute(NodeInput([input]), context: makeCodeTestContext(input: input))
        #expect(mapped[0].map(\.json) == [["n": 1, "m": 10], ["n": 2, "m": 20]])
        let missing = try FunctionNode(
            configuration: makeCodeConfiguration(type: "n8n-nodes-base.function", version: 1, ["functionCode": "return 5"]), pool: pool)
        await #expect(throws: NodeError.self) {
            _ = try await missing.execute(NodeInput([input]), context: makeCodeTestContext(input: input))
        }
    }

    @Test("unknown language and mode values are reported at load time")
    func configurationIssues() throws {
        let configuration = makeCodeConfiguration(["language": "ruby", "mode": "sometimes", "jsCode": "return []"])
        _ = try CodeNode(configuration: configuration, pool: pool)
        #expect(configuration.issues.issues.map(\.path).sorted() == ["language", "mode"])
    }
}

@Suite("Code snippets for other nodes")
struct CodeSnippetTests {
    @Test("a Sort-style comparator snippet runs with extra globals and returns a plain value")
    func sortSnippet() async throws {
        let items: JSONValue = [["json": ["num": 3]], ["json": ["num": 1]], ["json": ["num": 2]]]
        let user = "const first = a.json.num;\nconst second = b.json.num;\nreturn first === second ? 0 : first < second ? -1 : 1;"
        let value = try await CodeSnippet.run(
            "return items.sort((a, b) => { \(user) })", globals: ["items": items],
            context: makeCodeTestContext(input: []), pool: makeCodeTestPool())
        #expect(value == [["json": ["num": 1]], ["json": ["num": 2]], ["json": ["num": 3]]])
    }
}

@Suite("Code node expression bridge")
struct CodeExpressionBridgeTests {
    @Test("$evaluateExpression evaluates an n8n expression for the current item")
    func evaluateExpression() async throws {
        let node = try CodeNode(
            configuration: makeCodeConfiguration(["mode": "runOnceForEachItem", "jsCode": "return {v: $evaluateExpression('{{ $json.n * 10 }}')}"]),
            pool: makeCodeTestPool())
        let input = [Item(json: ["n": 1], pairedItem: [PairedItem(item: 0)]), Item(json: ["n": 2], pairedItem: [PairedItem(item: 1)])]
        let output = try await node.execute(NodeInput([input]), context: makeCodeTestContext(input: input))
        #expect(output[0].map(\.json) == [["v": 10], ["v": 20]])
    }
}

@Suite("Code node HTTP bridge")
struct CodeHTTPBridgeTests {
    @Test("this.helpers.httpRequest goes to the configured handler; without one the code gets a clear error")
    func httpRequest() async throws {
        var configuration = TaskRunnerPool.Configuration(runnersDirectory: codeTestRunnersDirectory)
        configuration.httpRequest = { options, _ in ["echo": options["url"] ?? .null] }
        let code = "const r = await this.helpers.httpRequest({url: 'https://example.test/a'});\nreturn [{r}]"
        let node = try CodeNode(configuration: makeCodeConfiguration(["jsCode": .string(code)]), pool: TaskRunnerPool(configuration: configuration))
        let input = [Item()]
        let output = try await node.execute(NodeInput([input]), context: makeCodeTestContext(input: input))
        #expect(output[0].map(\.json) == [["r": ["echo": "https://example.test/a"]]])
        let plain = try CodeNode(configuration: makeCodeConfiguration(["jsCode": .string(code)]), pool: makeCodeTestPool())
        await #expect(throws: NodeError.self) {
            _ = try await plain.execute(NodeInput([input]), context: makeCodeTestContext(input: input))
        }
    }
}

@Suite("Function Item errors")
struct FunctionItemErrorTests {
    @Test("errors name the line and the item index, as n8n's Function Item does")
    func lineAndItem() async throws {
        let node = try FunctionItemNode(
            configuration: makeCodeConfiguration(type: "n8n-nodes-base.functionItem", version: 1,
                                                 ["functionCode": "if (item.n === 2) {\n  missing.x = 1;\n}\nreturn item;"]),
            pool: makeCodeTestPool())
        let input = [Item(json: ["n": 1]), Item(json: ["n": 2])]
        do {
            _ = try await node.execute(NodeInput([input]), context: makeCodeTestContext(input: input))
            Issue.record("expected an error")
        } catch let error as NodeError {
            #expect(error.message == "missing is not defined [Line 2 | Item Index: 1]")
        }
    }
}

@Suite("Code output hygiene")
struct CodeOutputHygieneTests {
    @Test("pairedItem values chosen by code that are not small integers are dropped instead of trusted")
    func hostilePairedItems() async throws {
        let code = "return [{json: {a: 1}, pairedItem: 1e300}, {json: {b: 2}, pairedItem: {item: -1}}, {json: {c: 3}, pairedItem: [{item: 0}]}]"
        let node = try CodeNode(configuration: makeCodeConfiguration(["jsCode": .string(code)]), pool: makeCodeTestPool())
        let input = [Item()]
        let output = try await node.execute(NodeInput([input]), context: makeCodeTestContext(input: input))
        #expect(output[0].map(\.pairedItem) == [nil, nil, [PairedItem(item: 0)]])
    }
}
