import FlowrunExpressions

/// n8n's filter parameter semantics (`filter-parameter.ts`), shared by If v2, Filter v2 and
/// Switch v3: type validation of both sides, then the operator.
enum FilterEvaluator {
    /// The options block of a filter value (`conditions.options`).
    struct Options: Sendable, Hashable {
        var caseSensitive: Bool = true
        /// `typeValidation === 'strict'`.
        var strict: Bool = false
        var version: Int = 1
        /// Zone for date strings without an offset.
        var timeZone: String = "America/New_York"
    }

    /// A condition's operator (`{type, operation, rightType?, singleValue?}`).
    struct Operator: Sendable, Hashable {
        var type: String
        var operation: String
        var rightType: String?
        var singleValue: Bool = false
    }

    /// A failed condition: n8n's `FilterError` message and description.
    struct Failure: Error, Sendable, Equatable {
        var message: String
        var description: String
    }

    /// A side after type validation.
    enum Parsed {
        case value(JSONValue?)
        /// Indirect: a date is rare, and inline it made every parsed side as large as a
        /// `LuxonDateTime` (copied per condition per item).
        indirect case date(LuxonDateTime)

        var json: JSONValue? {
            switch self {
            case .value(let v): v
            case .date(let d): .number(d.toMillis())
            }
        }
    }

    /// `parseSingleFilterValue`: nil when invalid.
    static func parse(_ value: JSONValue?, type: String, strict: Bool, version: Int, zone: String) -> Parsed? {
        guard type != "any", let value, !value.isNull else { return .value(value) }
        if type == "boolean" && !strict {
            if version >= 2, let b = TypeValidation.parseBoolean(value) { return .value(.bool(b)) }
            return .value(.bool(JS.truthy(value)))
        }
        if type == "number" {
            if case .number(let n) = value, n.isNaN { return .value(value) }
            let emptyString = value.stringValue.map { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty } ?? false
            let emptyArray = value.arrayValue?.isEmpty ?? false
            if (emptyString || emptyArray) && version >= 3 { return .value(.null) }
        }
        return TypeValidation.validate(value, type: type, strict: strict, zone: zone)
    }

    private static func article(_ noun: String) -> String {
        "aeiou".contains(noun.first ?? "x") ? "an \(noun)" : "a \(noun)"
    }

    /// Validates and converts both sides, or fails with n8n's message.
    static func parseSides(
        left: JSONValue?, right: JSONValue?, operator op: Operator, options: Options, index: Int, itemIndex: Int
    ) throws(Failure) -> (Parsed, Parsed) {
        let rightType = op.rightType ?? op.type
        let parsedLeft = parse(left, type: op.type, strict: options.strict, version: options.version, zone: options.timeZone)
        let parsedRight = parse(right, type: rightType, strict: options.strict, version: options.version, zone: options.timeZone)
        let leftValid = parsedLeft != nil
        let rightValid = parsedRight != nil || op.singleValue
        // Only failures read it: built per item, it was a formatted string per condition per item.
        var suffix: String { "[condition \(index), item \(itemIndex)]" }
        let strict = options.strict

        func typeDescription() -> String {
            strict
                ? "Try changing the type of comparison. Alternatively you can enable 'Convert types where required'."
                : "Try changing the type of the comparison."
        }
        func invalidMessage(_ type: String, _ fromType: String, _ value: String) -> String {
            if strict {
                return "Wrong type: '\(value)' is \(article(fromType.lowercased())) but was expecting \(article(type)) \(suffix)"
            }
            return "Conversion error: the \(fromType.lowercased()) '\(value)' can't be converted to \(article(type)) \(suffix)"
        }
        func invalidDescription(_ type: String, _ position: String) -> String {
            let conversion: String
            switch type {
            case "string": conversion = ".toString()"
            case "number": conversion = ".toNumber()"
            case "boolean": conversion = ".toBoolean()"
            default: conversion = ""
            }
            if strict && !conversion.isEmpty {
                return "\n<p>Try either:</p>\n<ol>\n  <li>Enabling 'Convert types where required'</li>\n  <li>Converting the \(position) field to \(article(type)) by adding <code>\(conversion)</code></li>\n</ol>\n\t\t\t"
            }
            return typeDescription()
        }

        if !leftValid && !rightValid && JS.typeOf(left) == JS.typeOf(right) {
            throw Failure(
                message: "Comparison type expects \(article(op.type)) but both fields are \(article(JS.typeOf(left)))",
                description: typeDescription())
        }
        if !leftValid {
            throw Failure(message: invalidMessage(op.type, JS.typeOf(left), JS.string(left)),
                          description: invalidDescription(op.type, "first"))
        }
        if !rightValid {
            throw Failure(message: invalidMessage(rightType, JS.typeOf(right), JS.string(right)),
                          description: invalidDescription(rightType, "second"))
        }
        return (parsedLeft!, parsedRight ?? .value(nil))
    }

    /// `executeFilterCondition`.
    static func evaluate(
        left rawLeft: JSONValue?, right rawRight: JSONValue?, operator op: Operator, options: Options,
        index: Int = 0, itemIndex: Int = 0
    ) throws(Failure) -> Bool {
        let ignoreCase = !options.caseSensitive
        let (parsedLeft, parsedRight) = try parseSides(
            left: rawLeft, right: rawRight, operator: op, options: options, index: index, itemIndex: itemIndex)
        var leftValue = parsedLeft.json
        var rightValue = parsedRight.json
        let exists: Bool = {
            switch leftValue {
            case nil, .null?: return false
            case .number(let n)?: return !n.isNaN
            default: return true
            }
        }()
        if op.operation == "exists" { return exists }
        if op.operation == "notExists" { return !exists }

        switch op.type {
        case "string":
            let isRegex = op.operation == "regex" || op.operation == "notRegex"
            if ignoreCase && !isRegex {
                if case .string(let s)? = leftValue { leftValue = .string(JS.lower(s)) }
                if case .string(let s)? = rightValue { rightValue = .string(JS.lower(s)) }
            }
            let left = nullishString(leftValue)
            let right = nullishString(rightValue)
            switch op.operation {
            case "empty": return left.utf16.isEmpty
            case "notEmpty": return !left.utf16.isEmpty
            case "equals": return left == right
            case "notEquals": return left != right
            case "contains": return includes(left, right)
            case "notContains": return !includes(left, right)
            case "startsWith": return left.hasPrefix(right) || right.isEmpty
            case "notStartsWith": return !(left.hasPrefix(right) || right.isEmpty)
            case "endsWith": return left.hasSuffix(right) || right.isEmpty
            case "notEndsWith": return !(left.hasSuffix(right) || right.isEmpty)
            case "regex": return regexTest(pattern: right, ignoreCase: ignoreCase, text: left)
            case "notRegex": return !regexTest(pattern: right, ignoreCase: ignoreCase, text: left)
            default: return false
            }
        case "number":
            switch op.operation {
            case "empty": return !exists
            case "notEmpty": return exists
            case "equals": return JS.strictEquals(leftValue, rightValue)
            case "notEquals": return !JS.strictEquals(leftValue, rightValue)
            case "gt": return JS.greaterThan(leftValue, rightValue)
            case "lt": return JS.lessThan(leftValue, rightValue)
            case "gte": return JS.greaterOrEqual(leftValue, rightValue)
            case "lte": return JS.lessOrEqual(leftValue, rightValue)
            default: return false
            }
        case "dateTime":
            if op.operation == "empty" { return !exists }
            if op.operation == "notEmpty" { return exists }
            guard case .date(let l) = parsedLeft, case .date(let r) = parsedRight else { return false }
            let a = l.toMillis()
            let b = r.toMillis()
            switch op.operation {
            case "equals": return a == b
            case "notEquals": return a != b
            case "after": return a > b
            case "before": return a < b
            case "afterOrEquals": return a >= b
            case "beforeOrEquals": return a <= b
            default: return false
            }
        case "boolean":
            switch op.operation {
            case "empty": return !exists
            case "notEmpty": return exists
            case "true": return JS.truthy(leftValue)
            case "false": return !JS.truthy(leftValue)
            case "equals": return JS.strictEquals(leftValue, rightValue)
            case "notEquals": return !JS.strictEquals(leftValue, rightValue)
            default: return false
            }
        case "array":
            let left: [JSONValue] = {
                switch leftValue {
                case .array(let a)?: return a
                case .string(let s)?: return s.map { .string(String($0)) }
                default: return []
                }
            }()
            let length = JSONValue.number(Double(left.count))
            switch op.operation {
            case "contains": return arrayContains(left, rightValue, ignoreCase: ignoreCase)
            case "notContains": return !arrayContains(left, rightValue, ignoreCase: ignoreCase)
            case "lengthEquals": return JS.strictEquals(length, rightValue)
            case "lengthNotEquals": return !JS.strictEquals(length, rightValue)
            case "lengthGt": return JS.greaterThan(length, rightValue)
            case "lengthLt": return JS.lessThan(length, rightValue)
            case "lengthGte": return JS.greaterOrEqual(length, rightValue)
            case "lengthLte": return JS.lessOrEqual(length, rightValue)
            case "empty": return left.isEmpty
            case "notEmpty": return !left.isEmpty
            default: return false
            }
        case "object":
            let keyCount: Int? = {
                switch leftValue {
                case .object(let o)?: return o.count
                case .array(let a)?: return a.count
                case .string(let s)?: return s.isEmpty ? nil : s.count
                default: return JS.truthy(leftValue) ? 0 : nil
                }
            }()
            switch op.operation {
            case "empty": return keyCount == nil || keyCount == 0
            case "notEmpty": return keyCount != nil && keyCount != 0
            default: return false
            }
        default:
            return false
        }
    }

    private static func nullishString(_ v: JSONValue?) -> String {
        switch v {
        case nil, .null?: return ""
        case .string(let s)?: return s
        case let other?: return JS.string(other)
        }
    }

    private static func includes(_ s: String, _ sub: String) -> Bool {
        sub.isEmpty || s.contains(sub)
    }

    /// `parseRegexPattern(pattern, ignoreCase).test(text)`; an invalid pattern throws in n8n,
    /// here it never matches.
    static func regexTest(pattern: String, ignoreCase: Bool, text: String) -> Bool {
        var source = pattern
        var flags = ignoreCase ? "i" : ""
        if let literal = JS.splitRegexLiteral(pattern) {
            source = literal.pattern
            flags = literal.flags
            if ignoreCase && !flags.contains("i") { flags += "i" }
        }
        guard let regex = JS.regex(source, flags: flags) else { return false }
        return JS.test(regex, text)
    }

    /// `arrayContainsValue`.
    static func arrayContains(_ array: [JSONValue], _ value: JSONValue?, ignoreCase: Bool) -> Bool {
        if ignoreCase, case .string(let s)? = value {
            let needle = JS.lower(s)
            return array.contains { element in
                if case .string(let e) = element { return JS.lower(e) == needle }
                return false
            }
        }
        return array.contains { element in
            if case .number(let a) = element, case .number(let b)? = value, a.isNaN && b.isNaN { return true }
            return JS.strictEquals(element, value)
        }
    }
}
