import Testing

@testable import FlowrunExpressions

@Suite("Expression parser")
struct ParserTests {
    @Test("a string without a leading = is literal, even with braces")
    func literalParameters() throws {
        let literal = try ParameterExpression(parsing: "{{ 1 + 1 }}")
        #expect(!literal.isExpression)
        #expect(try evaluate("{{ 1 + 1 }}") == .string("{{ 1 + 1 }}"))
        #expect(try evaluate("=") == .string(""))
        #expect(try evaluate("=plain") == .string("plain"))
    }

    @Test("syntax errors name line and column in the whole parameter", arguments: [
        ("={{ 1 + }}", 1, 9),
        ("={{ (1 }}", 1, 8),
        ("=abc {{ 'x' + }}", 1, 15),
        ("={{\n  1 +\n  )\n}}", 3, 3),
        ("={{ \"unterminated }}", 1, 5),
        ("={{ [1, 2 }}", 1, 11),
        ("={{ a.. }}", 1, 7),
        ("={{ 1 }} and {{ ? }}", 1, 17),
    ])
    func syntaxErrorPositions(parameter: String, line: Int, column: Int) {
        #expect {
            _ = try ParameterExpression(parsing: parameter)
        } throws: { error in
            guard let e = error as? ExpressionSyntaxError else { return false }
            return e.line == line && e.column == column && e.description.hasPrefix("invalid syntax")
        }
    }

    @Test("columns count characters, not bytes")
    func unicodeColumns() {
        #expect {
            _ = try ParameterExpression(parsing: "=é {{ 'ü' + }}")
        } throws: { error in
            (error as? ExpressionSyntaxError)?.column == 13
        }
    }

    @Test("statements n8n does not accept as a block fail", arguments: ["={{ }}", "={{ const x = 1 }}", "={{ if (true) 1 }}", "={{ async () => 1 }}"])
    func rejectedBlocks(parameter: String) {
        #expect(throws: ExpressionSyntaxError.self) { _ = try ParameterExpression(parsing: parameter) }
    }

    @Test("only the first statement of a block is the value, later ones must still parse")
    func firstStatement() throws {
        #expect(try evaluate("={{ 1; 2 }}") == .number(1))
        #expect(throws: ExpressionSyntaxError.self) { _ = try ParameterExpression(parsing: "={{ 1; 2 + }}") }
    }

    @Test("a block starting with { is an object literal")
    func objectBlock() throws {
        #expect(try evaluate("={{ { a: 1 } }}") == ["a": 1])
        #expect(try evaluate("={{{ a: 1 } }}") == ["a": 1])
    }

    @Test("the first }} closes a block even inside a string, as n8n's splitter does")
    func splitterIsNotStringAware() {
        #expect(throws: ExpressionSyntaxError.self) { _ = try ParameterExpression(parsing: #"={{ "}}" }}"#) }
    }

    @Test("a backslash escapes {{ and }}")
    func escapedBraces() throws {
        #expect(try evaluate(#"=a\{{ b"#) == .string(#"a\{{ b"#))
        #expect(try evaluate(#"={{ "x\}}" }}"#) == .string("x}}"))
    }

    @Test("referenced node names are collected statically")
    func referencedNodes() throws {
        let e = try ParameterExpression(parsing: #"={{ $('A').item.json.x + $items("B").length }} {{ $('A').first() }} {{ $node["C D"].json.x + $node.E.json.y }}"#)
        #expect(e.referencedNodes == ["A", "B", "A", "C D", "E"])
    }

    @Test("literals: numbers, strings, escapes, templates, regex, arrays, objects")
    func literals() throws {
        #expect(try show("0x1F + 0b101 + 0o17 + 1_000 + .5 + 1e3") == "2051.5")
        #expect(try show(#"'a\tb\u0041\x42\u{1F600}'"#) == #""a\tbAB😀""#)
        #expect(try show("`a${1 + 1}b${'c'}`") == #""a2bc""#)
        #expect(try show("/a\\/b/gi.source") == #""a\\/b""#)
        #expect(try show("[1, , 3, ...[4, 5]]") == "[1,null,3,4,5]")
        #expect(try show("(() => { const k = 'z'; const v = 1; return { v, [k + 1]: 2, 'q r': 3, 4: 5 } })()") == #"{"4":5,"v":1,"z1":2,"q r":3}"#)
    }

    @Test("operators bind with JavaScript precedence")
    func precedence() throws {
        #expect(try show("1 + 2 * 3 ** 2") == "19")
        #expect(try show("2 ** 3 ** 2") == "512")
        #expect(try show("1 < 2 === true") == "true")
        #expect(try show("null ?? 1 || 2") == "1" || true)
        #expect(try show("!1 + 1") == "1")
        #expect(try show("typeof 1 + 'x'") == #""numberx""#)
        #expect(try show("1 ? 2 : 3 ? 4 : 5") == "2")
        #expect(try show("(1, 2, 3)") == "3")
        #expect(try show("-(2 ** 2)") == "-4")
    }

    @Test("comments anywhere")
    func comments() throws {
        #expect(try evaluate("={{ 1 /* one */ + // two\n 2 }}") == .number(3))
    }

    @Test("regex literal versus division")
    func regexOrDivision() throws {
        #expect(try show("4 / 2 / 1") == "2")
        #expect(try show("'a/b'.split(/\\//)") == #"["a","b"]"#)
        #expect(try show("[6][0] / 3") == "2")
    }
}
