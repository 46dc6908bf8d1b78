import Testing

@testable import FlowrunExpressions

@Suite("JSON values")
struct JSONValueTests {
    @Test("parsing keeps object key order and round-trips")
    func keyOrder() throws {
        let text = #"{"b":1,"a":[true,false,null],"c":{"z":"\u00e9\n","y":-1.5e3}}"#
        let value = try JSONValue(parsing: text)
        #expect(value.objectValue.map { Array($0.keys) } == ["b", "a", "c"])
        #expect(value.jsonString() == #"{"b":1,"a":[true,false,null],"c":{"z":"é\n","y":-1500}}"#)
    }

    @Test("syntax errors carry line and column", arguments: [
        ("{\n  \"a\": tru\n}", 2, 8),
        ("[1,\n2,,3]", 2, 3),
        ("{\"a\" 1}", 1, 6),
        ("\"abc", 1, 1),
    ])
    func errorPosition(text: String, line: Int, column: Int) {
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: text) }
        do {
            _ = try JSONValue(parsing: text)
        } catch {
            #expect(error.line == line)
            #expect(error.column == column)
        }
    }

    @Test("deep nesting is refused, not a stack overflow")
    func deepNesting() {
        let text = String(repeating: "[", count: 100_000)
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: text) }
    }

    @Test("numbers print as JavaScript prints them", arguments: [
        (1.0, "1"), (1.5, "1.5"), (-0.0, "0"), (1e21, "1e+21"), (1e20, "100000000000000000000"),
        (123456789012345680000, "123456789012345680000"), (0.1 + 0.2, "0.30000000000000004"),
        (5e-7, "5e-7"), (0.000001, "0.000001"), (1.2345e-10, "1.2345e-10"), (-42.25, "-42.25"),
        (Double.nan, "NaN"), (Double.infinity, "Infinity"), (1e16, "10000000000000000"), (2.5e300, "2.5e+300"),
        // Around the plain-decimal fast path (Swift's own text for fractions in 1e-4 ..< 1e15).
        (1e-4, "0.0001"), (-1e-4, "-0.0001"), (9.999e-5, "0.00009999"), (0.000123, "0.000123"),
        (123456789012345.6, "123456789012345.6"), (999999999999999.9, "999999999999999.9"),
        (1000000000000000.5, "1000000000000000.5"), (-1234567.25, "-1234567.25"), (5e-324, "5e-324"),
        (0.1, "0.1"), (1.0 / 3.0, "0.3333333333333333"), (2.0 / 3.0, "0.6666666666666666"), (100.5, "100.5"),
    ])
    func numberFormatting(value: Double, expected: String) {
        #expect(JSNumberFormatting.string(value) == expected)
    }
}

@Suite("Items")
struct ItemTests {
    @Test("paired items read n8n's three spellings")
    func pairedItemSpellings() {
        #expect(PairedItem.list(from: .number(2)) == [PairedItem(item: 2)])
        #expect(PairedItem.list(from: ["item": 1, "input": 1]) == [PairedItem(item: 1, input: 1)])
        #expect(PairedItem.list(from: [["item": 0], ["item": 3]]) == [PairedItem(item: 0), PairedItem(item: 3)])
    }

    @Test("hostile paired-item indexes are dropped, not trapped on", arguments: [
        JSONValue.number(.nan), .number(1e300), .number(-1), .number(1.5), ["item": .number(.infinity)],
    ])
    func hostilePairedItems(value: JSONValue) {
        #expect(PairedItem.list(from: value) == nil)
    }
}

@Suite("JavaScript key order")
struct KeyOrderTests {
    @Test("array-index keys print first, ascending, as JSON.stringify does; other keys keep their order")
    func indexKeysFirst() throws {
        let value = try JSONValue(parsing: #"{"b":1,"10":2,"a":3,"2":4,"01":5,"4294967295":6}"#)
        #expect(value.jsonString() == #"{"2":4,"10":2,"b":1,"a":3,"01":5,"4294967295":6}"#)
    }
}
