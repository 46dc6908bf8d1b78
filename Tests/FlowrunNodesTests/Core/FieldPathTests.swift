import FlowrunExpressions
import Testing

@testable import FlowrunNodes

@Suite("lodash-style field paths")
struct FieldPathTests {
    @Test("paths split on dots and brackets")
    func segments() {
        #expect(FieldPath.segments("a.b[0].c") == ["a", "b", "0", "c"])
        #expect(FieldPath.segments("a[\"x.y\"]") == ["a", "x.y"])
    }

    @Test("set creates objects and arrays as lodash does")
    func set() {
        var o: JSONObject = [:]
        FieldPath.set(&o, "a.b", 1)
        FieldPath.set(&o, "list[1]", "x")
        #expect(JSONValue.object(o) == ["a": ["b": 1], "list": [nil, "x"]])
    }

    @Test("a key that exists with a dot is used as is")
    func literalKey() {
        let o: JSONValue = ["a.b": 1, "a": ["b": 2]]
        #expect(FieldPath.get(o, "a.b") == 1)
        #expect(FieldPath.get(o, "a[\"b\"]") == 2)
    }

    @Test("unset removes nested keys")
    func unset() {
        var o: JSONObject = ["a": ["b": 1, "c": 2]]
        FieldPath.unset(&o, "a.b")
        #expect(JSONValue.object(o) == ["a": ["c": 2]])
    }
}
