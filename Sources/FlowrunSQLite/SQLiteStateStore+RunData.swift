import FlowrunCore
import FlowrunExpressions
import GRDB

// The node runs of a short execution are kept in its own row (`executions.run_data`), not as rows
// of `node_runs`, when they are written with its end and nothing of it was written before (status
// `new`): the webhook benchmark's executions, whose three runs made each commit rewrite the last
// pages of `node_runs` and of its primary-key index (two of the seven pages a commit wrote) and
// took three INSERTs. Runs written otherwise (each node with its checkpoint, progress flushed while
// an execution runs, runs over `RunDataColumn.budget`, later runs of a resumed execution) are rows
// of `node_runs` as before; readers take both, a row replacing an entry of the same node and run
// index (rows are written later).
//
// `run_data` is a JSON array of `{"node": …, "runIndex": …, "data": <the run's ITaskData>}`.

/// Building `executions.run_data` from runs whose texts were built.
enum RunDataColumn {
    /// Runs longer than this together stay rows of `node_runs`: the row stays within one page.
    static let budget = 3_000

    /// The column's text, when every run was built as text and they fit `budget` together.
    static func text(_ runs: [StoredNodeRun], _ columns: [JSONColumn]) -> String? {
        guard !runs.isEmpty else { return nil }
        var total = 2
        for column in columns {
            guard case .text(let text) = column else { return nil }
            total += text.utf8.count + 40
            if total > budget { return nil }
        }
        var out = "["
        out.reserveCapacity(total + 64)
        for (index, (run, column)) in zip(runs, columns).enumerated() {
            guard case .text(let text) = column else { return nil }
            out += index == 0 ? "{\"node\":" : ",{\"node\":"
            out += JSONValue.string(run.node).jsonString()
            out += ",\"runIndex\":"
            out += String(run.runIndex)
            out += ",\"data\":"
            out += text
            out += "}"
        }
        out += "]"
        return out.utf8.count <= budget ? out : nil
    }

    /// The runs a `run_data` text holds.
    static func runs(_ value: JSONValue, executionID: String) throws -> [StoredNodeRun] {
        guard case .array(let entries) = value else {
            throw StoreError(.corrupt, "sqlite: run_data of execution \(executionID) is not a JSON array")
        }
        return try entries.enumerated().map { position, entry in
            guard let node = entry["node"]?.stringValue, let index = entry["runIndex"]?.numberValue, let data = entry["data"] else {
                throw StoreError(.corrupt, "sqlite: run_data of execution \(executionID): entry \(position) lacks node, runIndex or data")
            }
            return StoredNodeRun(node: node, runIndex: Int(index), data: data)
        }
    }
}

extension SQLiteStateStore {
    /// Adds `executions.run_data` (NULL in rows written before).
    static func addRunDataColumn(_ db: Database) throws {
        try db.execute(sql: "ALTER TABLE executions ADD COLUMN run_data TEXT")
    }

    /// The runs kept in the execution's row, then its `node_runs` rows replacing the entries of the
    /// same node and run index, ordered by node (bytes, as SQLite orders) and run index.
    static func merged(inRow: [StoredNodeRun], rows: [StoredNodeRun]) -> [StoredNodeRun] {
        if inRow.isEmpty { return rows }
        let replaced = Set(rows.map { RunKey(node: $0.node, runIndex: $0.runIndex) })
        let all = inRow.filter { !replaced.contains(RunKey(node: $0.node, runIndex: $0.runIndex)) } + rows
        return all.sorted { a, b in
            if a.node != b.node { return a.node.utf8.lexicographicallyPrecedes(b.node.utf8) }
            return a.runIndex < b.runIndex
        }
    }

    private struct RunKey: Hashable {
        var node: String
        var runIndex: Int
    }
}
