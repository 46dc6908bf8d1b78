import FlowrunExpressions
import Testing

@Suite("JSONItemsMessage: a runner answer read straight into Items")
struct JSONItemsMessageTests {
    static func parse(_ text: String) throws -> JSONItemsMessage {
        var copy = text
        return try copy.withUTF8 { buffer in
            try JSONItemsMessage(parsing: UnsafeRawBufferPointer(buffer), pairedItem: { PairedItem.list(from: $0) })
        }
    }

    @Test("plain items become Items; the other members stay JSON")
    func plainItems() throws {
        let text = #"""
            {"type":"done","ok":true,"staticData":{"global":{}},"items":[
              {"json":{"id":1,"name":"a","tags":["x"]},"pairedItem":{"item":0}},
              {"json":{"id":2,"name":"b","tags":[]}},
              {"json":{"name":"c","id":3},"binary":{"data":{"mimeType":"text/plain"}},"pairedItem":[{"item":1,"input":1},{"item":2}],"error":null,"metadata":{},"index":4},
              {"json":{"id":4,"name":"d","tags":[]}},
              {"json":{"i\"d":5,"\u00e9":"é"}},
              {"json":{"i\"d":6,"\u00e9":"ü"}},
              {"json":{}}
            ],"customData":{}}
            """#
        let message = try Self.parse(text)
        #expect(message.fields == ["type": "done", "ok": true, "staticData": ["global": [:]], "customData": [:]])
        let items = try #require(message.items)
        let generic = try #require(JSONValue(parsing: text)["items"]?.arrayValue)
        #expect(items == generic.map { Item(jsonValue: $0) })
        #expect(items[0].pairedItem == [PairedItem(item: 0)])
        #expect(items[1].pairedItem == nil)
        #expect(items[2].pairedItem == [PairedItem(item: 1, input: 1), PairedItem(item: 2)])
        #expect(items[2].error == .null)
        #expect(Array(items[2].json.keys) == ["name", "id"])
        #expect(items[5].json == ["i\"d": 6, "é": "ü"])
    }

    @Test("json objects whose keys match the item before's, then differ, stop early, go on or repeat a key")
    func predictedKeys() throws {
        let text = #"""
            {"items":[
              {"json":{"a":1,"b":"x","c":[1,2]}},
              {"json":{"a":2,"b":"y","c":[]}},
              {"json":{"a":3,"x":"z","c":null}},
              {"json":{"a":4,"x":"w","c":{}}},
              {"json":{"a":5,"x":"v"}},
              {"json":{"a":6,"x":"u","c":true,"d":7}},
              {"json":{"a":8,"x":"t","c":false,"d":9}},
              {"json":{"a":10,"x":"s","a":11,"d":12}},
              {"json":{"b":1}},
              {"json":{ "b" : 2 , "e" : 3 }}
            ]}
            """#
        let items = try #require(try Self.parse(text).items)
        let generic = try #require(JSONValue(parsing: text)["items"]?.arrayValue)
        #expect(items == generic.map { Item(jsonValue: $0) })
        #expect(items.map { Array($0.json.keys) } == [
            ["a", "b", "c"], ["a", "b", "c"], ["a", "x", "c"], ["a", "x", "c"], ["a", "x"], ["a", "x", "c", "d"],
            ["a", "x", "c", "d"], ["a", "x", "d"], ["b"], ["b", "e"],
        ])
        #expect(items[7].json == ["a": 11, "x": "s", "d": 12])
        #expect(items[2].json["c"] == .null)
    }

    @Test("anything but plain items leaves the array as JSON, as JSONValue(parsing:) reads it", arguments: [
        #"{"items":[{"json":{}},{"a":1}]}"#,
        #"{"items":[{"a":1}]}"#,
        #"{"items":[{"json":{},"json":{}}]}"#,
        #"{"items":[{"json":1}]}"#,
        #"{"items":[{"json":{},"binary":5}]}"#,
        #"{"items":[{"binary":{}}]}"#,
        #"{"items":[1,2]}"#,
        #"{"items":[{}]}"#,
        #"{"items":{"json":[]}}"#,
        #"{"items":[{"json":{}}],"items":[{"json":{"a":1}}]}"#,
    ])
    func notPlain(text: String) throws {
        let message = try Self.parse(text)
        #expect(message.items == nil)
        #expect(JSONValue.object(message.fields) == (try JSONValue(parsing: text)))
    }

    @Test("an empty list, a message without items, and broken text")
    func edges() throws {
        #expect(try Self.parse(#"{"items":[]}"#).items == [])
        let log = try Self.parse(#"{"type":"log","args":["x"]}"#)
        #expect(log.items == nil && log.fields == ["type": "log", "args": ["x"]])
        #expect(throws: JSONParseError.self) { try Self.parse(#"{"items":[{"json":{"a":1}}"#) }
        #expect(throws: JSONParseError.self) { try Self.parse(#"[1]"#) }
        #expect(throws: JSONParseError.self) { try Self.parse(#"{"items":[{"json":{"a":1}}]} x"#) }
    }
}
