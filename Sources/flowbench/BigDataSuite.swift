import FlowrunExpressions
import Foundation

/// Data size: a large JSON array of items through a 5-node workflow (`flowrun run --input @file`,
/// output discarded), measuring the child's peak resident memory beside the input's size.
struct BigDataSuite {
    let quick: Bool

    func run(into report: inout Report) throws {
        let flowrun = try ChildProcess.product("flowrun")
        let targetMB = quick ? 20 : 200
        let folder = NSTemporaryDirectory() + "flowbench-bigdata-\(getpid())"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let input = folder + "/items.json"
        let inputMB = try Self.writeItems(to: input, megabytes: targetMB)
        let workflow = folder + "/bigdata.json"
        try Self.workflow.write(toFile: workflow, atomically: true, encoding: .utf8)
        var environment = ProcessInfo.processInfo.environment
        environment["FLOWRUN_DATA_DIR"] = folder + "/data"
        let outcome = try ChildProcess.run(flowrun, ["run", workflow, "--input", "@" + input], environment: environment)
        guard outcome.exitStatus == 0 else {
            throw ChildProcess.Failure(description: "flowrun run (big data) exited with \(outcome.exitStatus)")
        }
        report.add("bigdata", "bigdata_input_mb", inputMB, unit: "MB", note: "JSON items given with --input")
        report.add("bigdata", "bigdata_peak_rss_mb", outcome.peakResidentMB, unit: "MB",
                   note: "peak RSS of flowrun run, 5 nodes, \(String(format: "%.1f", outcome.seconds)) s")
        report.add("bigdata", "bigdata_rss_ratio", outcome.peakResidentMB / inputMB, unit: "×", note: "peak RSS / input size")
    }

    /// Writes items of about 1 KB each (nested objects, strings, numbers, arrays) until the file
    /// holds `megabytes`; returns its size in MB.
    static func writeItems(to path: String, megabytes: Int) throws -> Double {
        guard let handle = FileHandle(forWritingAtPath: path) ?? {
            FileManager.default.createFile(atPath: path, contents: nil)
            return FileHandle(forWritingAtPath: path)
        }() else { throw ChildProcess.Failure(description: "\(path): cannot write") }
        defer { try? handle.close() }
        var written = 0
        var index = 0
        let limit = megabytes * 1_000_000
        var chunk = "["
        while written + chunk.utf8.count < limit {
            let item: JSONValue = .object([
                "id": .number(Double(index)), "email": .string("prospect\(index)@example.com"),
                "name": .string("Prospect number \(index)"), "score": .number(Double(index % 100)),
                "company": .object(["name": .string("Company \(index % 5000)"), "domain": .string("company\(index % 5000).example"),
                                    "employees": .number(Double(10 + index % 990)), "country": .string(index % 3 == 0 ? "DE" : "US")]),
                "tags": .array([.string("b2b"), .string("saas"), .string("lead-\(index % 7)")]),
                "notes": .string(String(repeating: "Lorem ipsum dolor sit amet, consectetur adipiscing elit. ", count: 10)),
            ])
            chunk += (index == 0 ? "" : ",") + item.jsonString()
            index += 1
            if chunk.utf8.count > 1_000_000 {
                handle.write(Data(chunk.utf8))
                written += chunk.utf8.count
                chunk = ""
            }
        }
        chunk += "]"
        handle.write(Data(chunk.utf8))
        written += chunk.utf8.count
        return Double(written) / 1_000_000
    }

    /// Trigger → Set (two expressions) → If → Set → Summarize: every item is read and rewritten.
    static let workflow = """
        {"name": "bigdata", "settings": {"executionOrder": "v1"},
         "nodes": [
          {"name": "Start", "type": "n8n-nodes-base.manualTrigger", "typeVersion": 1, "position": [0, 0], "parameters": {}},
          {"name": "Score", "type": "n8n-nodes-base.set", "typeVersion": 3.4, "position": [200, 0], "parameters": {
            "mode": "manual", "includeOtherFields": true, "assignments": {"assignments": [
              {"id": "a", "name": "domain", "type": "string", "value": "={{ $json.company.domain }}"},
              {"id": "b", "name": "double", "type": "number", "value": "={{ $json.score * 2 }}"}]}}},
          {"name": "Big?", "type": "n8n-nodes-base.if", "typeVersion": 2, "position": [400, 0], "parameters": {
            "conditions": {"options": {"caseSensitive": true, "typeValidation": "strict"}, "combinator": "and", "conditions": [
              {"id": "c", "leftValue": "={{ $json.company.employees }}", "rightValue": 100, "operator": {"type": "number", "operation": "gt"}}]}}},
          {"name": "Tag", "type": "n8n-nodes-base.set", "typeVersion": 3.4, "position": [600, 0], "parameters": {
            "mode": "manual", "includeOtherFields": true, "assignments": {"assignments": [
              {"id": "d", "name": "segment", "type": "string", "value": "={{ $json.company.country }}-large"}]}}},
          {"name": "Count", "type": "n8n-nodes-base.summarize", "typeVersion": 1, "position": [800, 0], "parameters": {
            "fieldsToSummarize": {"values": [{"aggregation": "count", "field": "id"}, {"aggregation": "sum", "field": "double"}]},
            "fieldsToSplitBy": "segment"}}
         ],
         "connections": {
          "Start": {"main": [[{"node": "Score", "type": "main", "index": 0}]]},
          "Score": {"main": [[{"node": "Big?", "type": "main", "index": 0}]]},
          "Big?": {"main": [[{"node": "Tag", "type": "main", "index": 0}], []]},
          "Tag": {"main": [[{"node": "Count", "type": "main", "index": 0}]]}
         }}
        """
}
