import FlowrunExpressions
import Testing

@testable import FlowrunNodes

@Suite("Filter conditions (n8n filter-parameter semantics)")
struct FilterEvaluatorTests {
    typealias F = FilterEvaluator

    func eval(_ left: JSONValue?, _ right: JSONValue?, _ type: String, _ op: String, strict: Bool = false,
              caseSensitive: Bool = true, version: Int = 1, rightType: String? = nil, single: Bool = false) throws(F.Failure) -> Bool {
        try F.evaluate(left: left, right: right,
                       operator: .init(type: type, operation: op, rightType: rightType, singleValue: single),
                       options: .init(caseSensitive: caseSensitive, strict: strict, version: version, timeZone: "UTC"))
    }

    @Test("string operators, with and without case")
    func strings() throws {
        #expect(try eval("Hello", "hello", "string", "equals", caseSensitive: false))
        #expect(try !eval("Hello", "hello", "string", "equals"))
        #expect(try eval("abcdef", "cd", "string", "contains"))
        #expect(try eval("abcdef", "ab", "string", "startsWith"))
        #expect(try eval("abcdef", "ef", "string", "endsWith"))
        #expect(try eval("abcdef", "xy", "string", "notContains"))
        #expect(try eval("", nil, "string", "empty"))
        #expect(try eval("x", nil, "string", "notEmpty"))
        #expect(try eval("Elon", "/^e/i", "string", "regex"))
        #expect(try eval("Elon", "^E", "string", "regex"))
        #expect(try eval("elon", "^E", "string", "regex", caseSensitive: false))
        #expect(try eval("Elon", "^x", "string", "notRegex"))
    }

    @Test("numbers: strict rejects numeric strings, loose converts them")
    func numbers() throws {
        #expect(try eval(5, 5, "number", "equals", strict: true))
        #expect(try eval(5, 3, "number", "gt", strict: true))
        #expect(try eval(5, "5", "number", "equals"))
        #expect(throws: F.Failure.self) { try eval(5, "5", "number", "equals", strict: true) }
        do {
            _ = try eval(5, "5", "number", "equals", strict: true)
        } catch {
            #expect(error.message == "Wrong type: '5' is a string but was expecting a number [condition 0, item 0]")
        }
        do {
            _ = try eval("abc", 1, "number", "equals")
        } catch {
            #expect(error.message == "Conversion error: the string 'abc' can't be converted to a number [condition 0, item 0]")
        }
        #expect(try eval(nil, nil, "number", "empty"))
        #expect(try eval(.number(.nan), nil, "number", "notExists"))
    }

    @Test("both sides of the wrong type give the combined message")
    func bothWrong() {
        do {
            _ = try eval("a", "b", "number", "equals", strict: true)
            Issue.record("expected a failure")
        } catch {
            #expect(error.message == "Comparison type expects a number but both fields are a string")
        }
    }

    @Test("booleans: loose parsing, version 2 parses strings before truthiness")
    func booleans() throws {
        #expect(try eval(true, nil, "boolean", "true", single: true))
        #expect(try eval("false", nil, "boolean", "false", version: 2, single: true))
        #expect(try !eval("false", nil, "boolean", "false", version: 1, single: true))
        #expect(try eval(true, true, "boolean", "equals", strict: true))
    }

    @Test("dates compare as instants, empty strings are dates that do not exist")
    func dates() throws {
        #expect(try eval("2024-01-02", "2024-01-01", "dateTime", "after"))
        #expect(try eval("2024-01-01T00:00:00Z", "2023-12-31T19:00:00-05:00", "dateTime", "equals"))
        #expect(try !eval(nil, "2024-01-01", "dateTime", "before"))
        #expect(try eval(nil, nil, "dateTime", "empty"))
    }

    @Test("arrays and objects")
    func collections() throws {
        #expect(try eval([1, 2, 3], 2, "array", "contains", rightType: "any"))
        #expect(try eval(["A", "b"], "a", "array", "contains", caseSensitive: false, rightType: "any"))
        #expect(try eval([1, 2, 3], 3, "array", "lengthEquals", rightType: "number"))
        #expect(try eval([], nil, "array", "empty"))
        #expect(try eval([:], nil, "object", "empty"))
        #expect(try eval(["a": 1], nil, "object", "notEmpty"))
        #expect(try eval("[1,2]", 2, "array", "lengthEquals", rightType: "number"))
    }

    @Test("filter version 3 treats empty strings as null for numbers")
    func version3Empty() throws {
        #expect(try eval("", nil, "number", "empty", version: 3))
        #expect(try !eval("", nil, "number", "empty", version: 2))
    }
}

@Suite("Legacy comparisons (If v1, Switch v1/v2)")
struct LegacyComparisonTests {
    @Test("raw JavaScript comparisons")
    func comparisons() {
        #expect(LegacyComparison.compare("smaller", 1, 2) == true)
        #expect(LegacyComparison.compare("larger", nil, -1) == true)
        #expect(LegacyComparison.compare("equal", 1, "1") == false)
        #expect(LegacyComparison.compare("contains", "Elon Musk", "Elon") == true)
        #expect(LegacyComparison.compare("regex", "Elon", "/^e/i") == true)
        #expect(LegacyComparison.compare("isEmpty", [:], nil) == true)
        #expect(LegacyComparison.compare("isNotEmpty", "x", nil) == true)
        #expect(LegacyComparison.compare("nope", 1, 1) == nil)
    }
}
