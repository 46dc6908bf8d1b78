import Testing

@testable import FlowrunExpressions

@Suite("Expression coercion rules")
struct CoercionTests {
    @Test("a lone block keeps its type")
    func loneBlockKeepsType() throws {
        #expect(try evaluate("={{ 1 + 1 }}") == .number(2))
        #expect(try evaluate("={{ [1, 'a'] }}") == [1, "a"])
        #expect(try evaluate("={{ null }}") == .null)
        #expect(try evaluate("={{ undefined }}") == nil)
        #expect(try evaluate("={{ $json }}", json: ["a": 1]) == ["a": 1])
        #expect(try evaluate("= {{ 1 }}") == .string(" 1"))
    }

    @Test("mixed text: null, undefined, '' and NaN print nothing; 0 and false print", arguments: [
        ("=a{{ null }}b", "ab"), ("=a{{ undefined }}b", "ab"), ("=a{{ '' }}b", "ab"), ("=a{{ NaN }}b", "ab"),
        ("=a{{ 0 }}b", "a0b"), ("=a{{ false }}b", "afalseb"), ("=a{{ -0 }}b", "a0b"),
        ("=a{{ [1, [2, 3], null] }}b", "a1,2,3,b"), ("=a{{ ({x: 1}) }}b", "a[object Object]b"),
        ("={{ 1 }}{{ 2 }}", "12"), ("=x{{ 1e21 }}", "x1e+21"), ("=x{{ 0.1 + 0.2 }}", "x0.30000000000000004"),
        ("=x{{ new Error('m') }}", "xError: m"),
    ])
    func mixedText(parameter: String, expected: String) throws {
        #expect(try evaluate(parameter) == .string(expected))
    }

    @Test("a DateTime prints as ISO in text and as milliseconds with +")
    func dateTimeText() throws {
        #expect(try evaluate("=now: {{ $now }}") == .string("now: 2024-03-30T18:49:00.000Z"))
        #expect(try evaluate("={{ 'ms ' + $now }}") == .string("ms 1711824540000"))
    }

    @Test("a JS Date prints in the workflow zone in text")
    func dateText() throws {
        #expect(try evaluate("={{ '' + new Date(0) }}", zone: "America/New_York")
            == .string("Wed Dec 31 1969 19:00:00 GMT-0500 (Eastern Standard Time)"))
    }

    @Test("a block that is a function fails as n8n does")
    func functionResult() {
        #expect { try evaluate("={{ Math.max }}") } throws: { "\($0)".contains("this is a function, please add ()") }
        #expect { try evaluate("={{ DateTime }}") } throws: { "\($0)".contains("this is a DateTime, please access its methods") }
    }

    @Test("equality and relational operators coerce like JavaScript", arguments: [
        ("1 == '1'", true), ("0 == ''", true), ("null == undefined", true), ("null == 0", false), ("'0' == false", true),
        ("[] == false", true), ("NaN == NaN", false), ("'10' < '9'", true), ("10 < '9'", false), ("null >= 0", true),
        ("undefined >= 0", false), ("[2] > 1", true), ("'1' === 1", false), ("({}) == '[object Object]'", true),
        ("new Date(0) < new Date(1)", true),
    ])
    func comparisons(code: String, expected: Bool) throws {
        #expect(try value(code).strictEquals(.bool(expected)))
    }

    @Test("arithmetic and number formatting", arguments: [
        ("'5' * '2'", "10"), ("'5' + 2", "\"52\""), ("true + 1", "2"), ("null + 1", "1"), ("undefined + 1", "NaN"),
        ("[] + {}", "\"[object Object]\""), ("+'  12  '", "12"), ("+'0x1f'", "31"), ("+''", "0"), ("+[5]", "5"),
        ("1 / 0", "Infinity"), ("-1 / 0", "-Infinity"), ("-0", "0"), ("1e21", "1e+21"), ("123456789012345680000", "123456789012345680000"),
        ("(-8) % 3", "-2"), ("2 ** -1", "0.5"), ("~5", "-6"), ("-16 >>> 28", "15"), ("1 << 31", "-2147483648"),
    ])
    func arithmetic(code: String, expected: String) throws {
        #expect(try show(code) == expected)
    }

    @Test("truthiness", arguments: [("''", false), ("'0'", true), ("0", false), ("-0", false), ("NaN", false), ("[]", true), ("({})", true), ("null", false)])
    func truthiness(code: String, expected: Bool) throws {
        #expect(try value("!!(\(code))").strictEquals(.bool(expected)))
    }

    @Test("undefined is distinct from null")
    func undefinedVersusNull() throws {
        #expect(try value("$json.missing").isUndefined)
        #expect(try value("null").strictEquals(.null))
        #expect(try show("typeof undefined + typeof null") == #""undefinedobject""#)
    }

    @Test("runtime TypeErrors are swallowed to undefined, or empty text")
    func swallowedErrors() throws {
        #expect(try evaluate("={{ $json.a.b.c }}") == nil)
        #expect(try evaluate("=x{{ $json.a.b.c }}y") == .string("xy"))
        #expect(try evaluate("={{ null.x }}") == nil)
        #expect(try evaluate("={{ (() => { throw new Error('x') })() }}") == nil)
        #expect(try evaluate("={{ 'abc'.foo() }}") == nil)
        // Without a member access or call n8n does not guard the block: the whole result is null.
        #expect(try evaluate("={{ 'a' in 5 }}") == .null)
        #expect(try evaluate("=x{{ 'a' in 5 }}y") == .null)
    }

    @Test("$json is a fresh copy per read: mutations do not leak")
    func jsonCopies() throws {
        let json: JSONObject = ["arr": [1, 2, 3]]
        #expect(try evaluate("={{ [$json.arr.reverse(), $json.arr] }}", json: json) == [[3, 2, 1], [1, 2, 3]])
        #expect(try evaluate("={{ (() => { const j = $json; j.arr.push(4); return j.arr.length })() }}", json: json) == .number(4))
    }
}
