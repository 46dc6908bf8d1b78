import FlowrunExpressions
import Testing

@Suite("JSONTextBuffer: one-pass JSON text")
struct JSONTextBufferTests {
    static let odd: [JSONValue] = [
        .null, true, false, 0, .number(-0.0), 1, -1, 42, 1.5, -3.25, 0.1, 1e-7, 5e-7, 123_456_789_012_345.6,
        .number(1e15), .number(1e21), .number(-1e21), .number(9_007_199_254_740_993), .number(Double(Int64.max)),
        .number(.nan), .number(.infinity), .number(-.infinity), .number(.leastNonzeroMagnitude), .number(.greatestFiniteMagnitude),
        "", "plain", "quote \" backslash \\ slash /", "control \u{01}\u{1F}\n\r\t\u{08}\u{0C}", "unicode é ü 中文 🙂 \u{2028}",
        [], [1, [2, [3, []]]], [:], ["b": 1, "a": 2, "10": 3, "2": 4, "01": 5], ["nested": ["deeper": ["list": [["k": "v"]]]]],
    ]

    @Test("writes what jsonString() writes, for odd values", arguments: odd)
    func sameAsJSONString(_ value: JSONValue) {
        var text = JSONTextBuffer(capacity: 1)
        text.append(value)
        #expect(String(decoding: text.bytes, as: UTF8.self) == value.jsonString())
    }

    @Test("objects, strings, numbers and raw text side by side; the buffer grows past its capacity")
    func pieces() throws {
        var text = JSONTextBuffer(capacity: 8)
        text.appendRaw("{\"a\":")
        text.append(object: ["x": 1, "y": "z"])
        text.appendRaw(",\"b\":")
        text.append(string: "é\"")
        text.appendByte(UInt8(ascii: ","))
        text.append(string: "n")
        text.appendByte(UInt8(ascii: ":"))
        text.append(number: -0.0)
        text.appendRaw(",\"i\":[")
        text.append(integer: Int.min)
        text.appendByte(UInt8(ascii: ","))
        text.append(integer: Int.max)
        text.appendByte(UInt8(ascii: ","))
        text.append(integer: 0)
        text.appendRaw("]}")
        let written = String(decoding: text.bytes, as: UTF8.self)
        #expect(written == #"{"a":{"x":1,"y":"z"},"b":"é\"","n":0,"i":[-9223372036854775808,9223372036854775807,0]}"#)
        #expect(text.count == written.utf8.count)
        let parsed = try JSONValue(parsing: written)
        #expect(parsed["a"] == ["x": 1, "y": "z"])
    }

    @Test("a big value (10,000 items) comes back the same through the parser")
    func bigRoundTrip() throws {
        let value: JSONValue = .array((0..<10_000).map { i in
            ["id": .number(Double(i)), "name": .string("item \(i) ✓"), "price": .number(Double(i) * 1.5), "tags": ["a", "b"]]
        })
        var text = JSONTextBuffer()
        text.append(value)
        #expect(try JSONValue(parsing: text.bytes) == value)
    }
}
