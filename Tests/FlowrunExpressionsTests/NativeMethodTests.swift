import Testing

@testable import FlowrunExpressions

/// Results checked against Node.js (V8) with TZ=UTC.
@Suite("Expression built-in methods")
struct NativeMethodTests {
    @Test("String.prototype", arguments: [
        ("'a,b,,c'.split(',')", #"["a","b","","c"]"#), ("'a1b2c3'.split(/(\\d)/)", #"["a","1","b","2","c","3",""]"#),
        ("'abc'.split('')", #"["a","b","c"]"#), ("'a-b-c'.split('-', 2)", #"["a","b"]"#),
        ("'John Smith'.replace(/(\\w+)\\s(\\w+)/, '$2, $1')", #""Smith, John""#),
        ("'x-y-z'.replace(/-(\\w)/g, (_, c) => c.toUpperCase())", #""xYZ""#),
        ("'abc'.replace(/b/, '[$`|$\\']')", #""a[a|c]c""#), ("'aaa'.replaceAll('a', 'b')", #""bbb""#),
        ("'2024-03-05'.match(/\\d+/g)", #"["2024","03","05"]"#), ("'abc'.match(/x/)", "null"),
        ("'2024-03-05'.match(/(?<y>\\d{4})-(?<m>\\d\\d)/).groups", #"{"y":"2024","m":"03"}"#),
        ("[...'a1b22'.matchAll(/\\d+/g)].map(m => m[0] + '@' + m.index)", #"["1@1","22@3"]"#),
        ("'abc'.padStart(6, '12')", #""121abc""#), ("'ab'.repeat(3)", #""ababab""#), ("'abcdef'.slice(-3, -1)", #""de""#),
        ("'abcdef'.substring(4, 1)", #""bcd""#), ("'abcdef'.substr(-4, 2)", #""cd""#), ("'abc'.at(-1)", #""c""#),
        ("'abc'.charCodeAt(1)", "98"), ("'abcabc'.lastIndexOf('b')", "4"), ("'straße'.toUpperCase()", #""STRASSE""#),
        ("'  a b  '.trim()", #""a b""#), ("'😀a'.length", "3"), ("'😀a'.codePointAt(0)", "128512"),
        ("'a'.localeCompare('b')", "-1"), ("'line1\\nline2'.match(/^line2$/m)[0]", #""line2""#),
        ("'x'.match(/^$/)", "null"), ("'a, b ,c'.split(/\\s*,\\s*/)", #"["a","b","c"]"#),
    ])
    func strings(code: String, expected: String) throws {
        #expect(try show(code) == expected)
    }

    @Test("Array.prototype", arguments: [
        ("[3, 1, 10, 2].sort()", "[1,10,2,3]"), ("[3, 1, 10, 2].sort((a, b) => a - b)", "[1,2,3,10]"),
        ("[1, [2, [3, [4]]]].flat(Infinity)", "[1,2,3,4]"), ("[1, 2].flatMap(x => [x, x * 2])", "[1,2,2,4]"),
        ("[1, 2, 3].reduce((a, b) => a + b, 10)", "16"), ("[1, 2, NaN].includes(NaN)", "true"), ("[1, 2, NaN].indexOf(NaN)", "-1"),
        ("[1, 2, 3].findLast(x => x < 3)", "2"), ("[1, null, undefined, 2].join('-')", #""1---2""#),
        ("(() => { const a = [1, 2, 3, 4]; const r = a.splice(1, 2, 'x'); return [a, r]; })()", #"[[1,"x",4],[2,3]]"#),
        ("[1, 2, 3].at(-1)", "3"), ("[1, 2, 3].fill(0, 1)", "[1,0,0]"), ("[0, 1, 2].with(1, 9)", "[0,9,2]"),
        ("Array.from({length: 3}, (_, i) => i * 2)", "[0,2,4]"), ("Array.from('ab')", #"["a","b"]"#),
        ("[...new Set([3, 1, 3, 2])]", "[3,1,2]"), ("[{n: 'b'}, {n: 'a'}].sort((x, y) => x.n.localeCompare(y.n)).map(o => o.n)", #"["a","b"]"#),
        ("(() => { const a = []; a[3] = 1; return a; })()", "[null,null,null,1]"),
        ("(() => { const a = [1, 2, 3]; a.length = 1; return a; })()", "[1]"),
    ])
    func arrays(code: String, expected: String) throws {
        #expect(try show(code) == expected)
    }

    @Test("Number.prototype and Number statics", arguments: [
        ("(123.456).toFixed(1)", #""123.5""#), ("(1.005).toFixed(2)", #""1.00""#), ("(255).toString(16)", #""ff""#),
        ("(-255).toString(36)", #""-73""#), ("(0.5).toString(2)", #""0.1""#), ("(123.456).toPrecision(4)", #""123.5""#),
        ("(0.00001234).toPrecision(2)", #""0.000012""#), ("(123456).toExponential(2)", #""1.23e+5""#),
        ("Number.isInteger(5.0)", "true"), ("Number.isSafeInteger(2**53)", "false"), ("parseInt('0x1A')", "26"),
        ("parseInt('101', 2)", "5"), ("parseFloat('3.14abc')", "3.14"), ("Number('12px')", "NaN"), ("isNaN('abc')", "false"),
        ("(1234567.891).toLocaleString('en-US')", #""1,234,567.891""#),
    ])
    func numbers(code: String, expected: String) throws {
        #expect(try show(code) == expected)
    }

    @Test("Math", arguments: [
        ("Math.round(2.5)", "3"), ("Math.round(-2.5)", "-2"), ("Math.max()", "-Infinity"), ("Math.min(1, '0')", "0"),
        ("Math.hypot(3, 4)", "5"), ("Math.cbrt(27)", "3"), ("Math.trunc(-4.7)", "-4"), ("Math.sign(-3)", "-1"),
        ("Math.max(...[1, 5, 3])", "5"),
    ])
    func math(code: String, expected: String) throws {
        #expect(try show(code) == expected)
    }

    @Test("JSON and Object", arguments: [
        ("JSON.stringify({a: [1, {b: 2}]}, null, 1)", #""{\n \"a\": [\n  1,\n  {\n   \"b\": 2\n  }\n ]\n}""#),
        ("JSON.stringify([1, undefined, () => 1])", #""[1,null,null]""#),
        ("JSON.stringify({a: undefined, c: NaN})", #""{\"c\":null}""#), ("JSON.stringify({b: 1, a: 2, 1: 3})", #""{\"1\":3,\"b\":1,\"a\":2}""#),
        ("JSON.stringify({a: 1, b: 2}, ['a'])", #""{\"a\":1}""#), ("JSON.stringify(new Date(0))", #""\"1970-01-01T00:00:00.000Z\"""#),
        ("JSON.parse('[1, {\"a\": null}]')", #"[1,{"a":null}]"#), ("Object.keys({b: 1, a: 2, 10: 3, 2: 4})", #"["2","10","b","a"]"#),
        ("Object.assign({a: 1}, {b: 2}, {a: 3})", #"{"a":3,"b":2}"#), ("Object.fromEntries([['a', 1]])", #"{"a":1}"#),
        ("Object.entries({x: 1, y: 2}).map(([k, v]) => k + v).join(';')", #""x1;y2""#),
        ("(() => { try { JSON.parse('{bad') } catch (e) { return e.name } })()", #""SyntaxError""#),
    ])
    func jsonAndObject(code: String, expected: String) throws {
        #expect(try show(code) == expected)
    }

    @Test("Date in the workflow zone", arguments: [
        ("new Date(2024, 0, 31).toISOString()", "UTC", #""2024-01-31T00:00:00.000Z""#),
        ("new Date(2024, 0, 31).toISOString()", "America/New_York", #""2024-01-31T05:00:00.000Z""#),
        ("new Date('2024-03-10').toISOString()", "America/New_York", #""2024-03-10T00:00:00.000Z""#),
        ("new Date('2024-03-10T10:00:00').toISOString()", "America/New_York", #""2024-03-10T14:00:00.000Z""#),
        ("new Date(Date.UTC(2024, 2, 10, 12)).getHours()", "America/New_York", "8"),
        ("(() => { const d = new Date(0); d.setHours(25); return d.toISOString(); })()", "UTC", #""1970-01-02T01:00:00.000Z""#),
        ("new Date(0).toUTCString()", "UTC", #""Thu, 01 Jan 1970 00:00:00 GMT""#),
        ("new Date(5) - new Date(2)", "UTC", "3"), ("Date.now()", "UTC", "1711824540000"),
        ("new Date('invalid').getTime()", "UTC", "NaN"),
    ])
    func dates(code: String, zone: String, expected: String) throws {
        #expect(try show(code, zone: zone) == expected)
    }

    @Test("language features inside functions", arguments: [
        ("(() => { const fns = []; for (let i = 0; i < 3; i++) fns.push(() => i); return fns.map(f => f()); })()", "[0,1,2]"),
        ("(() => { let s = 0; outer: for (let i = 0; i < 3; i++) { for (let j = 0; j < 3; j++) { if (j === 1) continue outer; if (i === 2) break outer; s += 1; } } return s; })()", "2"),
        ("(() => { try { return 1; } finally { return 2; } })()", "2"),
        ("(() => { const [a, , b = 5, ...rest] = [1, 2, undefined, 4, 5]; return [a, b, rest]; })()", "[1,5,[4,5]]"),
        ("(function fact(n) { return n <= 1 ? 1 : n * fact(n - 1); })(5)", "120"),
        ("((a, b = a * 2) => a + b)(3)", "9"), ("(() => { let o = {a: null}; o.a ??= 5; o.b ||= 6; return o; })()", #"{"a":5,"b":6}"#),
        ("(() => { let i = 0; const a = [i++, i++, ++i]; return [a, i]; })()", "[[0,1,3],3]"),
        ("(() => { let r = ''; switch ('x') { case 'x': r += 'x'; case 'y': r += 'y'; break; case 'z': r += 'z'; } return r; })()", #""xy""#),
        ("(() => { function f() { return g(); } function g() { return 7; } return f(); })()", "7"),
        ("(() => { try { null.foo; } catch (e) { return e instanceof TypeError; } })()", "true"),
    ])
    func functions(code: String, expected: String) throws {
        #expect(try show(code) == expected)
    }
}
