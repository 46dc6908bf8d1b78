import FlowrunExpressions

/// Expression evaluation beside hand-written closures doing the same work on the same values.
struct ExpressionSuite {
    let quick: Bool

    static let item: JSONObject = [
        "customer": ["name": "Ada Lovelace", "address": ["city": "London", "zip": "NW1"]],
        "name": "ada", "count": 7, "total": 1234.5,
        "values": .array((0..<100).map { .number(Double($0)) }),
        "date": "2024-03-10T14:30:00.000Z",
    ]

    func run(into report: inout Report) throws {
        let context = EvaluationContext(
            dataSource: EmptyRunData(), activeNode: "Bench", inputItems: [Item(json: Self.item)], timeZone: "UTC")
        let iterations = quick ? 2_000 : 20_000
        let samples = quick ? 3 : 7

        try compare(
            "expr_path", report: &report, iterations: iterations, samples: samples, context: context,
            expression: "={{ $json.customer.address.city }}",
            handwritten: { json in json["customer"]?["address"]?["city"] ?? .null })

        try compare(
            "expr_template", report: &report, iterations: iterations, samples: samples, context: context,
            expression: "=Hello {{ $json.name.toUpperCase() }}, {{ $json.count }} items, total {{ $json.total }}",
            handwritten: { json in
                let name = json["name"]?.stringValue?.uppercased() ?? ""
                let count = JSNumberFormatting.string(json["count"]?.numberValue ?? .nan)
                let total = JSNumberFormatting.string(json["total"]?.numberValue ?? .nan)
                return .string("Hello \(name), \(count) items, total \(total)")
            })

        try compare(
            "expr_map", report: &report, iterations: iterations / 10, samples: samples, context: context,
            expression: "={{ $json.values.map(v => v * 2) }}",
            handwritten: { json in
                .array((json["values"]?.arrayValue ?? []).map { .number(($0.numberValue ?? .nan) * 2) })
            })

        try compare(
            "expr_date", report: &report, iterations: iterations / 10, samples: samples, context: context,
            expression: "={{ DateTime.fromISO($json.date).toFormat('yyyy-MM-dd HH:mm') }}",
            handwritten: { json in .string(HandwrittenDate.format(json["date"]?.stringValue ?? "")) })
    }

    private func compare(
        _ key: String, report: inout Report, iterations: Int, samples: Int, context: EvaluationContext,
        expression: String, handwritten: (JSONObject) -> JSONValue
    ) throws {
        let compiled = try ParameterExpression(parsing: expression)
        let expected = handwritten(Self.item)
        let got = try compiled.evaluateJSON(in: context)
        guard got == expected else {
            throw BenchError("\(key): flowrun gave \(got?.jsonString() ?? "undefined"), hand-written \(expected.jsonString())")
        }
        var sink = 0
        let flowrun = try Measure.nanosecondsPerCall(samples: samples, iterations: iterations) {
            if case .string(let s)? = try compiled.evaluateJSON(in: context) { sink &+= s.utf8.count } else { sink &+= 1 }
        }
        let item = Self.item
        let baseline = Measure.nanosecondsPerCall(samples: samples, iterations: iterations) {
            if case .string(let s) = handwritten(item) { sink &+= s.utf8.count } else { sink &+= 1 }
        }
        if sink == 42 { print("") }  // keeps the optimiser from dropping the work
        report.add("expressions", "\(key)_ns", flowrun, unit: "ns/eval", note: expression)
        report.add("expressions", "\(key)_handwritten_ns", baseline, unit: "ns/eval", note: "hand-written closure")
        report.add("expressions", "\(key)_ratio", flowrun / baseline, unit: "×", note: "flowrun / hand-written")
    }
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
