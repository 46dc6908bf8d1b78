import FlowrunExpressions

/// `prepareFieldsArray`: a comma-separated field list, trimmed, empty entries dropped.
enum FieldList {
    static func parse(_ value: JSONValue?) -> [String] {
        switch value {
        case .array(let a)?: return a.map { JS.string($0) }
        case .object(let o)?:
            // Item Lists v1/v2 store lists as a fixedCollection `{fields: [{fieldName}]}`.
            return (o["fields"]?.arrayValue ?? []).compactMap { $0["fieldName"].map { JS.string($0) } }
        case nil, .null?: return []
        case let v?:
            return JS.string(v).split(separator: ",", omittingEmptySubsequences: false)
                .map { $0.trimmingSpaces }.filter { !$0.isEmpty }
        }
    }
}
