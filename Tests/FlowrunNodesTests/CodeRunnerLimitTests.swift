import FlowrunCore
import FlowrunExpressions
import Foundation
import Testing

@testable import FlowrunNodes

@Suite("Code task runner limits and supervision", .serialized)
struct CodeRunnerLimitTests {
    @Test("a synchronous endless loop hits the time limit and the pool goes on")
    func synchronousTimeLimit() async {
        let pool = makeCodeTestPool(timeout: .seconds(2))
        let result = await runCode(pool, codeTestTask("while (true) {}"))
        #expect(result.failure?.code == .timeLimit)
        #expect(result.failure?.message == "Task execution timed out after 2 seconds")
        let next = await runCode(pool, codeTestTask("return [{ok: true}]"))
        #expect(next.value == [["json": ["ok": true]]], "\(String(describing: next.failure))")
        // Normally the runner stops the loop itself and stays in service; under heavy load the
        // deadline may pass first and the runner is replaced instead.
        #expect(await pool.processesStarted <= 2)
    }

    @Test("an endless loop after await is stopped by killing the runner, which is replaced")
    func asynchronousTimeLimit() async {
        let pool = makeCodeTestPool(timeout: .seconds(2))
        let result = await runCode(pool, codeTestTask("await new Promise(r => setTimeout(r, 5));\nwhile (true) {}"))
        #expect(result.failure?.code == .timeLimit)
        let next = await runCode(pool, codeTestTask("return [{ok: true}]"))
        #expect(next.value == [["json": ["ok": true]]], "\(String(describing: next.failure))")
        #expect(await pool.processesStarted == 2)
    }

    @Test("running out of memory fails the task clearly and the runner is replaced")
    func memoryLimit() async {
        let pool = makeCodeTestPool(memoryLimitMB: 48)
        let hog = "const keep = []; while (true) keep.push(new Array(100000).fill({a: 'x'.repeat(10)}));"
        let result = await runCode(pool, codeTestTask(hog))
        #expect(result.failure?.code == .memoryLimit)
        #expect(await runCode(pool, codeTestTask("return [{ok: true}]")).value == [["json": ["ok": true]]])
    }

    @Test("a runner killed mid-task fails that task only")
    func killedMidTask() async {
        let pool = makeCodeTestPool(builtins: ["process"])
        let result = await runCode(pool, codeTestTask("const p = require('process');\nawait new Promise(r => setTimeout(r, 10));\np.kill(p.pid, 'SIGKILL');\nawait new Promise(r => setTimeout(r, 1000));\nreturn []"))
        #expect(result.failure?.code == .runnerCrashed)
        #expect(await runCode(pool, codeTestTask("return [{ok: true}]")).value == [["json": ["ok": true]]])
    }

    @Test("tasks beyond the pool size wait for a free runner")
    func queueing() async {
        let pool = makeCodeTestPool(processes: 2)
        let results = await withTaskGroup(of: Bool.self) { group in
            for i in 0..<6 {
                group.addTask {
                    let r = await runCode(pool, codeTestTask("await new Promise(r => setTimeout(r, 30)); return [{i: \(i)}]"))
                    return r.value == [["json": ["i": .number(Double(i))]]]
                }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(results.allSatisfy { $0 })
        #expect(await pool.processesStarted <= 2)
    }

    @Test("10,000 items make the round trip through the runner and the ratio to plain Node.js is reported")
    func tenThousandItems() async throws {
        let measurement = try await CodeNodeBenchmark.measure(itemCount: 10_000, runs: 3, pool: makeCodeTestPool())
        #expect(measurement.flowrunMilliseconds > 0)
        #expect(measurement.plainNodeMilliseconds > 0)
        print("Code node benchmark: \(measurement.itemCount) items, flowrun \(measurement.flowrunMilliseconds) ms, plain Node.js \(measurement.plainNodeMilliseconds) ms, ratio \(measurement.ratio)")
    }

    @Test("a missing runtime is reported clearly")
    func missingRuntime() async {
        let pool = TaskRunnerPool(configuration: .init(runnersDirectory: codeTestRunnersDirectory, nodeExecutable: "/nonexistent/node"))
        let result = await runCode(pool, codeTestTask("return []"))
        #expect(result.failure?.code == .runtimeUnavailable)
    }
}

@Suite("Code task runner (Python)")
struct CodePythonRunnerTests {
    let pool = makeCodeTestPool()

    @Test("all-items and per-item modes with _items and _item")
    func modes() async {
        let all = await runCode(pool, codeTestTask("return [{'json': {'m': i['json']['n'] * 2}} for i in _items]"), language: .python)
        #expect(all.value == [["json": ["m": 2]], ["json": ["m": 4]]])
        let each = await runCode(pool, codeTestTask("return {'v': _item['json']['n'] + 1}", mode: "runOnceForEachItem"), language: .python)
        #expect(each.value == [["json": ["v": 2], "pairedItem": ["item": 0]], ["json": ["v": 3], "pairedItem": ["item": 1]]])
        let input = await runCode(pool, codeTestTask("return _input.first()['json']"), language: .python)
        #expect(input.value == [["json": ["n": 1]]])
    }

    @Test("print is captured; errors and return shapes use n8n's messages")
    func printsAndErrors() async {
        let host = RecordingHost()
        _ = await runCode(pool, codeTestTask("print('hi', 1)\nreturn []"), language: .python, host: host)
        #expect(host.logs == [["'hi'", "1"]])
        #expect(await runCode(pool, codeTestTask("return 'x'"), language: .python).failure?.message == "Code doesn't return items properly")
        #expect(await runCode(pool, codeTestTask("return {'json': 1}"), language: .python).failure?.message
            == "A 'json' property isn't a dictionary [item 0]")
        #expect(await runCode(pool, codeTestTask("x = 1\nreturn y"), language: .python).failure?.message == "name 'y' is not defined")
    }

    @Test("imports are refused unless allowed")
    func imports() async {
        let result = await runCode(pool, codeTestTask("import os\nreturn []"), language: .python)
        #expect(result.failure?.message
            == "Security violations detected:\n- Line 1: Import of standard library module 'os' is disallowed. Allowed stdlib modules: none")
    }

    @Test("a Python endless loop hits the time limit")
    func timeLimit() async {
        let pool = makeCodeTestPool(timeout: .seconds(1))
        #expect(await runCode(pool, codeTestTask("while True:\n    pass"), language: .python).failure?.code == .timeLimit)
        #expect(await runCode(pool, codeTestTask("return [{'ok': True}]"), language: .python).value == [["json": ["ok": true]]])
    }
}

@Suite("Code syntax check")
struct CodeSyntaxCheckTests {
    let checker = CodeSyntaxChecker(configuration: .init(runnersDirectory: codeTestRunnersDirectory))

    @Test("JavaScript syntax errors come with line and column; valid code (top-level return, await) passes")
    func javaScript() throws {
        let problems = try checker.check(["return await 1", "const a = 1;\nlet b = ;"], language: .javaScript)
        #expect(problems[0] == nil)
        #expect(problems[1]?.line == 2)
        #expect(problems[1]?.column == 9)
        #expect(problems[1]?.message == "SyntaxError: Unexpected token ';'")
    }

    @Test("Python syntax errors come with line and column")
    func python() throws {
        let problems = try checker.check(["return 1", "x = 1\ny = (\n"], language: .python)
        #expect(problems[0] == nil)
        #expect(problems[1]?.line == 2)
    }
}

@Suite("Code syntax check in validation")
struct CodeSyntaxValidationTests {
    static let workflow = """
        {"name": "w", "nodes": [
          {"name": "Start", "type": "n8n-nodes-base.manualTrigger", "typeVersion": 1, "position": [0, 0], "parameters": {}},
          {"name": "Broken", "type": "n8n-nodes-base.code", "typeVersion": 2, "position": [200, 0],
           "parameters": {"jsCode": "const a = 1;\\nreturn [{a: }];"}},
          {"name": "Fine", "type": "n8n-nodes-base.code", "typeVersion": 2, "position": [400, 0],
           "parameters": {"language": "pythonNative", "pythonCode": "return [{'a': 1}]"}},
          {"name": "Py", "type": "n8n-nodes-base.code", "typeVersion": 2, "position": [600, 0],
           "parameters": {"language": "pythonNative", "pythonCode": "x = (\\nreturn []"}}
        ], "connections": {}}
        """

    @Test("syntax errors are reported with node, parameter, line and column; valid code is not")
    func diagnostics() {
        var configuration = WorkflowValidator.Configuration()
        configuration.checks = [CodeSyntaxCheck(configuration: .init(runnersDirectory: codeTestRunnersDirectory))]
        let report = WorkflowValidator(configuration: configuration).validate(text: Self.workflow, format: .json, fileName: "w.json")
        let code = report.diagnostics.filter { $0.code == .codeSyntax }
        #expect(code.map(\.node) == ["Broken", "Py"])
        #expect(code.first?.parameter == "jsCode")
        #expect(code.first?.message == "syntax error in jsCode at line 2, column 13: SyntaxError: Unexpected token '}'")
        #expect(code.last?.parameter == "pythonCode")
        #expect(!report.isValid)
    }

    @Test("a missing runtime is a warning naming the package to install")
    func missingRuntime() {
        var configuration = WorkflowValidator.Configuration()
        configuration.checks = [CodeSyntaxCheck(configuration: .init(runnersDirectory: codeTestRunnersDirectory, nodeExecutable: "/nonexistent/node"))]
        let report = WorkflowValidator(configuration: configuration).validate(text: Self.workflow, format: .json, fileName: "w.json")
        let warning = report.diagnostics.first { $0.code == .codeRuntimeUnavailable }
        #expect(warning?.severity == .warning)
        #expect(warning?.message.contains("JavaScript") == true)
    }
}

@Suite("Python runner security checks")
struct CodePythonSecurityTests {
    @Test("escape attributes are refused before the code runs")
    func blockedAttributes() async {
        let result = await runCode(makeCodeTestPool(), codeTestTask("x = ().__class__.__subclasses__()\nreturn []"), language: .python)
        #expect(result.failure?.message
            == "Security violations detected:\n- Line 1: Access to attribute '__subclasses__' is disallowed, because it can be used to bypass security restrictions.")
    }
}

@Suite("Python runner: the older Pyodide-style API")
struct CodePythonLegacyTests {
    @Test("n8n's default Python code runs: attribute access and assignment on _input items")
    func defaultCode() async {
        let result = await runCode(makeCodeTestPool(), codeTestTask(CodeNode.defaultPython), language: .python)
        #expect(result.value == [["json": ["n": 1, "my_new_field": 1], "pairedItem": ["item": 0]], ["json": ["n": 2, "my_new_field": 1], "pairedItem": ["item": 1]]])
    }

    @Test("_today, _mode and _input.first().json.name")
    func globals() async {
        let result = await runCode(makeCodeTestPool(), codeTestTask("return {'t': _today, 'm': _mode, 'n': _input.first().json.n}"), language: .python)
        #expect(result.value == [["json": ["t": "2023-11-14T00:00:00.000Z", "m": "manual", "n": 1]]])
    }
}

@Suite("Code task cancellation")
struct CodeCancellationTests {
    @Test("cancelling a running task stops its runner; the next task gets a clean one")
    func cancellation() async {
        let pool = makeCodeTestPool()
        let slow = Task { await runCode(pool, codeTestTask("await new Promise(r => setTimeout(r, 3000)); return [{late: true}]")) }
        try? await Task.sleep(for: .milliseconds(800))
        slow.cancel()
        let cancelled = await slow.value
        #expect(cancelled.failure != nil)
        let next = await runCode(pool, codeTestTask("return [{fresh: true}]"))
        #expect(next.value == [["json": ["fresh": true]]])
    }
}

@Suite("Python memory limit")
struct CodePythonMemoryTests {
    @Test("a Python task over the memory limit fails clearly and the runner is replaced")
    func memoryLimit() async {
        let pool = makeCodeTestPool(memoryLimitMB: 64)
        let result = await runCode(pool, codeTestTask("x = bytearray(1024 * 1024 * 1024)\nreturn []"), language: .python)
        #expect(result.failure?.code == .memoryLimit)
        #expect(await runCode(pool, codeTestTask("return [{'ok': True}]"), language: .python).value == [["json": ["ok": true]]])
    }
}

@Suite("Python values crossing to JSON")
struct CodePythonValueTests {
    @Test("NaN and infinities become null, as JSON.stringify does in JavaScript")
    func nonFinite() async {
        let result = await runCode(makeCodeTestPool(), codeTestTask("return [{'a': float('nan'), 'b': float('inf'), 'c': 1.5}]"), language: .python)
        #expect(result.value == [["json": ["a": .null, "b": .null, "c": 1.5]]])
    }
}
