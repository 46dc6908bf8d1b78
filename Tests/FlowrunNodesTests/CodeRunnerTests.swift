import FlowrunCore
import FlowrunExpressions
import Foundation
import Testing

@testable import FlowrunNodes

@Suite("Code task runner (JavaScript)")
struct CodeRunnerTests {
    let pool = makeCodeTestPool()

    @Test("all-items mode returns items; plain objects are wrapped under json")
    func allItems() async {
        let result = await runCode(pool, codeTestTask("return $input.all().map(i => ({doubled: i.json.n * 2}))"))
        #expect(result.value == [["json": ["doubled": 2]], ["json": ["doubled": 4]]])
    }

    @Test("a single returned object becomes one item; null ends the branch")
    func singleObjectAndNull() async {
        #expect(await runCode(pool, codeTestTask("return {a: 1}")).value == [["json": ["a": 1]]])
        #expect(await runCode(pool, codeTestTask("return null")).value == [])
        #expect(await runCode(pool, codeTestTask("return []")).value == [])
    }

    @Test("mutating input items does not leak into other tasks (n8n's immutable output)")
    func immutableInput() async {
        let items: [JSONObject] = [["n": 1]]
        _ = await runCode(pool, codeTestTask("for (const i of $input.all()) i.json.n = 99; return $input.all()", items: items))
        let again = await runCode(pool, codeTestTask("return $input.all()", items: items))
        #expect(again.value == [["json": ["n": 1], "pairedItem": ["item": 0]]])
    }

    @Test("per-item mode runs once per item and pairs each output with its input")
    func perItem() async {
        let result = await runCode(pool, codeTestTask("return {m: $json.n + $itemIndex}", mode: "runOnceForEachItem"))
        #expect(result.value == [["json": ["m": 1], "pairedItem": ["item": 0]], ["json": ["m": 3], "pairedItem": ["item": 1]]])
        let dropped = await runCode(pool, codeTestTask("if ($json.n === 1) return null; return $input.item", mode: "runOnceForEachItem"))
        #expect(dropped.value == [["json": ["n": 2], "pairedItem": ["item": 1]]])
        // n8n's runner keeps only json (and binary) of a returned item, so stray keys vanish.
        let stray = await runCode(pool, codeTestTask("return {json: {a: 1}, extra: 1}", mode: "runOnceForEachItem", items: [["n": 1]]))
        #expect(stray.value == [["json": ["a": 1], "pairedItem": ["item": 0]]])
    }

    @Test("legacy items and item globals")
    func legacyGlobals() async {
        #expect(await runCode(pool, codeTestTask("return items.length ? [{c: items.length}] : []")).value == [["json": ["c": 2]]])
        let each = await runCode(pool, codeTestTask("return {n: item.json.n}", mode: "runOnceForEachItem"))
        #expect(each.value?.count == 2)
    }

    static let shapeRules: [(code: String, mode: String, message: String)] = [
        ("return {json: 'test'}", "runOnceForAllItems", "A 'json' property isn't an object [item 0]"),
        ("return 'text'", "runOnceForAllItems", "Code doesn't return items properly"),
        ("return [1, 2]", "runOnceForAllItems", "Code doesn't return items properly"),
        ("return", "runOnceForAllItems", "Code doesn't return items properly"),
        ("return [{json: {}, extra: 1}]", "runOnceForAllItems", "Invalid output format [item 0]"),
        ("return [{json: {}}, {other: 1}]", "runOnceForAllItems", "Unknown top-level item key: other [item 1]"),
        ("return [{json: {}, binary: 'x'}]", "runOnceForAllItems", "A 'binary' property isn't an object [item 0]"),
        ("return [{json: {}}, {binary: {}}]", "runOnceForAllItems", "Inconsistent item format"),
        ("return 'text'", "runOnceForEachItem", "A 'json' property isn't an object [item 0]"),
        ("return [{a: 1}]", "runOnceForEachItem", "A 'json' property isn't an object [item 0]"),
        ("const x = $input.all()\nreturn x[0]", "runOnceForEachItem", "Can't use .all() here [line 1, for item 0]"),
    ]

    @Test("n8n's return-shape rules and messages", arguments: shapeRules)
    func shapeRule(rule: (code: String, mode: String, message: String)) async {
        let result = await runCode(pool, codeTestTask(rule.code, mode: rule.mode))
        #expect(result.failure?.message == rule.message)
    }

    @Test("results are validated as JSON carries them: dropped, converted and hidden values")
    func validatedAsJSON() async {
        // Keys JSON drops, toJSON, Dates and non-enumerable properties change what validation
        // sees; the runner must judge the value as it crosses the wire, not the object in hand.
        let cases: [(code: String, expected: JSONValue)] = [
            ("return [{json: {a: 1}, extra: undefined, f() {}}]", [["json": ["a": 1]]]),
            ("return [{json: {a: 1}, toJSON() { return {json: {b: 2}} }}]", [["json": ["b": 2]]]),
            ("return [Object.defineProperty({}, 'json', {value: {a: 1}})]", [["json": [:]]]),
            ("return [{json: {d: new Date(0), u: undefined}}]", [["json": ["d": "1970-01-01T00:00:00.000Z"]]]),
            ("return [{a: 1}, {b: [1, undefined]}]", [["json": ["a": 1]], ["json": ["b": [1, .null]]]]),
        ]
        for (code, expected) in cases {
            #expect(await runCode(pool, codeTestTask(code)).value == expected.arrayValue, "\(code)")
        }
        #expect(await runCode(pool, codeTestTask("return [{json: new Date(0)}]")).failure?.message
            == "A 'json' property isn't an object [item 0]")
        #expect(await runCode(pool, codeTestTask("return [{json: {}, x: undefined, y: 1}]")).failure?.message
            == "Invalid output format [item 0]")
    }

    @Test("errors thrown by code carry n8n's message with the line of user code")
    func thrownErrors() async {
        let reference = await runCode(pool, codeTestTask("const a = 1;\nreturn missing + a"))
        #expect(reference.failure?.message == "missing is not defined [line 2]")
        #expect(reference.failure?.code == .userCode)
        let thrown = await runCode(pool, codeTestTask("throw new Error('boom')"))
        #expect(thrown.failure?.message == "boom [line 1]")
        let format = await runCode(pool, codeTestTask("return [{json: {f: DateTime.now().format('yyyy')}}]"))
        #expect(format.failure?.message == "DateTime.now(...).format is not a function [line 1]")
    }

    @Test("continue on fail turns a thrown error into an error item")
    func continueOnFail() async {
        let result = await runCode(pool, codeTestTask("throw new Error('bad')", continueOnFail: true))
        #expect(result.value == [["json": ["error": "bad [line 1]"]]])
    }

    @Test("async code and await work, including timers")
    func asyncCode() async {
        let code = "await new Promise(r => setTimeout(r, 20));\nconst v = await Promise.resolve(5);\nreturn [{v}]"
        #expect(await runCode(pool, codeTestTask(code)).value == [["json": ["v": 5]]])
    }

    @Test("console.log is captured with n8n's formatting")
    func consoleCapture() async {
        let host = RecordingHost()
        _ = await runCode(pool, codeTestTask("console.log('hello', {a: 1}, 3); return []"), host: host)
        #expect(host.logs == [["'hello'", "{\"a\":1}", "3"]])
    }

    @Test("$('Node') reads other nodes' outputs and runs; unknown nodes fail with n8n's message")
    func nodeLookups() async {
        let host = RecordingHost(outputs: ["Source": [[[Item(json: ["run": 0])]], [[Item(json: ["run": 1])]]]])
        let loop = "let r = [], i = 0;\ndo { try { r = r.concat($('Source').all(0, i)); } catch (e) { return r; } i++; } while (true)"
        #expect(await runCode(pool, codeTestTask(loop), host: host).value == [["json": ["run": 0]], ["json": ["run": 1]]])
        let first = await runCode(pool, codeTestTask("return [$('Source').first()]"), host: host)
        #expect(first.value == [["json": ["run": 1]]])
        let missing = await runCode(pool, codeTestTask("return $('Nope').all()"), host: host)
        #expect(missing.failure?.message == "Referenced node doesn't exist")
        let empty = await runCode(pool, codeTestTask("return $()"), host: host)
        #expect(empty.failure?.message == "When calling $(), please specify a node")
    }

    @Test("require is refused unless the module is allowed")
    func requireGate() async {
        let denied = await runCode(pool, codeTestTask("const fs = require('fs'); return []"))
        #expect(denied.failure?.message == "Cannot find module 'fs' [line 1]")
        let allowing = makeCodeTestPool(builtins: ["crypto"])
        let allowed = await runCode(allowing, codeTestTask("const c = require('crypto'); return [{h: c.createHash('md5').update('a').digest('hex')}]"))
        #expect(allowed.value == [["json": ["h": "0cc175b9c0f1b6a831c399e269772661"]]])
    }

    @Test("$env is denied unless access is allowed")
    func environmentGate() async {
        #expect(await runCode(pool, codeTestTask("return [{h: $env.HOME}]")).failure?.message == "access to env vars denied")
        #expect(await runCode(pool, codeTestTask("return [{h: $env.X}]", env: ["X": "y"])).value == [["json": ["h": "y"]]])
    }

    @Test("the runner process has no environment beyond what flowrun passes")
    func noInheritedEnvironment() async {
        let allowing = makeCodeTestPool(builtins: ["process"])
        let result = await runCode(allowing, codeTestTask("return [{keys: Object.keys(require('process').env).filter(k => !k.startsWith('FLOWRUN_')).join(',')}]"))
        #expect(result.value == [["json": ["keys": ""]]])
    }

    @Test("DateTime, $now, Duration and $jmespath")
    func dateHelpers() async {
        let code = """
            const d = DateTime.fromISO('2024-01-31T10:00:00Z', {zone: 'UTC'});
            return [{next: d.plus({months: 1}).toISODate(), fmt: d.toFormat('dd LLL yyyy HH:mm'),
                     now: $now.toMillis(), days: Duration.fromObject({hours: 48}).as('days'),
                     q: $jmespath({a: [{b: 1}, {b: 2}]}, 'a[*].b')}]
            """
        let result = await runCode(pool, codeTestTask(code))
        #expect(result.value == [["json": ["next": "2024-02-29", "fmt": "31 Jan 2024 10:00", "now": 1_700_000_000_000, "days": 2, "q": [1, 2]]]])
    }
}

@Suite("Code task runner isolation")
struct CodeRunnerIsolationTests {
    @Test("code that escapes the vm context still cannot start processes (Node permission model)")
    func noChildProcesses() async {
        let code = "const P = $input.all.constructor('return process')();\nreturn [{r: String(P.mainModule.require('child_process').execSync('id'))}]"
        let result = await runCode(makeCodeTestPool(), codeTestTask(code))
        #expect(result.failure?.message.contains("Access to this API has been restricted") == true)
    }

    @Test("host prototypes are frozen, so one task cannot pollute the next")
    func frozenPrototypes() async {
        let pool = makeCodeTestPool()
        _ = await runCode(pool, codeTestTask("try { Object.getPrototypeOf($input.all()[0]); $input.all()[0].__proto__.polluted = 1 } catch (e) {} return []"))
        let next = await runCode(pool, codeTestTask("return [{p: $input.all()[0].polluted === undefined}]"))
        #expect(next.value == [["json": ["p": true]]])
    }
}
