import Foundation
import Testing

@testable import FlowrunExpressions

/// Random and mutated inputs: the parser and evaluator must return or throw, never crash or hang.
@Suite("Expression fuzzing")
struct FuzzTests {
    /// A small deterministic generator (SplitMix64) so failures reproduce.
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let seeds = [
        "={{ $json.a.b }}", "={{ [1, 2, 3].map(x => x * 2).filter(x => x > 2) }}", "=a {{ 'x'.toUpperCase() }} b {{ 1 + 2 }}",
        "={{ (() => { let s = 0; for (const n of [1, 2]) { s += n } return s })() }}", "={{ { a: [1, { b: `t${1}` }] } }}",
        "={{ /a(b)?c/gi.test('ABC') ? $json['x y'] ?? 0 : null }}", "={{ new Date(0).toISOString().split('T')[0] }}",
        "={{ $if($json.a, 'y', 'n') }}", "={{ JSON.stringify({ a: 1 }, null, 2) }}", "={{ Object.entries($json).length }}",
    ]
    static let fragments = [
        "(", ")", "[", "]", "{", "}", "{{", "}}", "=>", "...", "?.", "??", "`", "${", "'", "\"", "/", "\\", ",", ";", ":",
        "function", "return", "for", "while(1)", "new", "$json", "$(", "x", "0x", "1e", "**", "--", "++", "typeof", "=",
        "/*", "//", "\n", "\u{1F600}", "\u{0}", "let", "const", "class", "async", "await", "__proto__", "constructor",
    ]

    static let budget = EvaluationBudget(maxSteps: 20_000, maxAllocation: 200_000, maxCallDepth: 40)

    static func run(_ parameter: String) {
        guard let expression = try? ParameterExpression(parsing: parameter) else { return }
        _ = try? expression.evaluate(in: testContext(json: ["a": ["b": 1], "x y": "z"], budget: budget))
    }

    @Test("mutated seeds never crash or hang")
    func mutations() {
        var rng = Generator(state: 42)
        let deadline = Date().addingTimeInterval(5)
        var count = 0
        while count < 3000 && Date() < deadline {
            var chars = Array(Self.seeds[Int(rng.next() % UInt64(Self.seeds.count))])
            for _ in 0..<(1 + Int(rng.next() % 4)) {
                let position = chars.isEmpty ? 0 : Int(rng.next() % UInt64(chars.count + 1))
                switch rng.next() % 3 {
                case 0 where !chars.isEmpty: chars.remove(at: min(position, chars.count - 1))
                case 1: chars.insert(contentsOf: Self.fragments[Int(rng.next() % UInt64(Self.fragments.count))], at: position)
                default:
                    if !chars.isEmpty { chars[min(position, chars.count - 1)] = Character(Unicode.Scalar(UInt8(32 + rng.next() % 95))) }
                }
            }
            Self.run(String(chars))
            count += 1
        }
        #expect(count > 100)
    }

    @Test("random fragment soup never crashes or hangs")
    func soup() {
        var rng = Generator(state: 7)
        let deadline = Date().addingTimeInterval(4)
        var count = 0
        while count < 3000 && Date() < deadline {
            let length = 1 + Int(rng.next() % 12)
            let body = (0..<length).map { _ in Self.fragments[Int(rng.next() % UInt64(Self.fragments.count))] }.joined(separator: " ")
            Self.run("={{ " + body + " }}")
            count += 1
        }
        #expect(count > 100)
    }

    @Test("extreme numeric arguments answer instead of trapping", arguments: [
        "''.repeat(1e300)", "new Date(1e300, 0).getTime()", "Date.UTC(1e300)", "(1).toExponential(1e300)",
        "(() => { const d = new Date(0); d.setFullYear(1e300); return d.getTime() })()", "'abc'.slice(-1e300, 1e300)",
        "[1, 2].at(1e300)", "'x'.padStart(Infinity)", "(12).toString(1e300)", "[1, 2].splice(1e300, 1e300)",
        "'abc'.substr(1e300)", "new Array(-1)", "(() => { const a = []; a.length = 1e300; return a })()",
        "[1, 2, 3].with(-1e300, 0)", "'abc'.charAt(-1e300)", "String.fromCharCode(1e300)", "(1e300).toFixed(2)",
        "$jmespath([1, 2], '[99999999999999999999]')", "$jmespath([1, 2], '[::-99999999999]')",
    ])
    func extremeNumbers(code: String) {
        Self.run("={{ \(code) }}")
    }

    @Test("pathological nesting is refused, not a stack overflow")
    func deepNesting() {
        for depth in [300, 3_000] {
            let parameter = "={{ " + String(repeating: "(", count: depth) + "1" + String(repeating: ")", count: depth) + " }}"
            #expect(throws: ExpressionSyntaxError.self) { _ = try ParameterExpression(parsing: parameter) }
            let arrays = "={{ " + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + " }}"
            #expect(throws: ExpressionSyntaxError.self) { _ = try ParameterExpression(parsing: arrays) }
        }
    }
}
