import FlowrunCore
import FlowrunExpressions
import Foundation

/// How `flowrun executions` prints records.
enum ExecutionRendering {
    static func time(_ milliseconds: Double?) -> String {
        guard let milliseconds else { return "-" }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: Date(timeIntervalSince1970: milliseconds / 1000))
    }

    static func duration(_ record: ExecutionRecord) -> String {
        guard let stopped = record.stoppedAt else { return "-" }
        let ms = max(0, stopped - record.startedAt)
        return ms < 1000 ? "\(Int(ms)) ms" : String(format: "%.1f s", ms / 1000)
    }

    /// One line of `list --format json`.
    static func summary(_ r: ExecutionRecord) -> JSONValue {
        var o: JSONObject = ["id": .string(r.id), "status": .string(r.status.rawValue), "mode": .string(r.mode),
                             "startedAt": .string(time(r.startedAt))]
        if let stopped = r.stoppedAt { o["stoppedAt"] = .string(time(stopped)) }
        if let id = r.workflowID { o["workflowId"] = .string(id) }
        if let name = r.workflowName { o["workflowName"] = .string(name) }
        if let file = r.workflowFile { o["workflowFile"] = .string(file) }
        if let node = r.lastNode { o["lastNodeExecuted"] = .string(node) }
        if let retryOf = r.retryOf { o["retryOf"] = .string(retryOf) }
        if let error = r.error { o["error"] = error }
        if r.resumeOnCrash { o["resumeOnCrash"] = true }
        return .object(o)
    }

    static func table(_ records: [ExecutionRecord]) -> String {
        if records.isEmpty { return "(no executions)" }
        let header = ["ID", "STATUS", "WORKFLOW", "MODE", "STARTED", "DURATION", "LAST NODE"]
        let rows = records.map { r in
            [r.id, r.status.rawValue, r.workflowName ?? r.workflowID ?? "-", r.mode, time(r.startedAt), duration(r), r.lastNode ?? "-"]
        }
        let widths = header.indices.map { c in max(header[c].count, rows.map { $0[c].count }.max() ?? 0) }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  ")
        }
        return ([line(header)] + rows.map(line)).joined(separator: "\n")
    }

    /// n8n's execution shape: the summary plus `data.resultData` (runData, lastNodeExecuted, error).
    static func full(_ r: ExecutionRecord, runData: [String: [NodeRunRecord]]) -> JSONValue {
        guard case .object(var o) = summary(r) else { return summary(r) }
        if let start = r.startNode { o["startNode"] = .string(start) }
        if let input = r.triggerInput { o["triggerInput"] = input }
        var result: JSONObject = ["runData": ExecutionState.json(runData)]
        if let node = r.lastNode { result["lastNodeExecuted"] = .string(node) }
        if let error = r.error { result["error"] = error }
        o["data"] = ["resultData": .object(result)]
        return .object(o)
    }

    static func text(_ r: ExecutionRecord, runData: [String: [NodeRunRecord]]) -> String {
        var lines = [
            "Execution \(r.id): \(r.status.rawValue)",
            "  workflow:  \(r.workflowName ?? "-") (id \(r.workflowID ?? "-"))\(r.workflowFile.map { ", file \($0)" } ?? "")",
            "  mode:      \(r.mode)\(r.retryOf.map { ", retry of \($0)" } ?? "")",
            "  started:   \(time(r.startedAt))",
            "  stopped:   \(time(r.stoppedAt)) (\(duration(r)))",
        ]
        if let error = r.error { lines.append("  error:     \(error["message"]?.stringValue ?? error.jsonString())") }
        lines.append("  node runs (in order):")
        let runs = runData.flatMap { node, records in records.enumerated().map { (node: node, index: $0.offset, record: $0.element) } }
            .sorted { $0.record.executionIndex < $1.record.executionIndex }
        if runs.isEmpty { lines.append("    (none recorded)") }
        for run in runs {
            let inCount = run.record.input.compactMap { $0?.count }.reduce(0, +)
            let out = run.record.output?.map { String($0.count) }.joined(separator: "/") ?? "-"
            var line = "    \(run.record.status == .success ? "ok    " : "failed") \(run.node)"
            if run.index > 0 { line += " (run \(run.index))" }
            line += "  in: \(inCount)  out: \(out)  \(Int(run.record.executionTime)) ms"
            if let error = run.record.error { line += "  error: \(error.message)" }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }
}
