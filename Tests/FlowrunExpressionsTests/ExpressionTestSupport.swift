@testable import FlowrunExpressions

/// A context over one item, UTC, frozen at 2024-03-30T18:49:00Z.
func testContext(json: JSONObject = [:], zone: String = "UTC", budget: EvaluationBudget = EvaluationBudget()) -> EvaluationContext {
    EvaluationContext(dataSource: EmptyRunData(), activeNode: "Node", inputItems: [Item(json: json)], timeZone: zone,
                      nowMilliseconds: { 1_711_824_540_000 }, budget: budget)
}

/// Evaluates a parameter (with its leading `=`) and returns the JSON result (nil for undefined).
func evaluate(_ parameter: String, json: JSONObject = [:], zone: String = "UTC", budget: EvaluationBudget = EvaluationBudget()) throws -> JSONValue? {
    try ParameterExpression(parsing: parameter).evaluateJSON(in: testContext(json: json, zone: zone, budget: budget))
}

/// Evaluates `{{ code }}` alone, keeping the JavaScript value.
func value(_ code: String, json: JSONObject = [:], zone: String = "UTC") throws -> JSValue {
    try ParameterExpression(parsing: "={{ \(code) }}").evaluate(in: testContext(json: json, zone: zone))
}

/// `JSON.stringify`-like text of a value for compact assertions (`undefined` for undefined).
func show(_ code: String, json: JSONObject = [:], zone: String = "UTC") throws -> String {
    ExpressionConformance.describe(try value(code, json: json, zone: zone))
}
