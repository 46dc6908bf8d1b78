import FlowrunCore
import FlowrunExpressions

extension ParameterReader {
    /// Any JSON value where `fallback` applies only when the key is absent: an expression that
    /// yields `undefined` stays `undefined` (nil), as n8n's `getNodeParameter` returns it.
    func value(default fallback: JSONValue) -> Param<JSONValue?> {
        isPresent ? json() : Param(constant: fallback, path: path)
    }
}
