import FlowrunCore
import FlowrunExpressions
import Testing

@testable import FlowrunNodes

let people: [JSONObject] = [["name": "Elon", "age": 50], ["name": "Ada", "age": 36], ["name": "bob", "age": 12]]

func condition(_ left: String, _ right: JSONValue, _ type: String, _ op: String) -> JSONValue {
    ["leftValue": .string(left), "rightValue": right, "operator": ["type": .string(type), "operation": .string(op)]]
}

func filter(_ conditions: [JSONValue], combinator: String = "and", options: JSONObject = ["caseSensitive": true, "typeValidation": "strict"]) -> JSONValue {
    ["options": .object(options), "conditions": .array(conditions), "combinator": .string(combinator)]
}

@Suite("If node")
struct IfNodeTests {
    @Test("v1: typed groups with combineOperation all/any", arguments: [1.0])
    func v1(version: Double) async {
        let run = await CoreRun.run("if", version, [
            "conditions": ["number": [["value1": "={{ $json.age }}", "operation": "larger", "value2": 20]],
                           "string": [["value1": "={{ $json.name }}", "operation": "startsWith", "value2": "E"]]],
            "combineOperation": "any",
        ], items: people)
        #expect(run.outputs?[0].map { $0["name"] } == ["Elon", "Ada"])
        #expect(run.outputs?[1].map { $0["name"] } == ["bob"])
    }

    @Test("v1: invalid dates fail with n8n's message")
    func v1Dates() async {
        let run = await CoreRun.run("if", 1, ["conditions": ["dateTime": [["value1": "={{ $json.name }}", "value2": "2020-01-01"]]]], items: people)
        #expect(run.error == "The value \"Elon\" is not a valid DateTime.")
    }

    @Test("v2.x: filter conditions route to true and false", arguments: [2.0, 2.1, 2.2, 2.3])
    func v2(version: Double) async {
        let run = await CoreRun.run("if", version, [
            "conditions": filter([condition("={{ $json.age }}", 30, "number", "gt")]),
        ], items: people)
        #expect(run.outputs?[0].count == 2)
        #expect(run.outputs?[1].first?["name"] == "bob")
    }

    @Test("v2: strict validation error, loose validation converts")
    func strictness() async {
        let strict = await CoreRun.run("if", 2.2, ["conditions": filter([condition("={{ $json.name }}", 1, "number", "equals")])], items: people)
        #expect(strict.error?.hasPrefix("Wrong type: 'Elon' is a string but was expecting a number") == true)
        let loose = await CoreRun.run("if", 2.2, [
            "conditions": filter([condition("={{ String($json.age) }}", 36, "number", "equals")]),
            "looseTypeValidation": true,
        ], items: people)
        #expect(loose.outputs?[0].map { $0["name"] } == ["Ada"])
    }

    @Test("v2: or combinator; an empty and-list passes")
    func combinators() async {
        let or = await CoreRun.run("if", 2, ["conditions": filter([
            condition("={{ $json.name }}", "bob", "string", "equals"), condition("={{ $json.age }}", 50, "number", "equals"),
        ], combinator: "or")], items: people)
        #expect(or.outputs?[0].map { $0["name"] } == ["Elon", "bob"])
        let empty = await CoreRun.run("if", 2, ["conditions": filter([])], items: people)
        #expect(empty.outputs?[0].count == 3)
    }
}

@Suite("Filter node")
struct FilterNodeTests {
    @Test("v1 keeps items passing legacy conditions")
    func v1() async {
        let run = await CoreRun.run("filter", 1, ["conditions": ["number": [["value1": "={{ $json.age }}", "operation": "smallerEqual", "value2": 36]]]], items: people)
        #expect(run.items.map { $0["name"] } == ["Ada", "bob"])
    }

    @Test("v2.x keeps items passing filter conditions", arguments: [2.0, 2.1, 2.2])
    func v2(version: Double) async {
        let run = await CoreRun.run("filter", version, [
            "conditions": filter([condition("={{ $json.name }}", "b", "string", "startsWith")], options: ["caseSensitive": false]),
        ], items: people)
        #expect(run.items.map { $0["name"] } == ["bob"])
    }
}

@Suite("Switch node")
struct SwitchNodeTests {
    @Test("v1 routes to the rule's output, fallback -1 drops")
    func v1() async {
        let run = await CoreRun.run("switch", 1, [
            "value1": "={{ $json.age }}",
            "rules": ["rules": [["operation": "larger", "value2": 40, "output": 2], ["operation": "larger", "value2": 20, "output": 1]]],
        ], items: people)
        #expect(run.outputs?.count == 4)
        #expect(run.outputs?[2].map { $0["name"] } == ["Elon"])
        #expect(run.outputs?[1].map { $0["name"] } == ["Ada"])
        #expect(run.outputs?[0].isEmpty == true)
    }

    @Test("v2 string rules with fallback output")
    func v2() async {
        let run = await CoreRun.run("switch", 2, [
            "dataType": "string", "value1": "={{ $json.name }}",
            "rules": ["rules": [["operation": "regex", "value2": "^E"], ["operation": "equal", "value2": "Ada"]]],
            "fallbackOutput": 1,
        ], items: people)
        #expect(run.outputs?.count == 2)
        #expect(run.outputs?[0].map { $0["name"] } == ["Elon"])
        #expect(run.outputs?[1].map { $0["name"] } == ["Ada", "bob"])
    }

    @Test("v3 rules, extra fallback output and all matching outputs", arguments: [3.0, 3.1, 3.2, 3.3])
    func v3(version: Double) async {
        let rules: JSONValue = ["values": [
            ["conditions": filter([condition("={{ $json.age }}", 30, "number", "gt")])],
            ["conditions": filter([condition("={{ $json.age }}", 40, "number", "gt")])],
        ]]
        let first = await CoreRun.run("switch", version, ["rules": rules, "options": ["fallbackOutput": "extra"]], items: people)
        #expect(first.outputs?.count == 3)
        #expect(first.outputs?[0].count == 2)
        #expect(first.outputs?[1].isEmpty == true)
        #expect(first.outputs?[2].map { $0["name"] } == ["bob"])
        let all = await CoreRun.run("switch", version, ["rules": rules, "options": ["allMatchingOutputs": true]], items: people)
        #expect(all.outputs?[1].map { $0["name"] } == ["Elon"])
    }

    @Test("v3 expression mode and its range error")
    func expression() async {
        let run = await CoreRun.run("switch", 3, ["mode": "expression", "numberOutputs": 2, "output": "={{ $json.age > 30 ? 0 : 1 }}"], items: people)
        #expect(run.outputs?[1].map { $0["name"] } == ["bob"])
        let bad = await CoreRun.run("switch", 3, ["mode": "expression", "numberOutputs": 2, "output": "={{ 5 }}"], items: people)
        #expect(bad.error == "The ouput 5 is not allowed. It has to be between 0 and 1!")
    }
}
