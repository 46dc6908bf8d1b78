import Foundation
import Testing

@testable import FlowrunExpressions

@Suite("JSON parsing: shared key lists, mapped files")
struct JSONParsingMemoryTests {
    /// The address of an object's key storage, to tell shared lists from copies.
    private func keyStorage(_ value: JSONValue?) -> UnsafeRawPointer? {
        value?.objectValue?.keys.withContiguousStorageIfAvailable { UnsafeRawPointer($0.baseAddress) } ?? nil
    }

    @Test("objects with the same keys in the same order share one key list")
    func sharedShapes() throws {
        let value = try JSONValue(parsing: #"[{"a":1,"b":{"x":true}},{"a":2,"b":{"x":false}},{"b":3,"a":4},{"a":5,"b":6}]"#)
        let items = try #require(value.arrayValue)
        #expect(keyStorage(items[0]) != nil)
        #expect(keyStorage(items[0]) == keyStorage(items[1]))
        #expect(keyStorage(items[0]) == keyStorage(items[3]))
        #expect(keyStorage(items[0]["b"]) == keyStorage(items[1]["b"]))
        #expect(keyStorage(items[2]) != keyStorage(items[0]))
        #expect(items[2].objectValue.map { Array($0.keys) } == ["b", "a"])
        #expect(value.jsonString() == #"[{"a":1,"b":{"x":true}},{"a":2,"b":{"x":false}},{"b":3,"a":4},{"a":5,"b":6}]"#)
        // Changing one object leaves the others alone (copy on write).
        var changed = try #require(items[0].objectValue)
        changed["c"] = 1
        #expect(items[1].objectValue.map { Array($0.keys) } == ["a", "b"])
        #expect(Array(changed.keys) == ["a", "b", "c"])
    }

    @Test("a repeated key keeps its first place and its last value, shared shapes or not")
    func repeatedKeys() throws {
        let value = try JSONValue(parsing: #"[{"a":1,"b":2},{"a":1,"b":2,"a":3},{"a":1,"b":2}]"#)
        #expect(value.jsonString() == #"[{"a":1,"b":2},{"a":3,"b":2},{"a":1,"b":2}]"#)
        let wide = (0..<40).map { "\"k\($0)\":\($0)" }.joined(separator: ",")
        let many = try JSONValue(parsing: "[{\(wide)},{\(wide)},{\(wide),\"k3\":\"x\"}]")
        let list = try #require(many.arrayValue)
        let objects = list.compactMap { $0.objectValue }
        #expect(objects.count == 3)
        #expect(objects[1]["k39"] == 39 && objects[1].count == 40)
        #expect(objects[2]["k3"] == "x" && objects[2].count == 40 && objects[2].keys[3] == "k3")
    }

    @Test("a mapped file parses as the same text does, beyond the pages it gives back")
    func mappedFile() throws {
        let path = NSTemporaryDirectory() + "flowrun-json-\(UUID().uuidString).json"
        defer { try? FileManager.default.removeItem(atPath: path) }
        // About 12 MB, so pages are handed back several times while parsing.
        let item = #"{"id":0,"text":"\#(String(repeating: "é-x ", count: 50))","list":[1,2.5,"three",null,true]}"#
        let text = "[" + Array(repeating: item, count: 50_000).joined(separator: ",\n") + "]"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let mapped = try JSONValue(contentsOfFile: path)
        #expect(mapped == (try JSONValue(parsing: text)))
        #expect(mapped.arrayValue?.count == 50_000)
    }

    @Test("a mapped file's errors: position past the released pages, missing and empty files")
    func mappedFileErrors() throws {
        let path = NSTemporaryDirectory() + "flowrun-json-\(UUID().uuidString).json"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let line = #"{"a":"\#(String(repeating: "x", count: 1000))"}"#
        let text = "[" + Array(repeating: line, count: 10_000).joined(separator: ",\n") + ",\n  oops]"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        do throws(JSONFileError) {
            _ = try JSONValue(contentsOfFile: path)
            Issue.record("the syntax error was not reported")
        } catch .syntax(let error) {
            #expect(error.line == 10_001)
            #expect(error.column == 3)
        } catch {
            Issue.record("unexpected \(error)")
        }
        #expect(throws: JSONFileError.self) { try JSONValue(contentsOfFile: path + ".missing") }
        try "".write(toFile: path, atomically: true, encoding: .utf8)
        do throws(JSONFileError) {
            _ = try JSONValue(contentsOfFile: path)
            Issue.record("an empty file parsed")
        } catch .syntax(let error) {
            #expect(error.message.contains("end of input"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}

@Suite("Adding fields to objects of one shape")
struct JSONObjectAppenderTests {
    private func keyStorage(_ object: JSONObject) -> UnsafeRawPointer? {
        object.keys.withContiguousStorageIfAvailable { UnsafeRawPointer($0.baseAddress) } ?? nil
    }

    /// What the appender must give: the fields set one after the other.
    private func assigned(_ fields: [(String, JSONValue)], to base: JSONObject) -> JSONObject {
        var o = base
        for (k, v) in fields { o[k] = v }
        return o
    }

    @Test("new fields go last, and objects of one shape share the result's key list")
    func sharesKeys() throws {
        let items = try #require(try JSONValue(parsing: #"[{"a":1,"b":"x"},{"a":2,"b":"y"},{"a":3,"b":"z"}]"#).arrayValue)
        var appender = JSONObjectAppender()
        var results: [JSONObject] = []
        for (i, item) in items.enumerated() {
            let base = try #require(item.objectValue)
            let fields: [(String, JSONValue)] = [("c", .number(Double(i))), ("d", "new")]
            let result = appender.appending(fields, to: base)
            #expect(result == assigned(fields, to: base))
            #expect(Array(result.keys) == ["a", "b", "c", "d"])
            results.append(result)
        }
        #expect(keyStorage(results[1]) == keyStorage(results[2]))
        #expect(JSONValue.array(results.map(JSONValue.object)).jsonString()
            == #"[{"a":1,"b":"x","c":0,"d":"new"},{"a":2,"b":"y","c":1,"d":"new"},{"a":3,"b":"z","c":2,"d":"new"}]"#)
        // Changing one result leaves the others alone.
        var changed = results[1]
        changed["e"] = true
        #expect(Array(results[2].keys) == ["a", "b", "c", "d"])
    }

    @Test("existing and repeated keys, other shapes and empty fields give what assignment gives", arguments: [
        [("a", JSONValue.number(9))],
        [("c", JSONValue.number(1)), ("c", JSONValue.number(2))],
        [("b", JSONValue.null), ("z", JSONValue.bool(true))],
        [],
    ])
    func sameAsAssignment(fields: [(String, JSONValue)]) {
        var appender = JSONObjectAppender()
        let bases: [JSONObject] = [["a": 1, "b": 2], ["a": 3, "b": 4], ["b": 5, "a": 6], ["a": 7], [:], ["a": 1, "b": 2]]
        for base in bases {
            let result = appender.appending(fields, to: base)
            #expect(result == assigned(fields, to: base))
            #expect(Array(result.keys) == Array(assigned(fields, to: base).keys))
        }
    }
}
