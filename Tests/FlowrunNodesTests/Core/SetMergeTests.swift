import FlowrunCore
import FlowrunExpressions
import Testing

@testable import FlowrunNodes

@Suite("Set node")
struct SetNodeTests {
    @Test("v1/v2: typed values over a copy, dot notation, keepOnlySet", arguments: [1.0, 2.0])
    func legacy(version: Double) async {
        let run = await CoreRun.run("set", version, [
            "values": ["number": [["name": "a.b", "value": 2]], "string": [["name": "s", "value": "={{ $json.x }}"]], "boolean": [["name": "t", "value": "yes"]]],
        ], items: [["x": "hi"]])
        #expect(run.items == [["x": "hi", "t": true, "a": ["b": 2], "s": "hi"]])
        let only = await CoreRun.run("set", version, ["keepOnlySet": true, "values": ["number": [[:]]]], items: [["x": 1]])
        #expect(only.items == [["propertyName": 0]])
    }

    @Test("v1 keeps number values as given, v2 converts them (n8n's Set.workflow.number)")
    func legacyNumbers() async {
        let params: JSONObject = ["keepOnlySet": true, "values": ["number": [["name": "n", "value": "={{ $json.s }}"]]]]
        #expect(await CoreRun.run("set", 1, params, items: [["s": "123456"]]).items == [["n": "123456"]])
        #expect(await CoreRun.run("set", 2, params, items: [["s": "123456"]]).items == [["n": 123456]])
    }

    @Test("v3–v3.2: fields with conversion and include modes", arguments: [3.0, 3.1, 3.2])
    func fields(version: Double) async {
        let run = await CoreRun.run("set", version, [
            "fields": ["values": [["name": "n", "type": "numberValue", "numberValue": "={{ $json.x }}"]]],
            "include": "except", "excludeFields": "drop",
        ], items: [["x": "5", "drop": 1, "keep": 2]])
        #expect(run.items == [["x": "5", "keep": 2, "n": 5]])
        let bad = await CoreRun.run("set", version, ["fields": ["values": [["name": "n", "type": "numberValue", "numberValue": "abc"]]]], items: [[:]])
        #expect(bad.error == "'n' expects a number but we got 'abc' [item 0]")
    }

    @Test("v3.3+: assignments replace the item unless other fields are included", arguments: [3.3, 3.4])
    func assignments(version: Double) async {
        let params: JSONObject = ["assignments": ["assignments": [["name": "out", "type": "string", "value": "={{ $json.n }}"]]]]
        let only = await CoreRun.run("set", version, params, items: [["n": 1]])
        #expect(only.items == [["out": "1"]])
        var all = params
        all["includeOtherFields"] = true
        let kept = await CoreRun.run("set", version, all, items: [["n": 1]])
        #expect(kept.items == [["n": 1, "out": "1"]])
        let nulls = await CoreRun.run("set", version, ["assignments": ["assignments": [["name": "v", "type": "number", "value": "={{ null }}"]]]], items: [[:]])
        #expect(nulls.items == [["v": nil]])
    }

    @Test("raw mode splices expressions into JSON text")
    func raw() async {
        let run = await CoreRun.run("set", 3.4, ["mode": "raw", "jsonOutput": "={ \"a\": {{ $json.n }}, \"o\": {{ $json.o }} }"], items: [["n": 2, "o": ["k": true]]])
        #expect(run.items == [["a": 2, "o": ["k": true]]])
        let bad = await CoreRun.run("set", 3.4, ["mode": "raw", "jsonOutput": "[1]"], items: [[:]])
        #expect(bad.error == "The 'JSON Output' in item 0 does not contain a valid JSON object")
    }
}

@Suite("Merge node")
struct MergeNodeTests {
    let left: [JSONObject] = [["id": 1, "a": "x"], ["id": 2, "a": "y"]]
    let right: [JSONObject] = [["id": 2, "b": "z"], ["id": 3, "b": "w"]]

    @Test("append in every version", arguments: [1.0, 2.0, 2.1, 3.0, 3.1, 3.2])
    func append(version: Double) async {
        let run = await CoreRun.run("merge", version, [:], items: left, second: right)
        #expect(run.items.count == 4)
    }

    @Test("v1 merge by key and by index")
    func v1() async {
        let byKey = await CoreRun.run("merge", 1, ["mode": "mergeByKey", "propertyName1": "id", "propertyName2": "id"], items: left, second: right)
        #expect(byKey.items == [["id": 1, "a": "x"], ["id": 2, "a": "y", "b": "z"]])
        let keep = await CoreRun.run("merge", 1, ["mode": "keepKeyMatches", "propertyName1": "id", "propertyName2": "id"], items: left, second: right)
        #expect(keep.items == [["id": 2, "a": "y"]])
        let byIndex = await CoreRun.run("merge", 1, ["mode": "mergeByIndex", "join": "inner"], items: left, second: right)
        #expect(byIndex.items.first == ["id": 2, "a": "x", "b": "z"])
    }

    @Test("v2 combine by fields, join modes", arguments: [2.0, 2.1])
    func v2Fields(version: Double) async {
        let base: JSONObject = ["mode": "combine", "mergeByFields": ["values": [["field1": "id", "field2": "id"]]]]
        let inner = await CoreRun.run("merge", version, base, items: left, second: right)
        #expect(inner.items == [["id": 2, "a": "y", "b": "z"]])
        var outer = base
        outer["joinMode"] = "keepEverything"
        let everything = await CoreRun.run("merge", version, outer, items: left, second: right)
        #expect(everything.items.count == 3)
        var non = base
        non["joinMode"] = "keepNonMatches"
        let nonMatches = await CoreRun.run("merge", version, non, items: left, second: right)
        #expect(nonMatches.items == [["id": 1, "a": "x", "_source": "input1"], ["id": 3, "b": "w", "_source": "input2"]])
    }

    @Test("v3 combine by fields from a field list, by position, all combinations", arguments: [3.0, 3.1, 3.2])
    func v3(version: Double) async {
        let fields = await CoreRun.run("merge", version, ["mode": "combine", "fieldsToMatchString": "id", "joinMode": "enrichInput1"], items: left, second: right)
        #expect(fields.items == [["id": 2, "a": "y", "b": "z"], ["id": 1, "a": "x"]])
        let position = await CoreRun.run("merge", version, ["mode": "combine", "combineBy": "combineByPosition",
                                                           "options": ["clashHandling": ["values": ["resolveClash": "addSuffix"]]]], items: left, second: right)
        #expect(position.items.first == ["id_1": 1, "a_1": "x", "id_2": 2, "b_2": "z"])
        let all = await CoreRun.run("merge", version, ["mode": "combine", "combineBy": "combineAll"], items: left, second: right)
        #expect(all.items.count == 4)
    }

    @Test("v2.1+: an empty input returns the other one unchanged (n8n's keep_non_matches test)")
    func emptyInput() async {
        let base: JSONObject = ["mode": "combine", "mergeByFields": ["values": [["field1": "id", "field2": "id"]]], "joinMode": "keepNonMatches"]
        #expect(await CoreRun.run("merge", 2.1, base, items: left, second: []).items == left)
        #expect(await CoreRun.run("merge", 2.1, base, items: [], second: right).items == right)
        var fromInput1 = base
        fromInput1["outputDataFrom"] = "input1"
        #expect(await CoreRun.run("merge", 2.1, fromInput1, items: [], second: right).items.isEmpty)
        var fromInput2 = base
        fromInput2["outputDataFrom"] = "input2"
        fromInput2["advanced"] = true
        #expect(await CoreRun.run("merge", 3, fromInput2, items: [], second: right).items == right)
    }

    @Test("choose branch outputs the chosen input or one empty item")
    func chooseBranch() async {
        let two = await CoreRun.run("merge", 2, ["mode": "chooseBranch", "output": "input2"], items: left, second: right)
        #expect(two.items == right)
        let empty = await CoreRun.run("merge", 3, ["mode": "chooseBranch", "output": "empty"], items: left, second: right)
        #expect(empty.items == [[:]])
    }
}
