import Testing

@testable import FlowrunExpressions

/// Trigger → Fetch → Split (2 outputs) → Active, with paired items.
struct ChainSource: ExpressionDataSource {
    var outputsByNode: [String: [[Item]]] = [
        "Trigger": [[Item(json: ["t": 1])]],
        "Fetch": [[Item(json: ["id": 1], pairedItem: [PairedItem(item: 0)]), Item(json: ["id": 2], pairedItem: [PairedItem(item: 0)])]],
        "Split": [[Item(json: ["id": 1], pairedItem: [PairedItem(item: 0)])], [Item(json: ["id": 2], pairedItem: [PairedItem(item: 1)])]],
    ]
    var parents: [String: ExpressionSource] = [
        "Active": ExpressionSource(node: "Split", output: 1), "Split": ExpressionSource(node: "Fetch"), "Fetch": ExpressionSource(node: "Trigger"),
    ]
    func nodeExists(_ name: String) -> Bool { ["Trigger", "Fetch", "Split", "Active", "Unrun"].contains(name) }
    func outputs(of node: String, runIndex: Int?) -> [[Item]]? { outputsByNode[node] }
    func source(of node: String, input: Int) -> ExpressionSource? { input == 0 ? parents[node] : nil }
    func isPinned(_ node: String) -> Bool { false }
    func parameters(of node: String) -> JSONObject? { node == "Fetch" ? ["url": "https://x.test"] : nil }
    func nodeInfo(_ node: String) -> ExpressionNodeInfo? { ExpressionNodeInfo(id: "id-\(node)", type: "t", typeVersion: 2) }
    func context(of node: String) -> JSONObject? { node == "Fetch" ? ["page": 3] : nil }
}

@Suite("Expression data proxy")
struct DataProxyTests {
    static func context(itemIndex: Int = 0) -> EvaluationContext {
        EvaluationContext(dataSource: ChainSource(), activeNode: "Active",
                          inputItems: [Item(json: ["id": 2, "name": "two"], binary: ["file": ["data": "AAAA", "mimeType": "text/plain"]],
                                            pairedItem: [PairedItem(item: 0)])],
                          itemIndex: itemIndex, mode: "manual", execution: .init(id: "e1"), workflow: .init(id: "w1", name: "WF", active: true),
                          timeZone: "UTC", nowMilliseconds: { 0 }, variables: ["region": "eu"])
    }

    static func eval(_ code: String) throws -> JSONValue? {
        try ParameterExpression(parsing: "={{ \(code) }}").evaluateJSON(in: context())
    }

    @Test("current item, input and item-level variables", arguments: [
        ("$json.name", JSONValue.string("two")), ("$input.item.json.id", .number(2)), ("$input.all().length", .number(1)),
        ("$input.first().json.name", .string("two")), ("Object.keys($binary.file)", JSONValue.array(["mimeType"])), ("$itemIndex", .number(0)),
        ("$runIndex", .number(0)), ("$mode", .string("manual")), ("$execution.id", .string("e1")), ("$execution.mode", .string("test")),
        ("$workflow.name", .string("WF")), ("$workflow.active", .bool(true)), ("$vars.region", .string("eu")), ("$nodeVersion", .number(2)),
        ("$prevNode.name", .string("Split")), ("$prevNode.outputIndex", .number(1)), ("$input.params.url", Optional<JSONValue>.none), ("$thisItem.json.id", .number(2)),
    ])
    func current(code: String, expected: JSONValue?) throws {
        #expect(try Self.eval(code) == expected)
    }

    @Test("other nodes: first/last/all on the branch that leads here, paired items walked back", arguments: [
        ("$('Split').first().json.id", JSONValue.number(2)), ("$('Split').all(0)[0].json.id", .number(1)),
        ("$('Split').item.json.id", .number(2)), ("$('Fetch').item.json.id", .number(2)), ("$('Trigger').item.json.t", .number(1)),
        ("$('Fetch').itemMatching(0).json.id", .number(2)), ("$('Fetch').isExecuted", .bool(true)), ("$('Unrun').isExecuted", .bool(false)),
        ("$('Fetch').params.url", .string("https://x.test")), ("$node['Fetch'].context.page", .number(3)),
        ("$node['Fetch'].json.id", .number(1)), ("$node.Fetch.parameter.url", .string("https://x.test")),
        ("$items('Fetch').length", .number(2)), ("$items('Split', 1)[0].json.id", .number(2)), ("$item(0).$json.name", .string("two")),
    ])
    func otherNodes(code: String, expected: JSONValue?) throws {
        #expect(try Self.eval(code) == expected)
    }

    @Test("n8n's data-proxy errors", arguments: [
        ("$('Nope').item", "Referenced node doesn't exist"), ("$node['Nope'].json", "Referenced node doesn't exist"),
        ("$('Unrun').first()", "Node 'Unrun' hasn't been executed"), ("$('Unrun').item", "Invalid expression"),
        ("$()", "When calling $(), please specify a node"), ("$('Fetch').itemMatching()", "Missing item index for .itemMatching()"),
        ("$('Split').first(5)", "Node \"Split\" has no branch with index 5."), ("$input.first(1)", "$input.first() should have no arguments"),
    ])
    func errors(code: String, message: String) {
        #expect { try Self.eval(code) } throws: { error in
            (error as? ExpressionError)?.code == .dataProxy && "\(error)".contains(message) || "\(error)".contains(message)
        }
    }

    @Test("$parameter resolves expression-valued parameters; $rawParameter does not")
    func parameters() throws {
        var c = Self.context()
        c.parameters = ["url": "=https://x.test/{{ $json.id }}", "plain": 5, "loop": "={{ $parameter.loop }}"]
        func eval(_ code: String) throws -> JSONValue? { try ParameterExpression(parsing: "={{ \(code) }}").evaluateJSON(in: c) }
        #expect(try eval("$parameter.url") == "https://x.test/2")
        #expect(try eval("$parameter.plain") == 5)
        #expect(try eval("$parameter.loop") == nil)
        #expect(try eval("$rawParameter.url") == "=https://x.test/{{ $json.id }}")
        #expect(try eval("Object.keys($parameter)") == ["url", "plain", "loop"])
    }

    @Test("$jmespath")
    func jmespath() throws {
        #expect(try Self.eval("$jmespath({a: [{b: 1}, {b: 2}]}, 'a[*].b')") == [1, 2])
        #expect(try Self.eval("$jmespath({a: [{b: 1, c: 'x'}, {b: 2, c: 'y'}]}, 'a[?b > `1`].c | [0]')") == "y")
        #expect(try Self.eval("$jmespath([3, 1, 2], 'sort(@)')") == [1, 2, 3])
        #expect(try Self.eval("$jmespath({people: [{n: 'a', age: 3}, {n: 'b', age: 1}]}, 'sort_by(people, &age)[].n')") == ["b", "a"])
        #expect(try Self.eval("$jmespath({ a: { b: 1, c: 2 } }, '{x: a.b, y: [a.c, `5`]}')") == ["x": 1, "y": [2, 5]])
        #expect { try Self.eval("$jmespath('text', 'a')") } throws: { "\($0)".contains("expected two arguments") }
    }

    @Test("a compiled expression evaluates per item")
    func perItem() throws {
        let e = try ParameterExpression(parsing: "={{ $json.n * 2 }}")
        var c = Self.context()
        c.inputItems = (0..<5).map { Item(json: ["n": .number(Double($0))]) }
        var results: [JSONValue?] = []
        for i in 0..<5 {
            c.itemIndex = i
            results.append(try e.evaluateJSON(in: c))
        }
        #expect(results == [0, 2, 4, 6, 8])
    }
}
