/// The seam between the interpreter's `JSValue`s and the extension library: value conversion,
/// n8n's `extend()` dispatch, members of Luxon values and the globals this library provides
/// (`DateTime`, `Duration`, `Interval`, `$now`, `$today`, `min`, `$ifEmpty`…).
package enum LuxonBridge {
    /// The extension context of an evaluation (workflow zone, frozen clock).
    package static func extensionContext(_ context: EvaluationContext) -> ExtensionContext {
        var zone = LuxonZone.named(context.timeZone)
        if !zone.isValid { zone = LuxonZone.named("America/New_York") }
        return ExtensionContext(zone: zone, nowMillis: context.nowMilliseconds())
    }

    // MARK: Values

    static let intervalKind = JSObject.Kind.builtin("Interval")

    /// The extension view of a runtime value (arrays and plain objects copied, depth-limited).
    package static func toExtension(_ value: JSValue, depth: Int = 0) -> ExtensionValue {
        switch value {
        case .undefined: return .undefined
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .number(let n): return .number(n)
        case .string(let s): return .string(s)
        case .date(let d): return .date(d.milliseconds)
        case .dateTime(let dt): return .dateTime(dt)
        case .duration(let d): return .duration(d)
        case .array(let a):
            guard depth < 64 else { return .opaque(value) }
            return .array(a.elements.map { toExtension($0, depth: depth + 1) })
        case .object(let o):
            if o.kind == intervalKind, let interval = interval(from: o) { return .interval(interval) }
            guard depth < 64 else { return .opaque(value) }
            switch o.kind {
            case .plain, .error:
                return .object(o.properties.map { (key: $0.key, value: toExtension($0.value, depth: depth + 1)) })
            case .builtin:
                return .opaque(ExtensionValue.Callable(value))
            default:
                return .opaque(value)
            }
        case .function:
            return .opaque(ExtensionValue.Callable(value))
        case .regex:
            return .opaque(value)
        }
    }

    /// The runtime value of an extension result (fresh arrays and objects).
    package static func toRuntime(_ value: ExtensionValue) -> JSValue {
        switch value {
        case .undefined: return .undefined
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .number(let n): return .number(n)
        case .string(let s): return .string(s)
        case .array(let items): return .array(JSArray(items.map(toRuntime)))
        case .object(let pairs):
            var properties = OrderedDictionary<String, JSValue>(minimumCapacity: pairs.count)
            for (key, item) in pairs { properties[key] = toRuntime(item) }
            return .object(JSObject(properties))
        case .dateTime(let dt): return .dateTime(dt)
        case .date(let ms): return .date(JSDate(milliseconds: ms))
        case .duration(let d): return .duration(d)
        case .interval(let i): return intervalValue(i)
        case .opaque(let boxed):
            if let callable = boxed as? ExtensionValue.Callable { return (callable.value as? JSValue) ?? .undefined }
            return (boxed as? JSValue) ?? .undefined
        }
    }

    /// An Interval as a runtime object (`kind: .builtin("Interval")`, `start`/`end` visible).
    static func intervalValue(_ interval: LuxonInterval) -> JSValue {
        var properties = OrderedDictionary<String, JSValue>()
        if interval.isValid {
            properties["start"] = .dateTime(interval.start)
            properties["end"] = .dateTime(interval.end)
        } else {
            properties["invalidReason"] = .string(interval.invalidReason ?? "invalid")
        }
        return .object(JSObject(properties, kind: intervalKind))
    }

    static func interval(from object: JSObject) -> LuxonInterval? {
        if case .dateTime(let s)? = object.properties["start"], case .dateTime(let e)? = object.properties["end"] {
            return .fromDateTimes(s, e)
        }
        if case .string(let reason)? = object.properties["invalidReason"] { return LuxonInterval(invalid: reason) }
        return nil
    }

    /// Maps a library error to what the interpreter raises: n8n errors become `ExpressionError`;
    /// plain JavaScript errors (`kind == .javaScript`) are rethrown as `ExtensionError` for the
    /// interpreter to treat like any runtime error.
    static func rethrow(_ error: any Error) throws -> Never {
        if let e = error as? ExtensionError {
            switch e.kind {
            case .extensionError, .expressionError:
                throw ExpressionError(.extensionFunction, e.message, hint: e.hint)
            case .javaScript:
                throw e
            }
        }
        throw error
    }

    // MARK: Extension calls

    /// Whether n8n rewrites `x.name(...)` into an extension call.
    package static func isExtensionName(_ name: String) -> Bool { ExtensionRegistry.isExtensionName(name) }

    /// n8n's `extend(receiver, name, args)`: the extension's result, or nil when the receiver's
    /// own (native) method of that name must be called instead.
    ///
    /// - Parameter hasNativeMethod: whether the receiver has a callable member `name`.
    /// - Throws: `ExpressionError` (`.extensionFunction`) with n8n's message, or `ExtensionError`
    ///   of kind `.javaScript` for errors JavaScript code could catch.
    package static func extend(_ receiver: JSValue, _ name: String, _ args: [JSValue], context: EvaluationContext,
                               hasNativeMethod: (String) -> Bool) throws -> JSValue? {
        do {
            let outcome = try ExtensionRegistry.extend(toExtension(receiver), name, args.map { toExtension($0) },
                                                       context: extensionContext(context), hasNative: hasNativeMethod)
            switch outcome {
            case .value(let v): return toRuntime(v)
            case .native: return nil
            }
        } catch {
            try rethrow(error)
        }
    }

    /// n8n's `extendOptional(receiver, name)` for `x.name?.(...)`: `true` when an extension
    /// applies, `false` when the native method applies, nil when neither (the call yields undefined).
    package static func extendOptional(_ receiver: JSValue, _ name: String, hasNativeMethod: (String) -> Bool) throws -> Bool? {
        do {
            return try ExtensionRegistry.optionalLookup(toExtension(receiver), name, hasNative: hasNativeMethod)
        } catch {
            try rethrow(error)
        }
    }

    // MARK: Members and globals

    static func native(_ name: String, _ body: @escaping (_ args: [ExtensionValue], _ context: ExtensionContext) throws -> ExtensionValue?) -> JSValue {
        .function(JSFunction(name: name) { _, arguments, interpreter in
            do {
                let result = try body(arguments.map { toExtension($0) }, extensionContext(interpreter.context))
                return result.map(toRuntime) ?? .undefined
            } catch {
                try rethrow(error)
            }
        })
    }

    /// A member of a Luxon value (`dt.year`, `dt.toISO`, `dur.hours`, `interval.length`): the
    /// property value, or a function bound to the receiver; nil when there is no such member.
    package static func member(of receiver: JSValue, _ name: String) -> JSValue? {
        switch receiver {
        case .dateTime(let dt):
            if let value = DateTimeMembers.property(dt, name) { return toRuntime(value) }
            guard DateTimeMembers.methodNames.contains(name) else { return nil }
            return native(name) { args, ctx in try DateTimeMembers.call(dt, name, args, ctx) }
        case .duration(let d):
            if let value = LuxonGlobals.durationProperty(d, name) { return toRuntime(value) }
            guard LuxonGlobals.durationMethodNames.contains(name) else { return nil }
            return native(name) { args, ctx in try LuxonGlobals.callDurationMethod(d, name, args, ctx) }
        case .object(let o) where o.kind == intervalKind:
            guard let interval = interval(from: o) else { return nil }
            if let value = IntervalMembers.property(interval, name) { return toRuntime(value) }
            guard IntervalMembers.methodNames.contains(name) else { return nil }
            return native(name) { args, ctx in try IntervalMembers.call(interval, name, args, ctx) }
        default:
            return nil
        }
    }

    /// Names of the globals this library provides.
    package static let globalNames: Set<String> = ConvenienceFunctions.names.union(["DateTime", "Duration", "Interval", "$now", "$today"])

    /// A global this library provides, or nil.
    package static func global(_ name: String, context: EvaluationContext) -> JSValue? {
        switch name {
        case "$now":
            return .dateTime(extensionContext(context).now)
        case "$today":
            return .dateTime(extensionContext(context).now.startOf(.days))
        case "DateTime":
            return namespace("DateTime", statics: LuxonGlobals.dateTimeStaticNames, constants: LuxonDateTime.presets.keys.sorted()) { member, args, ctx in
                try LuxonGlobals.callDateTime(member, args, ctx)
            }
        case "Duration":
            return namespace("Duration", statics: LuxonGlobals.durationStaticNames, constants: []) { member, args, ctx in
                try LuxonGlobals.callDuration(member, args, ctx)
            }
        case "Interval":
            return namespace("Interval", statics: IntervalMembers.staticNames, constants: []) { member, args, ctx in
                try IntervalMembers.callStatic(member, args, ctx)
            }
        default:
            guard ConvenienceFunctions.names.contains(name) else { return nil }
            return native(name) { args, _ in try ConvenienceFunctions.call(name, args) }
        }
    }

    /// A constructor-like function named `name` whose properties are its static members.
    static func namespace(_ name: String, statics: Set<String>, constants: [String],
                          call: @escaping @Sendable (String, [ExtensionValue], ExtensionContext) throws -> ExtensionValue?) -> JSValue {
        let function = JSFunction(name: name) { _, _, _ in
            throw ExtensionError("Class constructor \(name) cannot be invoked without 'new'", kind: .javaScript)
        }
        for member in statics.sorted() {
            function.properties[member] = native(member) { args, ctx in try call(member, args, ctx) }
        }
        for constant in constants {
            if let value = LuxonGlobals.dateTimeConstant(constant) { function.properties[constant] = toRuntime(value) }
        }
        return .function(function)
    }
}
