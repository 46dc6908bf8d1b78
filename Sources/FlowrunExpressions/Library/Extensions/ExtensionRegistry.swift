/// n8n's `ExpressionExtensionError` / `ExpressionError` raised by an extension function.
package struct ExtensionError: Error, Sendable, Equatable, CustomStringConvertible {
    package enum Kind: Sendable {
        /// n8n's `ExpressionExtensionError`: fails the node.
        case extensionError
        /// n8n's `ExpressionError`: fails the node.
        case expressionError
        /// A plain JavaScript error (Luxon's `InvalidUnitError`, a `RangeError`…), which n8n's
        /// evaluator swallows like any runtime error.
        case javaScript
    }
    package var kind: Kind
    package var message: String
    /// n8n's hint shown under the message, if any.
    package var hint: String?

    package init(_ message: String, kind: Kind = .extensionError, hint: String? = nil) {
        self.kind = kind
        self.message = message
        self.hint = hint
    }

    package var description: String { message }
}

/// What extension functions may read from the evaluation.
package struct ExtensionContext: Sendable {
    /// The workflow zone: Luxon's default zone and the local zone of JS `Date`.
    package var zone: LuxonZone
    /// The frozen clock of the evaluation.
    package var nowMillis: Double

    package init(zone: LuxonZone, nowMillis: Double) {
        self.zone = zone
        self.nowMillis = nowMillis
    }

    package var now: LuxonDateTime { LuxonDateTime.fromMillis(nowMillis, zone: zone) }
    package var parseOptions: LuxonDateTime.ParseOptions { .init(zone: zone, nowMillis: nowMillis) }
}

/// The outcome of n8n's `extend(input, name, args)`.
package enum ExtensionOutcome: Sendable {
    /// An extension ran and produced this value.
    case value(ExtensionValue)
    /// No extension applies to this receiver but it has a native method of that name: call it.
    case native
}

/// n8n's extension dispatch (`expression-extension.ts`): which names are extensions, and which
/// function runs for a receiver.
package enum ExtensionRegistry {
    typealias Function = @Sendable (ExtensionValue, [ExtensionValue], ExtensionContext) throws -> ExtensionValue

    struct Family {
        let typeName: String
        let functions: [String: Function]
    }

    static let families: [Family] = [
        Family(typeName: "Array", functions: ArrayExtensions.functions),
        Family(typeName: "Date", functions: DateExtensions.functions),
        Family(typeName: "Number", functions: NumberExtensions.functions),
        Family(typeName: "Object", functions: ObjectExtensions.functions),
        Family(typeName: "String", functions: StringExtensions.functions),
        Family(typeName: "Boolean", functions: BooleanExtensions.functions),
    ]

    static let allNames: Set<String> = {
        var names: Set<String> = ["isEmpty", "isNotEmpty"]
        for family in families { names.formUnion(family.functions.keys) }
        return names
    }()

    /// Whether n8n rewrites `x.name(...)` into an extension call.
    package static func isExtensionName(_ name: String) -> Bool { allNames.contains(name) }

    static let unsafeNames: Set<String> = [
        "__proto__", "prototype", "constructor", "getPrototypeOf", "mainModule", "binding", "_linkedBinding",
        "_load", "prepareStackTrace", "__lookupGetter__", "__lookupSetter__", "__defineGetter__",
        "__defineSetter__", "caller", "arguments",
    ]

    /// n8n's `isDate`: a string in exact `toISOString()` form is treated as a Date.
    static func isISODateString(_ s: String) -> Double? {
        guard LuxonRegex.test(#"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}.\d{3}Z"#, s),
              let ms = JSDateParser.parse(s, localZone: .utc),
              ExtensionValue.isoString(ms: ms) == s else { return nil }
        return ms
    }

    /// Finds the extension function for a receiver (n8n's `findExtendedFunction`), converting
    /// ISO date strings to Dates as n8n does.
    static func find(_ input: ExtensionValue, _ name: String, hasNative: (String) -> Bool) throws -> (Function?, ExtensionValue, Bool) {
        if unsafeNames.contains(name) {
            throw ExtensionError("Cannot access \"\(name)\" via expression extension due to security concerns")
        }
        var receiver = input
        var found: Function?
        switch input {
        case .array:
            found = ArrayExtensions.functions[name]
        case .string(let s):
            if name != "toDate", name != "toDateTime", let ms = isISODateString(s) {
                receiver = .date(ms)
                found = DateExtensions.functions[name]
            } else {
                found = StringExtensions.functions[name]
            }
        case .number:
            found = NumberExtensions.functions[name]
        case .dateTime, .date:
            found = DateExtensions.functions[name]
        case .opaque where input.isCallable:
            // `Math.floor(x)`, `Object.keys(o)`, `Number.isInteger(n)`: n8n rewrites these too, and
            // finds the namespace's own function (functions are not "object" to its dispatch).
            if name != "isEmpty" && name != "isNotEmpty" || hasNative(name) { return (nil, receiver, true) }
        case .object, .duration, .interval, .opaque:
            found = ObjectExtensions.functions[name]
        case .bool:
            found = BooleanExtensions.functions[name]
        case .undefined, .null:
            found = nil
        }
        if found == nil {
            if input.isTruthy, hasNative(name) || hasLuxonMethod(input, name) { return (nil, receiver, true) }
            if name == "isEmpty" { found = { value, _, _ in .bool(!value.isTruthy) } }
            if name == "isNotEmpty" { found = { value, _, _ in .bool(value.isTruthy) } }
        }
        return (found, receiver, false)
    }

    /// Methods of Luxon values, native to them whatever the runtime reports.
    static func hasLuxonMethod(_ input: ExtensionValue, _ name: String) -> Bool {
        switch input {
        case .dateTime: return DateTimeMembers.methodNames.contains(name)
        case .duration: return LuxonGlobals.durationMethodNames.contains(name)
        case .interval: return IntervalMembers.methodNames.contains(name)
        default: return false
        }
    }

    /// n8n's `extend(input, name, args)`.
    ///
    /// - Parameter hasNative: whether the receiver has a native JavaScript method of that name.
    /// - Throws: `ExtensionError` with n8n's message ("… is only callable on type …",
    ///   "… can't be used on undefined value", or the function's own error).
    package static func extend(_ input: ExtensionValue, _ name: String, _ args: [ExtensionValue], context: ExtensionContext,
                               hasNative: (String) -> Bool) throws -> ExtensionOutcome {
        let (function, receiver, native) = try find(input, name, hasNative: hasNative)
        if native { return .native }
        guard let function else {
            if input.isNullish {
                let shown = input.typeOf == "undefined" ? "undefined" : "null"
                throw ExtensionError("\(name) can't be used on \(shown) value",
                                     hint: "To ignore this error, add a ? to the variable before this function, e.g. my_var?.\(name)")
            }
            let having = families.filter { $0.functions[name] != nil }
            if having.isEmpty { throw ExtensionError("Unknown expression function: \(name)") }
            if having.count > 1 {
                let names = having.map { "\"\($0.typeName)\"" }
                let list = names.dropLast().joined(separator: ", ") + ", and " + names.last!
                throw ExtensionError("\(name)() is only callable on types \(list)")
            }
            throw ExtensionError("\(name)() is only callable on type \"\(having[0].typeName)\"")
        }
        return .value(try function(receiver, args, context))
    }

    /// n8n's `extendOptional(input, name)`: whether `x.name?.()` finds a function (nil = undefined).
    package static func optionalLookup(_ input: ExtensionValue, _ name: String, hasNative: (String) -> Bool) throws -> Bool? {
        let (function, _, native) = try find(input, name, hasNative: hasNative)
        if native { return false }
        return function == nil ? nil : true
    }
}
