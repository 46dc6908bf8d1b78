import FlowrunCore
import FlowrunExpressions
import Foundation
import Testing

@testable import FlowrunNodes

/// The task message written straight from `Item`s (columns for JavaScript, list for Python) and the
/// all-items answer validated by flowrun after it crossed the wire.
@Suite("Code runner framing: items in and out")
struct CodeRunnerFramingTests {
    let pool = makeCodeTestPool()

    /// Items with everything the layouts carry: odd numbers and text, nesting, binary, errors and
    /// every pairedItem form (absent, by index, another index, another input, several links).
    static let oddItems: [Item] = [
        Item(json: ["text": "unicode é 中文 🙂 \u{2028} \"quoted\" \\ \n", "zero": .number(-0.0)], pairedItem: [PairedItem(item: 0)]),
        Item(json: ["big": .number(1e21), "exact": .number(9_007_199_254_740_992), "small": .number(5e-7), "fraction": 0.1],
             pairedItem: [PairedItem(item: 7)]),
        Item(json: ["nested": ["a": [1, [2, ["b": .null]]], "10": "index key", "2": true]], pairedItem: nil),
        Item(json: ["file": 1], binary: ["data": ["data": "aGVsbG8=", "mimeType": "text/plain", "fileName": "a.txt"]],
             pairedItem: [PairedItem(item: 1, input: 1)]),
        Item(json: ["failed": true], pairedItem: [PairedItem(item: 0), PairedItem(item: 2, input: 1)], error: ["message": "boom"]),
        Item(json: [:], pairedItem: []),
    ]

    @Test("the columns layout (items by index) reaches code as n8n items", arguments: [false, true])
    func columnsByIndex(python: Bool) async throws {
        let input = (0..<3).map { Item(json: ["n": .number(Double($0))], pairedItem: [PairedItem(item: $0)]) }
        let code = python
            ? "return [{'json': {'n': i.json.n, 'paired': i.pairedItem}} for i in _input.all()]"
            : "return $input.all().map(i => ({ json: { n: i.json.n, paired: i.pairedItem, keys: Object.keys(i) } }))"
        let node = try CodeNode(
            configuration: makeCodeConfiguration(python
                ? ["language": "pythonNative", "pythonCode": .string(code)] : ["jsCode": .string(code)]),
            pool: pool)
        let output = try await node.execute(NodeInput([input]), context: makeCodeTestContext(input: input))
        for (i, item) in output[0].enumerated() {
            #expect(item.json["n"] == .number(Double(i)))
            #expect(item.json["paired"] == ["item": .number(Double(i))])
            if !python { #expect(item.json["keys"] == ["json", "pairedItem"]) }
        }
    }

    @Test("odd values, binary, errors and every pairedItem form survive the round trip", arguments: [false, true])
    func oddRoundTrip(python: Bool) async throws {
        let input = Self.oddItems
        let configuration = python
            ? makeCodeConfiguration(["language": "pythonNative", "pythonCode": "return _input.all()"])
            : makeCodeConfiguration(["jsCode": "return $input.all()"])
        let node = try CodeNode(configuration: configuration, pool: pool)
        let output = try await node.execute(NodeInput([input]), context: makeCodeTestContext(input: input))
        try #require(output[0].count == input.count)
        for (got, sent) in zip(output[0], input) {
            // Compared as text: keys come back in JavaScript's enumeration order.
            #expect(JSONValue.object(got.json).jsonString() == JSONValue.object(sent.json).jsonString())
            #expect(got.binary == sent.binary)
            #expect(got.error == sent.error)
            // An empty link list is read back as "no links" by n8n's forms.
            #expect((got.pairedItem ?? []) == (sent.pairedItem ?? []))
        }
        // Key order inside json is JavaScript's: index-like keys first.
        if !python, case .object(let nested)? = output[0][2].json["nested"] {
            #expect(Array(nested.keys) == ["2", "10", "a"])
        }
    }

    @Test("the item fields code reads: binary, error and pairedItem as n8n items have them")
    func fieldsSeenByCode() async throws {
        let input = Self.oddItems
        let code = "return $input.all().map((i, n) => ({ json: { n, keys: Object.keys(i), paired: i.pairedItem ?? null, "
            + "binary: i.binary ?? null, error: i.error ?? null } }))"
        let node = try CodeNode(configuration: makeCodeConfiguration(["jsCode": .string(code)]), pool: pool)
        let output = try await node.execute(NodeInput([input]), context: makeCodeTestContext(input: input))
        let expected = input.map { $0.jsonValue(includePairedItem: true) }
        for (got, sent) in zip(output[0], expected) {
            let keys = sent.objectValue.map { Array($0.keys) } ?? []
            #expect(got.json["keys"] == .array(keys.map(JSONValue.string)))
            #expect(got.json["paired"] == (sent["pairedItem"] ?? .null))
            #expect(got.json["binary"] == (sent["binary"] ?? .null))
            #expect(got.json["error"] == (sent["error"] ?? .null))
        }
    }

    @Test("the task message: columns with pairedItem by index, or per item, sparse binary and error")
    func messageText() throws {
        let byIndex = [Item(json: ["a": 1], pairedItem: [PairedItem(item: 0)]), Item(json: ["a": 2], pairedItem: [PairedItem(item: 1)])]
        let text = RunnerMessage.task(id: 3, timeoutMilliseconds: 1000, fields: ["kind": "code"], items: byIndex, layout: .columns)
        #expect(String(decoding: text.bytes, as: UTF8.self)
            == #"{"type":"task","id":3,"timeoutMs":1000,"kind":"code","items":{"json":[{"a":1},{"a":2}],"pairedItem":"index"}}"# + "\n")
        let mixed = [Item(json: [:], pairedItem: nil), Item(json: [:], binary: ["b": [:]], pairedItem: [PairedItem(item: 0, input: 1)], error: "e")]
        let other = RunnerMessage.task(id: 4, timeoutMilliseconds: 1000, fields: [:], items: mixed, layout: .columns)
        #expect(String(decoding: other.bytes, as: UTF8.self)
            == #"{"type":"task","id":4,"timeoutMs":1000,"items":{"json":[{},{}],"pairedItem":[null,{"item":0,"input":1}],"binary":{"1":{"b":{}}},"error":{"1":"e"}}}"# + "\n")
        let list = RunnerMessage.task(id: 5, timeoutMilliseconds: 1000, fields: [:], items: mixed, layout: .list)
        let listed = try JSONValue(parsing: Array(list.bytes.dropLast()))
        #expect(listed["items"] == .array(mixed.map { $0.jsonValue(includePairedItem: true) }))
    }

    @Test("all-items results are validated by flowrun with n8n's rules and messages", arguments: [
        ("return [1, 2]", "Code doesn't return items properly"),
        ("return [{json: 1}]", "A 'json' property isn't an object [item 0]"),
        ("return [{json: {}, binary: 5}]", "A 'binary' property isn't an object [item 0]"),
        ("return [{json: {}}, {a: 1}]", "Unknown top-level item key: a [item 1]"),
        ("return [{json: {}, a: 1}]", "Invalid output format [item 0]"),
        ("return [{a: 1}, {binary: {}}]", "Unknown top-level item key: a [item 0]"),
        ("return [{binary: {}}, {}]", "Inconsistent item format"),
        ("return [{json: {}}, {}]", "Inconsistent item format"),
        ("return [{json: {}, toJSON() { return 5 }}]", "Code doesn't return items properly"),
        ("const a = [{json: {}}]; a.toJSON = () => 7; return a", "Code doesn't return items properly"),
    ])
    func validation(code: String, message: String) async {
        let result = await runCode(pool, codeTestTask(code))
        #expect(result.failure?.message == message)
        let continued = await runCode(pool, codeTestTask(code, continueOnFail: true))
        #expect(continued.value == [["json": ["error": .string(message)]]])
    }

    @Test("valid shapes: plain objects wrapped, binary-only items, hidden and dropped values as JSON has them")
    func validShapes() async {
        #expect(await runCode(pool, codeTestTask("return [{a: 1}, {b: undefined}]")).value == [["json": ["a": 1]], ["json": [:]]])
        #expect(await runCode(pool, codeTestTask("return [{binary: {f: {}}}]")).value == [["json": [:], "binary": ["f": [:]]]])
        #expect(await runCode(pool, codeTestTask("return [{json: {d: new Date(0)}, pairedItem: {item: 1}}]")).value
            == [["json": ["d": "1970-01-01T00:00:00.000Z"], "pairedItem": ["item": 1]]])
        #expect(await runCode(pool, codeTestTask("return []")).value == [])
    }
}
