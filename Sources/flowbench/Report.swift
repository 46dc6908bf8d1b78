import FlowrunExpressions

/// The benchmark results: one number per key, printed as a Markdown table and optionally
/// written as one JSON object.
struct Report {
    struct Row {
        var suite: String
        var key: String
        var value: Double
        var unit: String
        var note: String
    }

    private(set) var rows: [Row] = []

    mutating func add(_ suite: String, _ key: String, _ value: Double, unit: String, note: String = "") {
        rows.append(Row(suite: suite, key: key, value: value, unit: unit, note: note))
    }

    var markdown: String {
        var out = "| suite | key | value | unit | note |\n|---|---|---:|---|---|\n"
        for row in rows {
            out += "| \(row.suite) | \(row.key) | \(Report.format(row.value)) | \(row.unit) | \(row.note) |\n"
        }
        return out
    }

    var json: JSONValue {
        var object = JSONObject()
        for row in rows { object[row.key] = .number(row.value) }
        return .object(object)
    }

    static func format(_ value: Double) -> String {
        if !value.isFinite { return "n/a" }
        if value >= 1000 { return String(Int(value.rounded())) }
        let scaled = (value * 100).rounded() / 100
        return JSNumberFormatting.string(scaled)
    }
}
