import Testing

@testable import FlowrunExpressions

@Suite("Expression budget and sandbox")
struct BudgetAndSandboxTests {
    static let small = EvaluationBudget(maxSteps: 100_000, maxAllocation: 1_000_000, maxCallDepth: 50)

    static func budgetFailure(_ parameter: String) -> Bool {
        do {
            _ = try evaluate(parameter, budget: small)
            return false
        } catch let error as ExpressionError {
            return error.code == .budget
        } catch {
            return false
        }
    }

    @Test("an endless loop stops with a budget error", arguments: [
        "={{ (() => { while (true) {} })() }}",
        "={{ (() => { for (;;) {} })() }}",
        "={{ (() => { let i = 0; do { i++ } while (true) })() }}",
        "={{ (() => { try { while (true) {} } catch (e) { return 'caught' } })() }}",
    ])
    func steps(parameter: String) {
        #expect(Self.budgetFailure(parameter))
    }

    @Test("deep recursion stops with a budget error")
    func callDepth() {
        #expect(Self.budgetFailure("={{ (function f(n) { return f(n + 1) })(0) }}"))
        #expect(Self.budgetFailure("={{ (() => { const f = (n) => n + f(n); return f(1) })() }}"))
    }

    @Test("huge strings and arrays stop with a budget error", arguments: [
        "={{ 'x'.repeat(1e9) }}", "={{ 'x'.padStart(1e9) }}", "={{ new Array(1e8) }}",
        "={{ (() => { let s = 'x'; for (let i = 0; i < 40; i++) s += s; return s.length })() }}",
        "={{ (() => { const a = []; a[1e9] = 1; return a })() }}",
    ])
    func allocation(parameter: String) {
        #expect(Self.budgetFailure(parameter))
    }

    @Test("a budget error names the limit")
    func message() {
        #expect { try evaluate("={{ (() => { while (true) {} })() }}", budget: Self.small) } throws: {
            "\($0)".contains("step budget")
        }
    }

    @Test("unsafe property names are refused", arguments: [
        "={{ ({}).__proto__ }}", "={{ ({})['__pro' + 'to__'] }}", "={{ Number.prototype }}", "={{ constructor }}",
        "={{ Object.__defineGetter__ }}", "={{ ({}).constructor }}", "={{ (() => { const { constructor: c } = {}; return c })() }}",
    ])
    func unsafeProperties(parameter: String) {
        #expect { try evaluate(parameter) } throws: { error in
            let text = "\(error)"
            return text.contains("due to security concerns") || text.contains("invalid constructor function call")
        }
    }

    @Test("denied globals read as empty objects; blocked Object statics as undefined", arguments: [
        ("={{ globalThis }}", JSONValue.object([:])), ("={{ eval }}", .object([:])), ("={{ Function }}", .object([:])),
        ("={{ require }}", .object([:])), ("={{ process.env }}", .object([:])), ("={{ typeof Object.defineProperty }}", .string("undefined")),
        ("={{ typeof Reflect.get }}", .string("undefined")), ("={{ typeof fetch }}", .string("object")),
    ])
    func deniedGlobals(parameter: String, expected: JSONValue) throws {
        #expect(try evaluate(parameter) == expected)
    }

    @Test("bare $ is refused")
    func bareDollar() {
        #expect { try evaluate("={{ $ }}") } throws: { "\($0)".contains("Cannot access \"$\" without calling it as a function") }
        #expect { try evaluate("={{ $.x }}") } throws: { "\($0)".contains("Cannot access \"$\"") }
    }

    @Test("$env is blocked unless allowed")
    func environment() throws {
        #expect { try evaluate("={{ $env.HOME }}") } throws: { "\($0)".contains("access to env vars denied") }
        var context = testContext()
        context.envAccessAllowed = true
        context.environment = ["HOME": "/home/x"]
        #expect(try ParameterExpression(parsing: "={{ $env.HOME }}").evaluateJSON(in: context) == .string("/home/x"))
    }

    @Test("this is a safe stand-in object")
    func safeThis() throws {
        #expect(try evaluate("={{ (() => Object.keys(this))() }}") == ["process"])
        #expect(try evaluate("={{ JSON.stringify(this.process) }}") == .string("{}"))
    }
}
