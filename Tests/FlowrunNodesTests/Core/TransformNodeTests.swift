import FlowrunCore
import FlowrunExpressions
import Testing

@testable import FlowrunNodes

@Suite("Transform nodes")
struct TransformNodeTests {
    let rows: [JSONObject] = [
        ["id": 1, "cat": "red", "v": 3, "list": [1, 2]], ["id": 2, "cat": "blue", "v": 1, "list": [3]],
        ["id": 1, "cat": "red", "v": 3, "list": [1, 2]], ["id": 3, "cat": "red", "v": 10, "list": []],
    ]

    @Test("Split Out: objects become items, other fields on request")
    func splitOut() async {
        let run = await CoreRun.run("splitOut", 1, ["fieldToSplitOut": "list", "include": "allOtherFields"], items: [["list": [1, 2], "k": "x"]])
        #expect(run.items == [["k": "x", "list": 1], ["k": "x", "list": 2]])
        let objects = await CoreRun.run("splitOut", 1, ["fieldToSplitOut": "$json.o"], items: [["o": [["a": 1], ["a": 2]]]])
        #expect(objects.items == [["a": 1], ["a": 2]])
    }

    @Test("Aggregate: individual fields, all item data, group by")
    func aggregate() async {
        let run = await CoreRun.run("aggregate", 1, ["fieldsToAggregate": ["fieldToAggregate": [["fieldToAggregate": "id"]]]], items: rows)
        #expect(run.items == [["id": [1, 2, 1, 3]]])
        let merged = await CoreRun.run("aggregate", 1, ["fieldsToAggregate": ["fieldToAggregate": [["fieldToAggregate": "list"]]], "options": ["mergeLists": true]], items: rows)
        #expect(merged.items == [["list": [1, 2, 3, 1, 2]]])
        let all = await CoreRun.run("aggregate", 1, ["aggregate": "aggregateAllItemData", "include": "specifiedFields", "fieldsToInclude": "id"], items: Array(rows.prefix(2)))
        #expect(all.items == [["data": [["id": 1], ["id": 2]]]])
        let grouped = await CoreRun.run("aggregate", 1, ["fieldsToAggregate": ["fieldToAggregate": [["fieldToAggregate": "v"]]], "options": ["groupByFields": "cat"]], items: rows)
        #expect(grouped.items == [["cat": "red", "v": [3, 3, 10]], ["cat": "blue", "v": [1]]])
    }

    @Test("Limit keeps first or last items")
    func limit() async {
        #expect(await CoreRun.run("limit", 1, ["maxItems": 2], items: rows).items.count == 2)
        #expect(await CoreRun.run("limit", 1, ["keep": "lastItems"], items: rows).items.first?["id"] == 3)
    }

    @Test("Sort orders nulls among strings as V8's sort does")
    func sortNulls() async {
        let run = await CoreRun.run("sort", 1, ["sortFieldsUi": ["sortField": [["fieldName": "c"]]]],
                                    items: [["c": "US"], ["c": "CO"], ["c": "US"], ["c": nil], ["c": "UK"]])
        #expect(run.items.map { $0["c"] } == ["CO", "UK", "US", "US", JSONValue.null])
    }

    @Test("Sort: multiple keys, descending, missing field error")
    func sort() async {
        let run = await CoreRun.run("sort", 1, ["sortFieldsUi": ["sortField": [["fieldName": "cat"], ["fieldName": "v", "order": "descending"]]]], items: rows)
        #expect(run.items.map { $0["v"] } == [1, 10, 3, 3])
        let missing = await CoreRun.run("sort", 1, ["sortFieldsUi": ["sortField": [["fieldName": "nope"]]]], items: rows)
        #expect(missing.error == "Couldn't find the field 'nope' in the input data")
    }

    @Test("Remove Duplicates: all fields, selected fields, except fields", arguments: [1.0, 1.1, 2.0])
    func removeDuplicates(version: Double) async {
        #expect(await CoreRun.run("removeDuplicates", version, [:], items: rows).items.count == 3)
        let selected = await CoreRun.run("removeDuplicates", version, ["compare": "selectedFields", "fieldsToCompare": "cat"], items: rows)
        #expect(selected.items.map { $0["id"] } == [1, 2])
        let except = await CoreRun.run("removeDuplicates", version, ["compare": "allFieldsExcept", "fieldsToExclude": "id, v, list.0, list.1"], items: rows)
        #expect(except.items.map { $0["cat"] } == ["red", "blue"])
        // Nested keys are compared flattened; sorted first, an item lacking one fails as in n8n.
        let missing = await CoreRun.run("removeDuplicates", version, ["compare": "allFieldsExcept", "fieldsToExclude": "id, v"], items: rows)
        #expect(missing.error == "'list.1' field is missing from some input items")
    }

    @Test("Summarize: aggregations split by a field", arguments: [1.0, 1.1])
    func summarize(version: Double) async {
        let run = await CoreRun.run("summarize", version, [
            "fieldsToSummarize": ["values": [["aggregation": "sum", "field": "v"], ["field": "id"], ["aggregation": "countUnique", "field": "id"]]],
            "fieldsToSplitBy": "cat",
        ], items: rows)
        #expect(run.items == [["cat": "red", "sum_v": 16, "count_id": 3, "unique_count_id": 2], ["cat": "blue", "sum_v": 1, "count_id": 1, "unique_count_id": 1]])
        let missing = await CoreRun.run("summarize", version, ["fieldsToSummarize": ["values": [["field": "nope"]]]], items: rows)
        if version < 1.1 {
            #expect(missing.error == "The field 'nope' does not exist in any items")
        } else {
            #expect(missing.items == [["count_nope": 0]])
        }
    }

    @Test("Rename Keys: paths and regular expressions")
    func renameKeys() async {
        let run = await CoreRun.run("renameKeys", 1, [
            "keys": ["key": [["currentKey": "a.b", "newKey": "c"]]],
            "additionalOptions": ["regexReplacement": ["replacements": [["searchRegex": "^x(\\d)", "replaceRegex": "y$1"]]]],
        ], items: [["a": ["b": 1], "x1": true]])
        #expect(run.items == [["a": [:], "c": 1, "y1": true]])
    }

    @Test("Item Lists operations across versions")
    func itemLists() async {
        let split = await CoreRun.run("itemLists", 1, ["fieldToSplitOut": "list"], items: [["list": [["a": 1]]]])
        #expect(split.items == [["a": 1]])
        let missing = await CoreRun.run("itemLists", 2, ["fieldToSplitOut": "nope"], items: [["list": []]])
        #expect(missing.error == "Couldn't find the field 'nope' in the input data")
        let skip = await CoreRun.run("itemLists", 2.1, ["fieldToSplitOut": "nope"], items: [["list": []]])
        #expect(skip.items.isEmpty)
        let dedupe = await CoreRun.run("itemLists", 1, ["operation": "removeDuplicates", "compare": "selectedFields",
                                                       "fieldsToCompare": ["fields": [["fieldName": "cat"]]]], items: rows)
        #expect(dedupe.items.count == 2)
        let concat = await CoreRun.run("itemLists", 3, ["operation": "concatenateItems", "fieldsToAggregate": ["fieldToAggregate": [["fieldToAggregate": "id"]]]], items: rows)
        #expect(concat.items == [["id": [1, 2, 1, 3]]])
        // n8n's removeDuplicates_3_1 fixture data: mixed types are compared, not rejected, from v3.1.
        let distinct: [JSONObject] = [["m": "1", "k": "foo"], ["m": 1, "k": "foo"], ["m": true, "k": "foo"], ["m": false, "k": "foo"], ["m": [:], "k": "foo"], ["m": [], "k": "foo"]]
        let mixed = distinct + distinct
        let mixedRun = await CoreRun.run("itemLists", 3.1, ["operation": "removeDuplicates"], items: mixed)
        #expect(mixedRun.items == distinct)
        let byMatch = await CoreRun.run("itemLists", 3.1, ["operation": "removeDuplicates", "compare": "selectedFields", "fieldsToCompare": "k"], items: mixed)
        #expect(byMatch.items == [distinct[0]])
        let mixedOld = await CoreRun.run("itemLists", 3, ["operation": "removeDuplicates"], items: mixed)
        #expect(mixedOld.error == "'m' isn't always the same type")
        let limit = await CoreRun.run("itemLists", 3.1, ["operation": "limit", "maxItems": 1], items: rows)
        #expect(limit.items.count == 1)
    }
}
