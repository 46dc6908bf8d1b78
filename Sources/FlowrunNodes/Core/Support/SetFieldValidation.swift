import FlowrunExpressions

/// Set's `validateEntry` (Set/v2/helpers/utils.ts): converts an assigned value to its declared
/// type (`string`, `number`, `boolean`, `array`, `object`).
enum SetFieldValidation {
    /// A conversion failure with n8n's message (without the `[item i]` suffix) and description.
    struct Failure: Error {
        var message: String
        var description: String
    }

    static func description(_ name: String) -> String {
        "To fix the error try to change the type for the field \"\(name)\" or activate the option “Ignore Type Conversion Errors” to apply a less strict type validation"
    }

    /// The value to store; nil value means `undefined`.
    static func validate(
        name: String, type: String, value rawValue: JSONValue?, ignoreErrors: Bool, version: Double
    ) -> Result<JSONValue, Failure> {
        let value = rawValue
        if version >= 3.3 && (value == nil || value == .null) { return .success(.null) }
        if type == "string" && version > 3 && (value == nil || value == .null) {
            if ignoreErrors { return .success(.null) }
            return .failure(Failure(message: "'\(name)' expects a \(type) but we got \(TypeValidation.valueDescription(value ?? .null))",
                                    description: description(name)))
        }
        guard let converted = convert(name: name, type: type, value: value, ignoreErrors: ignoreErrors) else {
            return .failure(Failure(message: "'\(name)' expects a \(type) but we got \(TypeValidation.valueDescription(value ?? .null))",
                                    description: description(name)))
        }
        return .success(converted)
    }

    /// The converted value, nil on a conversion failure that is not ignored.
    private static func convert(name: String, type: String, value rawValue: JSONValue?, ignoreErrors: Bool) -> JSONValue? {
        var value = rawValue
        if type == "string" {
            switch value {
            case .object?, .array?, .null?: value = .string(value!.jsonString())
            default: value = .string(JS.string(value))
            }
        }
        guard let v = value, !v.isNull else { return .null }
        let converted: JSONValue?
        switch type {
        case "string": converted = v
        case "number":
            let n = JS.number(v)
            converted = n.isNaN ? nil : .number(n)
        case "boolean": converted = TypeValidation.parseBoolean(v).map(JSONValue.bool)
        case "array": converted = TypeValidation.parseArray(v).map(JSONValue.array)
        case "object": converted = TypeValidation.parseObject(v).map(JSONValue.object)
        default: converted = v
        }
        if let converted { return converted }
        // Not `ignoreErrors ? v : nil`: JSONValue is nil-literal expressible, so that would be `.null`.
        if ignoreErrors { return v }
        return nil
    }
}
