/// `Date` and `Date.prototype`, with local time in the workflow zone.
enum DateMethods {
    static let getters: [String] = [
        "getFullYear", "getMonth", "getDate", "getDay", "getHours", "getMinutes", "getSeconds", "getMilliseconds", "getYear",
    ]
    static let setters: [String] = ["setFullYear", "setMonth", "setDate", "setHours", "setMinutes", "setSeconds", "setMilliseconds"]

    static let names: Set<String> = Set(getters + getters.map { $0.replacing("get", with: "getUTC") } + setters
        + setters.map { $0.replacing("set", with: "setUTC") } + [
        "getTime", "valueOf", "getTimezoneOffset", "toISOString", "toJSON", "toString", "toDateString", "toTimeString",
        "toUTCString", "toGMTString", "toLocaleDateString", "toLocaleTimeString", "toLocaleString", "setTime",
    ])

    static func arg(_ args: [JSValue], _ i: Int) -> JSValue { i < args.count ? args[i] : .undefined }

    static func timeClip(_ ms: Double) -> Double {
        guard ms.isFinite, Swift.abs(ms) <= 8.64e15 else { return .nan }
        return ms.rounded(.towardZero) + 0
    }

    /// `JSDateFormatting.makeLocal` for field values that can name a representable date (others
    /// are NaN, as JavaScript's MakeDate overflow gives).
    static func makeLocal(_ f: [Double], zone: LuxonZone) -> Double {
        guard f.allSatisfy({ $0.isFinite && Swift.abs($0) < 1e12 }) else { return .nan }
        return JSDateFormatting.makeLocal(year: f[0], monthIndex: f[1], day: f[2], hour: f[3], minute: f[4], second: f[5],
                                          millisecond: f[6], zone: zone)
    }

    /// The instant `new Date(args…)` denotes.
    static func instant(_ args: [JSValue], _ interp: Interpreter) -> Double {
        if args.isEmpty { return interp.nowMillis }
        if args.count == 1 {
            switch args[0] {
            case .date(let d): return d.milliseconds
            case .dateTime(let dt): return timeClip(dt.valueOf)
            case .string(let s): return timeClip(JSDateParser.parse(s, localZone: interp.zone) ?? .nan)
            default:
                let primitive = args[0].toPrimitive(zone: interp.zone)
                if case .string(let s) = primitive { return timeClip(JSDateParser.parse(s, localZone: interp.zone) ?? .nan) }
                return timeClip(primitive.toNumber(zone: interp.zone))
            }
        }
        let n = args.map { $0.toNumber(zone: interp.zone) }
        return timeClip(makeLocal([n[0], n[1], n.count > 2 ? n[2] : 1, n.count > 3 ? n[3] : 0, n.count > 4 ? n[4] : 0,
                                   n.count > 5 ? n[5] : 0, n.count > 6 ? n[6] : 0], zone: interp.zone))
    }

    static let constructor: JSFunction = {
        let f = Globals.fn("Date") { _, interp in .string(JSDateFormatting.toString(interp.nowMillis, zone: interp.zone)) }
        f.construct = { args, interp in .date(JSDate(milliseconds: instant(args, interp))) }
        f.instanceKind = "Date"
        f.properties["now"] = .function(Globals.fn("now") { _, interp in .number(interp.nowMillis) })
        f.properties["parse"] = .function(Globals.fn("parse") { args, interp in
            .number(timeClip(JSDateParser.parse(arg(args, 0).toJSString(zone: interp.zone), localZone: interp.zone) ?? .nan))
        })
        f.properties["UTC"] = .function(Globals.fn("UTC") { args, interp in
            let n = args.map { $0.toNumber(zone: interp.zone) }
            guard !n.isEmpty else { return .number(.nan) }
            return .number(timeClip(makeLocal([n[0], n.count > 1 ? n[1] : 0, n.count > 2 ? n[2] : 1, n.count > 3 ? n[3] : 0,
                                               n.count > 4 ? n[4] : 0, n.count > 5 ? n[5] : 0, n.count > 6 ? n[6] : 0], zone: .utc)))
        })
        return f
    }()

    static func call(_ d: JSDate, _ name: String, _ args: [JSValue], _ interp: Interpreter) throws -> JSValue? {
        let ms = d.milliseconds
        let utc = name.hasPrefix("getUTC") || name.hasPrefix("setUTC")
        let zone: LuxonZone = utc ? .utc : interp.zone
        switch name {
        case "getTime", "valueOf": return .number(ms)
        case "getTimezoneOffset":
            guard let f = JSDateFormatting.localFields(ms, zone: interp.zone) else { return .number(.nan) }
            return .number(Double(-f.offsetMinutes) + 0)
        case "toISOString":
            guard let s = JSDateFormatting.toISOString(ms) else { throw interp.rangeError("Invalid time value") }
            return .string(s)
        case "toJSON": return JSDateFormatting.toISOString(ms).map(JSValue.string) ?? .null
        case "toString": return .string(JSDateFormatting.toString(ms, zone: interp.zone))
        case "toDateString": return .string(JSDateFormatting.toDateString(ms, zone: interp.zone))
        case "toTimeString": return .string(JSDateFormatting.toTimeString(ms, zone: interp.zone))
        case "toUTCString", "toGMTString": return .string(JSDateFormatting.toUTCString(ms))
        case "toLocaleDateString", "toLocaleTimeString", "toLocaleString":
            var localZone = interp.zone
            if case .object(let options) = arg(args, 1), case .string(let tz)? = options.get("timeZone") {
                let named = LuxonZone.named(tz)
                if named.isValid { localZone = named }
            }
            return .string(JSDateFormatting.toLocaleString(ms, zone: localZone, date: name != "toLocaleTimeString", time: name != "toLocaleDateString"))
        case "setTime":
            d.milliseconds = timeClip(arg(args, 0).toNumber(zone: interp.zone))
            return .number(d.milliseconds)
        default:
            break
        }
        let base = name.replacing("UTC", with: "")
        if base.hasPrefix("get") {
            guard let f = JSDateFormatting.localFields(ms, zone: zone) else { return .number(.nan) }
            switch base {
            case "getFullYear": return .number(Double(f.year))
            case "getYear": return .number(Double(f.year - 1900))
            case "getMonth": return .number(Double(f.month - 1))
            case "getDate": return .number(Double(f.day))
            case "getDay": return .number(Double(f.weekday))
            case "getHours": return .number(Double(f.hour))
            case "getMinutes": return .number(Double(f.minute))
            case "getSeconds": return .number(Double(f.second))
            case "getMilliseconds": return .number(Double(f.millisecond))
            default: return nil
            }
        }
        guard base.hasPrefix("set") else { return nil }
        let values = args.map { $0.toNumber(zone: interp.zone) }
        let f = JSDateFormatting.localFields(ms.isNaN && base == "setFullYear" ? 0 : ms, zone: zone)
        guard let f, !values.isEmpty else {
            d.milliseconds = .nan
            return .number(.nan)
        }
        var fields = [Double(f.year), Double(f.month - 1), Double(f.day), Double(f.hour), Double(f.minute), Double(f.second), Double(f.millisecond)]
        let start: Int
        switch base {
        case "setFullYear": start = 0
        case "setMonth": start = 1
        case "setDate": start = 2
        case "setHours": start = 3
        case "setMinutes": start = 4
        case "setSeconds": start = 5
        case "setMilliseconds": start = 6
        default: return nil
        }
        let maxArgs = [3, 2, 1, 4, 3, 2, 1][start]
        for (i, v) in values.prefix(maxArgs).enumerated() { fields[start + i] = v }
        d.milliseconds = timeClip(makeLocal(fields, zone: zone))
        return .number(d.milliseconds)
    }
}
