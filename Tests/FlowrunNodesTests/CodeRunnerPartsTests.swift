import FlowrunCore
import FlowrunExpressions
import Foundation
import Testing

@testable import FlowrunNodes

/// Protocol 2: big tasks and big all-items answers cross in parts (`items` messages), per-item code
/// runs in batches under one time limit, and a runner of another protocol version is refused.
@Suite("Code runner: items in parts, per-item batches, protocol version")
struct CodeRunnerPartsTests {
    let pool = makeCodeTestPool()

    /// `count` items; every 97th has binary data, every 89th an error, every 13th pairs with another input item.
    static func items(_ count: Int) -> [Item] {
        (0..<count).map { i in
            Item(
                json: ["n": .number(Double(i)), "text": .string("item \(i) é")],
                binary: i % 97 == 5 ? ["file": ["data": "aGk=", "mimeType": "text/plain"]] : nil,
                pairedItem: i % 13 == 0 ? [PairedItem(item: i + 1, input: 1)] : [PairedItem(item: i)],
                error: i % 89 == 3 ? ["message": .string("e\(i)")] : nil)
        }
    }

    @Test("a task written in parts: the text of each message, the index keys and the last flag")
    func partsText() throws {
        let items = (0..<3).map { Item(json: ["a": .number(Double($0))], pairedItem: [PairedItem(item: $0)]) }
        var messages: [String] = []
        try RunnerMessage.sendTask(
            id: 7, timeoutMilliseconds: 1000, fields: ["kind": "code"], items: items + [Item(json: [:], error: "x")],
            layout: .columns, partBytes: 10
        ) { (part: borrowing JSONTextBuffer) throws(TaskRunnerError) in messages.append(String(decoding: part.bytes, as: UTF8.self)) }
        #expect(messages == [
            #"{"type":"task","id":7,"timeoutMs":1000,"kind":"code","items":{"json":[{"a":0}],"pairedItem":"index"},"itemsContinue":true}"# + "\n",
            #"{"type":"items","task":7,"items":{"json":[{"a":1}],"pairedItem":"index"},"last":false}"# + "\n",
            #"{"type":"items","task":7,"items":{"json":[{"a":2}],"pairedItem":"index"},"last":false}"# + "\n",
            #"{"type":"items","task":7,"items":{"json":[{}],"pairedItem":[null],"error":{"3":"x"}},"last":true}"# + "\n",
        ])
    }

    @Test("5,000 items with binary, errors and paired items cross in parts both ways unchanged")
    func bigRoundTrip() async throws {
        let input = Self.items(5_000)
        let code = "return $input.all().map((i, n) => ({ json: { ...i.json, at: n, paired: i.pairedItem ?? null, "
            + "binary: i.binary ?? null, error: i.error ?? null }, pairedItem: i.pairedItem }))"
        let node = try CodeNode(configuration: makeCodeConfiguration(["jsCode": .string(code)]), pool: pool)
        let output = try await node.execute(NodeInput([input]), context: makeCodeTestContext(input: input))
        try #require(output[0].count == input.count)
        for (n, (got, sent)) in zip(output[0], input).enumerated() {
            let wire = sent.jsonValue(includePairedItem: true)
            #expect(got.json["n"] == .number(Double(n)))
            #expect(got.json["at"] == .number(Double(n)))
            #expect(got.json["text"] == sent.json["text"])
            #expect(got.json["paired"] == (wire["pairedItem"] ?? .null))
            #expect(got.json["binary"] == (wire["binary"] ?? .null))
            #expect(got.json["error"] == (wire["error"] ?? .null))
            #expect((got.pairedItem ?? []) == (sent.pairedItem ?? []))
        }
    }

    @Test("an answer in parts is validated as a whole, with the index of the item in the whole answer")
    func partsValidated() async {
        let items: [JSONObject] = (0..<2_500).map { ["n": .number(Double($0))] }
        let wrong = await runCode(pool, codeTestTask(
            "return $input.all().map((i, n) => n === 2100 ? { a: 1 } : { json: i.json })", items: items))
        #expect(wrong.failure?.message == "Unknown top-level item key: a [item 2100]")
        let plain = await runCode(pool, codeTestTask("return $input.all().map(i => ({ m: i.json.n }))", items: items))
        #expect(plain.value?.count == 2_500)
        #expect(plain.value?.last == ["json": ["m": 2499]])
        let unknown = await runCode(pool, codeTestTask(
            "return $input.all().map((i, n) => n === 2400 ? { m: 1 } : { json: i.json })", items: items))
        #expect(unknown.failure?.message == "Unknown top-level item key: m [item 2400]")
        let mixed = await runCode(pool, codeTestTask(
            "return $input.all().map((i, n) => n === 2400 ? { binary: {} } : { json: i.json })", items: items))
        #expect(mixed.failure?.message == "Inconsistent item format")
    }

    @Test("an element with toJSON or a proxy in a late part: the answer is the whole array's JSON (toJSON gets its index in the whole array)")
    func partsLateToJSON() async {
        let items: [JSONObject] = (0..<3_000).map { ["n": .number(Double($0))] }
        let withToJSON = await runCode(pool, codeTestTask(
            "const out = $input.all().map(i => ({ json: i.json })); out[2900] = { toJSON(key) { return { json: { key } } } }; return out",
            items: items))
        #expect(withToJSON.value?.count == 3_000)
        #expect(withToJSON.value?[2900] == ["json": ["key": "2900"]])
        #expect(withToJSON.value?[2899] == ["json": ["n": 2899]])
        let withProxy = await runCode(pool, codeTestTask(
            "const out = $input.all().map(i => ({ json: i.json })); out[2950] = new Proxy({ json: { p: 1 } }, {}); return out",
            items: items))
        #expect(withProxy.value?.count == 3_000)
        #expect(withProxy.value?[2950] == ["json": ["p": 1]])
        #expect(withProxy.value?.last == ["json": ["n": 2999]])
    }

    @Test("JSON.stringify failing on a late part gives the whole answer's error; continue on fail gives one error item")
    func partsStringifyError() async {
        let items: [JSONObject] = (0..<3_000).map { ["n": .number(Double($0))] }
        let code = "return $input.all().map((i, n) => ({ json: n === 2900 ? { big: 10n } : i.json }))"
        let failed = await runCode(pool, codeTestTask(code, items: items))
        #expect(failed.failure?.message.contains("BigInt") == true, "\(String(describing: failed.failure))")
        let continued = await runCode(pool, codeTestTask(code, items: items, continueOnFail: true))
        #expect(continued.value?.count == 1)
        #expect(continued.value?.first?["json"]?["error"]?.stringValue?.contains("BigInt") == true)
        let cyclic = "const out = $input.all().map(i => ({ json: i.json })); out[2800].json.self = out; return out"
        let cycle = await runCode(pool, codeTestTask(cyclic, items: items))
        #expect(cycle.failure?.message.hasPrefix("Converting circular structure to JSON\n    --> starting at object with constructor 'Array'") == true,
                "\(String(describing: cycle.failure))")
    }

    @Test("per-item code without await: one item's endless loop times out that item; others still run with continue on fail")
    func perItemBatchTimeout() async {
        let pool = makeCodeTestPool(timeout: .seconds(1))
        let code = "if ($itemIndex === 1) { while (true) {} }\nreturn { json: { i: $itemIndex } }"
        let items: [JSONObject] = [["n": 0], ["n": 1], ["n": 2]]
        let continued = await runCode(pool, codeTestTask(code, mode: "runOnceForEachItem", items: items, continueOnFail: true))
        #expect(continued.value == [
            ["json": ["i": 0], "pairedItem": ["item": 0]],
            ["json": ["error": "Task execution timed out after 1 second"], "pairedItem": ["item": 1]],
            ["json": ["i": 2], "pairedItem": ["item": 2]],
        ], "\(String(describing: continued.failure))")
        let failed = await runCode(pool, codeTestTask(code, mode: "runOnceForEachItem", items: items))
        #expect(failed.failure?.code == .timeLimit)
        #expect(failed.failure?.message == "Task execution timed out after 1 second")
    }

    @Test("per-item code in batches: thenables are awaited, errors keep their line, state carries from item to item")
    func perItemBatchResults() async {
        let items: [JSONObject] = (0..<2_000).map { ["n": .number(Double($0))] }
        let thenable = "const o = {}; o['th' + 'en'] = (resolve) => resolve({ json: { i: $itemIndex } }); return $itemIndex % 2 ? o : { json: { j: $itemIndex } }"
        let awaited = await runCode(pool, codeTestTask(thenable, mode: "runOnceForEachItem", items: items))
        #expect(awaited.value?.count == 2_000)
        #expect(awaited.value?[1] == ["json": ["i": 1], "pairedItem": ["item": 1]])
        #expect(awaited.value?[2] == ["json": ["j": 2], "pairedItem": ["item": 2]])
        let counter = "globalThis.seen = (globalThis.seen || 0) + 1;\nreturn { json: { seen } }"
        #expect(await runCode(pool, codeTestTask(counter, mode: "runOnceForEachItem", items: items)).value?.last
            == ["json": ["seen": 2000], "pairedItem": ["item": 1999]])
        let thrower = "const x = 1;\nif ($itemIndex === 1500) nope();\nreturn { json: {} }"
        let failed = await runCode(pool, codeTestTask(thrower, mode: "runOnceForEachItem", items: items))
        #expect(failed.failure?.message == "nope is not defined [line 2]", "\(String(describing: failed.failure))")
        #expect(failed.failure?.details?.contains("evalmachine.<anonymous>:2\n") == false)
    }

    @Test("a runner that speaks another protocol version is refused with a clear error")
    func protocolMismatch() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("flowrun-old-runner-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("js"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let old = """
            process.stdout.write(JSON.stringify({ type: 'ready', language: 'javascript', protocol: 1, runtime: process.version }) + '\\n');
            setInterval(() => {}, 1000);
            """
        try old.write(to: directory.appendingPathComponent("js/runner.js"), atomically: true, encoding: .utf8)
        let pool = TaskRunnerPool(configuration: .init(runnersDirectory: directory.path, taskTimeout: .seconds(10)))
        let result = await runCode(pool, codeTestTask("return []"))
        #expect(result.failure?.code == .runtimeUnavailable)
        let message = result.failure?.message ?? ""
        #expect(message.contains("speaks protocol 1, but this flowrun needs protocol 2"), "\(message)")
        #expect(message.contains("runner.js"), "\(message)")
    }
}
