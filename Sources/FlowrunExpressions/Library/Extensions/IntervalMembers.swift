/// The `Interval` global and Interval instance members.
package enum IntervalMembers {
    static func arg(_ args: [ExtensionValue], _ i: Int) -> ExtensionValue { i < args.count ? args[i] : .undefined }

    static func interval(_ value: ExtensionValue) throws -> LuxonInterval {
        guard case .interval(let i) = value else { throw ExtensionError("Expected an Interval, got \(value.jsString)", kind: .javaScript) }
        return i
    }

    static func unit(_ value: ExtensionValue) throws -> LuxonDuration.Unit {
        value.isNullish ? .milliseconds : try DateExtensions.durationUnit(value.jsString)
    }

    package static let staticNames: Set<String> = ["fromDateTimes", "after", "before", "fromISO", "invalid", "isInterval"]

    /// Calls `Interval.<name>(…)`; nil when there is no such static function.
    package static func callStatic(_ name: String, _ args: [ExtensionValue], _ ctx: ExtensionContext) throws -> ExtensionValue? {
        switch name {
        case "fromDateTimes":
            return .interval(.fromDateTimes(try DateTimeMembers.dateTimeArgument(arg(args, 0), ctx), try DateTimeMembers.dateTimeArgument(arg(args, 1), ctx)))
        case "after":
            return .interval(.after(try DateTimeMembers.dateTimeArgument(arg(args, 0), ctx), try DateExtensions.durationLike(arg(args, 1))))
        case "before":
            return .interval(.before(try DateTimeMembers.dateTimeArgument(arg(args, 0), ctx), try DateExtensions.durationLike(arg(args, 1))))
        case "fromISO":
            return .interval(.fromISO(arg(args, 0).jsString, options: LuxonGlobals.parseOptions(arg(args, 1), ctx)))
        case "invalid":
            return .interval(LuxonInterval(invalid: arg(args, 0).jsString, explanation: arg(args, 1).isNullish ? nil : arg(args, 1).jsString))
        case "isInterval":
            if case .interval = arg(args, 0) { return .bool(true) }
            return .bool(false)
        default:
            return nil
        }
    }

    package static func property(_ i: LuxonInterval, _ name: String) -> ExtensionValue? {
        switch name {
        case "start": return i.isValid ? .dateTime(i.start) : .null
        case "end": return i.isValid ? .dateTime(i.end) : .null
        case "lastDateTime": return i.isValid ? .dateTime(i.end.minus(LuxonDuration.fromMillis(1))) : .null
        case "isValid": return .bool(i.isValid)
        case "invalidReason": return i.invalidReason.map(ExtensionValue.string) ?? .null
        case "invalidExplanation": return i.invalidExplanation.map(ExtensionValue.string) ?? .null
        default: return nil
        }
    }

    package static let methodNames: Set<String> = [
        "length", "count", "toDuration", "contains", "isEmpty", "isAfter", "isBefore", "overlaps", "engulfs", "hasSame",
        "equals", "intersection", "union", "splitBy", "divideEqually", "toISO", "toISODate", "toString", "toFormat",
        "toJSON", "set", "abutsStart", "abutsEnd",
    ]

    /// Calls an Interval method; nil when there is no such method.
    package static func call(_ i: LuxonInterval, _ name: String, _ args: [ExtensionValue], _ ctx: ExtensionContext) throws -> ExtensionValue? {
        switch name {
        case "length": return .number(i.length(try unit(arg(args, 0))))
        case "count": return .number(i.count(try unit(arg(args, 0))))
        case "toDuration":
            let units = try DateTimeMembers.units(arg(args, 0), default: .milliseconds)
            return .duration(i.toDuration(units))
        case "contains": return .bool(i.contains(try DateTimeMembers.dateTimeArgument(arg(args, 0), ctx)))
        case "isEmpty": return .bool(i.isEmpty())
        case "isAfter": return .bool(i.isAfter(try DateTimeMembers.dateTimeArgument(arg(args, 0), ctx)))
        case "isBefore": return .bool(i.isBefore(try DateTimeMembers.dateTimeArgument(arg(args, 0), ctx)))
        case "overlaps": return .bool(i.overlaps(try interval(arg(args, 0))))
        case "engulfs": return .bool(i.engulfs(try interval(arg(args, 0))))
        case "abutsStart":
            let other = try interval(arg(args, 0))
            return .bool(i.isValid && other.isValid && i.end.ts == other.start.ts)
        case "abutsEnd":
            let other = try interval(arg(args, 0))
            return .bool(i.isValid && other.isValid && other.end.ts == i.start.ts)
        case "hasSame": return .bool(i.hasSame(try DateExtensions.durationUnit(arg(args, 0).jsString)))
        case "equals": return .bool(i.equals(try interval(arg(args, 0))))
        case "intersection": return try i.intersection(interval(arg(args, 0))).map(ExtensionValue.interval) ?? .null
        case "union": return .interval(i.union(try interval(arg(args, 0))))
        case "splitBy": return .array(i.splitBy(try DateExtensions.durationLike(arg(args, 0))).map(ExtensionValue.interval))
        case "divideEqually":
            let parts = Int(DateExtensions.numericValue(arg(args, 0)) ?? 0)
            return .array(i.divideEqually(parts).map(ExtensionValue.interval))
        case "toISO", "toJSON": return .string(i.toISO())
        case "toISODate": return i.toISODate().map(ExtensionValue.string) ?? .null
        case "toString": return .string(i.toString())
        case "toFormat":
            var separator = " – "
            if case .string(let s) = DateTimeMembers.option(args, 1, "separator") { separator = s }
            return .string(i.toFormat(arg(args, 0).jsString, separator: separator))
        case "set":
            let s = DateTimeMembers.option(args, 0, "start")
            let e = DateTimeMembers.option(args, 0, "end")
            return .interval(.fromDateTimes(s.isNullish ? i.start : try DateTimeMembers.dateTimeArgument(s, ctx),
                                            e.isNullish ? i.end : try DateTimeMembers.dateTimeArgument(e, ctx)))
        default:
            return nil
        }
    }
}
