import Foundation

/// `String` and `String.prototype`.
enum StringMethods {
    static let names: Set<String> = [
        "at", "charAt", "charCodeAt", "codePointAt", "concat", "endsWith", "includes", "indexOf", "lastIndexOf",
        "localeCompare", "match", "matchAll", "normalize", "padEnd", "padStart", "repeat", "replace", "replaceAll",
        "search", "slice", "split", "startsWith", "substring", "substr", "toLowerCase", "toUpperCase",
        "toLocaleLowerCase", "toLocaleUpperCase", "toString", "trim", "trimStart", "trimEnd", "trimLeft", "trimRight",
        "valueOf", "isWellFormed",
    ]

    static let constructor: JSFunction = {
        let make: ([JSValue], Interpreter) throws -> JSValue = { args, interp in
            args.isEmpty ? .string("") : .string(Operators.templateStringUnchecked(args[0], interp))
        }
        let f = Globals.fn("String", make)
        f.construct = make
        f.instanceKind = "String"
        f.properties["fromCharCode"] = .function(Globals.fn("fromCharCode") { args, _ in
            .string(String(decoding: args.map { UInt16(truncatingIfNeeded: Int($0.toNumber().uint32 & 0xFFFF)) }, as: UTF16.self))
        })
        f.properties["fromCodePoint"] = .function(Globals.fn("fromCodePoint") { args, interp in
            var out = ""
            for a in args {
                let n = a.toNumber()
                guard n >= 0, n <= 0x10FFFF, n == n.rounded(), let scalar = Unicode.Scalar(UInt32(n)) else {
                    throw interp.rangeError("Invalid code point \(a.toJSString())")
                }
                out.unicodeScalars.append(scalar)
            }
            return .string(out)
        })
        return f
    }()

    static func arg(_ args: [JSValue], _ i: Int) -> JSValue { i < args.count ? args[i] : .undefined }

    static func isJSWhitespace(_ u: UInt16) -> Bool {
        switch u {
        case 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000, 0xFEFF:
            return true
        default:
            return false
        }
    }

    static func trim(_ s: String, start: Bool, end: Bool) -> String {
        let units = Array(s.utf16)
        var a = 0
        var b = units.count
        if start { while a < b, isJSWhitespace(units[a]) { a += 1 } }
        if end { while b > a, isJSWhitespace(units[b - 1]) { b -= 1 } }
        return String(decoding: units[a..<b], as: UTF16.self)
    }

    static func call(_ s: String, _ name: String, _ args: [JSValue], _ interp: Interpreter) throws -> JSValue? {
        // Read only by the methods that format values: the zone's first read in an evaluation
        // is a locked cache lookup, too dear for every `toUpperCase()`.
        var zone: LuxonZone { interp.zone }
        switch name {
        case "toString", "valueOf": return .string(s)
        case "toLowerCase", "toLocaleLowerCase": return .string(s.lowercased())
        case "toUpperCase", "toLocaleUpperCase": return .string(s.uppercased())
        case "trim": return .string(trim(s, start: true, end: true))
        case "trimStart", "trimLeft": return .string(trim(s, start: true, end: false))
        case "trimEnd", "trimRight": return .string(trim(s, start: false, end: true))
        case "isWellFormed": return .bool(true)
        case "concat":
            var out = s
            for a in args { out += a.toJSString(zone: zone) }
            try interp.allocate(out.utf8.count)
            return .string(out)
        case "includes", "startsWith", "endsWith", "indexOf", "lastIndexOf":
            if name != "indexOf" && name != "lastIndexOf", case .regex = arg(args, 0) {
                throw interp.typeError("First argument to String.prototype.\(name) must not be a regular expression")
            }
            let view = JSStringView(s)
            let needle = Array(arg(args, 0).toJSString(zone: zone).utf16)
            switch name {
            case "includes":
                return .bool(view.find(needle, from: view.relative(arg(args, 1), default: 0).clampedNonNegative) != nil)
            case "startsWith":
                let from = arg(args, 1).isUndefined ? 0 : Int(Swift.max(0, Swift.min(arg(args, 1).toNumber().integerOrInfinity, Double(view.count))))
                return .bool(from + needle.count <= view.count && view.units[from..<(from + needle.count)].elementsEqual(needle))
            case "endsWith":
                let end = arg(args, 1).isUndefined ? view.count : Int(Swift.max(0, Swift.min(arg(args, 1).toNumber().integerOrInfinity, Double(view.count))))
                let start = end - needle.count
                return .bool(start >= 0 && view.units[start..<end].elementsEqual(needle))
            case "indexOf":
                let from = arg(args, 1).isUndefined ? 0 : Int(Swift.max(0, Swift.min(arg(args, 1).toNumber().integerOrInfinity, Double(view.count))))
                return .number(Double(view.find(needle, from: from) ?? -1))
            default:
                let fromValue = arg(args, 1).toNumber()
                let from = fromValue.isNaN ? view.count : Int(Swift.max(0, Swift.min(fromValue.integerOrInfinity, Double(view.count))))
                return .number(Double(view.findLast(needle, from: from) ?? -1))
            }
        case "at":
            let view = JSStringView(s)
            var i = Int(arg(args, 0).toNumber().integerOrInfinity.clamped)
            if i < 0 { i += view.count }
            return i >= 0 && i < view.count ? .string(view.slice(i, i + 1)) : .undefined
        case "charAt":
            let view = JSStringView(s)
            let i = arg(args, 0).toNumber().integerOrInfinity
            return .string(i >= 0 && i < Double(view.count) ? view.slice(Int(i), Int(i) + 1) : "")
        case "charCodeAt":
            let units = Array(s.utf16)
            let i = arg(args, 0).toNumber().integerOrInfinity
            return .number(i >= 0 && i < Double(units.count) ? Double(units[Int(i)]) : .nan)
        case "codePointAt":
            let units = Array(s.utf16)
            let i = arg(args, 0).toNumber().integerOrInfinity
            guard i >= 0, i < Double(units.count) else { return .undefined }
            let first = units[Int(i)]
            if first >= 0xD800, first < 0xDC00, Int(i) + 1 < units.count {
                let second = units[Int(i) + 1]
                if second >= 0xDC00, second < 0xE000 {
                    return .number(Double(0x10000 + (Int(first) - 0xD800) * 0x400 + (Int(second) - 0xDC00)))
                }
            }
            return .number(Double(first))
        case "slice":
            let view = JSStringView(s)
            return .string(view.slice(view.relative(arg(args, 0), default: 0), view.relative(arg(args, 1), default: view.count)))
        case "substring":
            let view = JSStringView(s)
            func clamp(_ v: JSValue, _ d: Int) -> Int {
                v.isUndefined ? d : Int(Swift.max(0, Swift.min(v.toNumber().integerOrInfinity, Double(view.count))))
            }
            let a = clamp(arg(args, 0), 0)
            let b = clamp(arg(args, 1), view.count)
            return .string(view.slice(Swift.min(a, b), Swift.max(a, b)))
        case "substr":
            let view = JSStringView(s)
            let start = view.relative(arg(args, 0), default: 0)
            let length = arg(args, 1).isUndefined ? Double(view.count) : arg(args, 1).toNumber().integerOrInfinity
            guard length > 0 else { return .string("") }
            return .string(view.slice(start, start + Int(Swift.min(length, Double(view.count)))))
        case "padStart", "padEnd":
            let target = arg(args, 0).toNumber().integerOrInfinity
            let filler = arg(args, 1).isUndefined ? " " : arg(args, 1).toJSString(zone: zone)
            let length = s.utf16.count
            guard target > Double(length), !filler.isEmpty else { return .string(s) }
            try interp.allocate(Int(Swift.min(target, 1e12)))
            let fillUnits = Array(filler.utf16)
            let needed = Int(target) - length
            var pad: [UInt16] = []
            pad.reserveCapacity(needed)
            while pad.count < needed { pad.append(fillUnits[pad.count % fillUnits.count]) }
            let padding = String(decoding: pad, as: UTF16.self)
            return .string(name == "padStart" ? padding + s : s + padding)
        case "repeat":
            let n = arg(args, 0).toNumber().integerOrInfinity
            guard n >= 0, n.isFinite else { throw interp.rangeError("Invalid count value: \(arg(args, 0).toJSString())") }
            if s.isEmpty || n == 0 { return .string("") }
            try interp.allocate(Int(Swift.min(n * Double(s.utf8.count), 1e15)))
            return .string(String(repeating: s, count: Int(n)))
        case "localeCompare":
            let other = arg(args, 0).toJSString(zone: zone)
            switch s.compare(other, locale: Locale(identifier: "en_US")) {
            case .orderedAscending: return .number(-1)
            case .orderedDescending: return .number(1)
            case .orderedSame: return .number(0)
            }
        case "normalize":
            let form = arg(args, 0).isUndefined ? "NFC" : arg(args, 0).toJSString()
            switch form {
            case "NFC": return .string(s.precomposedStringWithCanonicalMapping)
            case "NFD": return .string(s.decomposedStringWithCanonicalMapping)
            case "NFKC": return .string(s.precomposedStringWithCompatibilityMapping)
            case "NFKD": return .string(s.decomposedStringWithCompatibilityMapping)
            default: throw interp.rangeError("The normalization form should be one of NFC, NFD, NFKC, NFKD.")
            }
        case "split":
            return try split(s, arg(args, 0), arg(args, 1), interp)
        case "replace", "replaceAll":
            return .string(try replace(s, arg(args, 0), arg(args, 1), all: name == "replaceAll", interp))
        case "match":
            let pattern = arg(args, 0)
            let r: JSRegExp
            if case .regex(let given) = pattern { r = given } else {
                r = JSRegExp(source: pattern.isUndefined ? "(?:)" : regexSource(pattern.toJSString(zone: zone)), flags: "")
            }
            if r.flags.contains("g") {
                let matches = try RegExpMethods.allMatches(r, s, interp)
                r.lastIndex = 0
                if matches.isEmpty { return .null }
                let view = JSStringView(s)
                return .array(JSArray(matches.map { .string(view.slice($0[0]!.lowerBound, $0[0]!.upperBound)) }))
            }
            let saved = r.lastIndex
            r.lastIndex = 0
            defer { r.lastIndex = saved }
            return try RegExpMethods.exec(JSRegExp(source: r.source, flags: r.flags.replacing("y", with: "")), s, interp)
        case "matchAll":
            let pattern = arg(args, 0)
            let r: JSRegExp
            if case .regex(let given) = pattern {
                guard given.flags.contains("g") else { throw interp.typeError("String.prototype.matchAll called with a non-global RegExp argument") }
                r = given
            } else {
                r = JSRegExp(source: regexSource(pattern.toJSString(zone: zone)), flags: "g")
            }
            let view = JSStringView(s)
            return .array(JSArray(try RegExpMethods.allMatches(r, s, interp).map { RegExpMethods.resultArray($0, r, s, view) }))
        case "search":
            let pattern = arg(args, 0)
            let r: JSRegExp
            if case .regex(let given) = pattern { r = given } else { r = JSRegExp(source: regexSource(pattern.toJSString(zone: zone)), flags: "") }
            let ranges = try RegExpMethods.match(JSRegExp(source: r.source, flags: r.flags.replacing("g", with: "")), s as NSString, from: 0, interp)
            return .number(Double(ranges?[0]?.lowerBound ?? -1))
        default:
            return nil
        }
    }

    /// A string used where a pattern is expected (`"a.b".match(".")` treats it as a regex source).
    static func regexSource(_ s: String) -> String { s }

    static func split(_ s: String, _ separator: JSValue, _ limitValue: JSValue, _ interp: Interpreter) throws -> JSValue {
        let limit = limitValue.isUndefined ? Int.max : Int(limitValue.toNumber().uint32)
        if limit == 0 { return .array(JSArray()) }
        if separator.isUndefined { return .array(JSArray([.string(s)])) }
        let view = JSStringView(s)
        var parts: [JSValue] = []
        if case .regex(let r) = separator {
            if view.count == 0 {
                let m = try RegExpMethods.match(r, s as NSString, from: 0, interp)
                return .array(JSArray(m?[0].map { $0.isEmpty && $0.upperBound == 0 } == true ? [] : [.string(s)]))
            }
            let regex = try RegExpMethods.compiled(JSRegExp(source: r.source, flags: r.flags), interp)
            var last = 0
            var from = 0
            let ns = s as NSString
            while from < view.count {
                try interp.tick()
                guard let ranges = RegExpEngine.firstMatch(regex, in: ns, from: from, sticky: false), let whole = ranges[0] else { break }
                if whole.upperBound > view.count || (whole.isEmpty && whole.lowerBound >= view.count) { break }
                if whole.isEmpty && whole.lowerBound == last {
                    from = whole.lowerBound + 1
                    if whole.lowerBound == 0 || whole.lowerBound == last { if from > view.count { break } }
                    if whole.lowerBound == last && whole.lowerBound != 0 { continue }
                    if whole.lowerBound == 0 { continue }
                }
                parts.append(.string(view.slice(last, whole.lowerBound)))
                if parts.count >= limit { return .array(JSArray(parts)) }
                for group in ranges.dropFirst() {
                    parts.append(group.map { .string(view.slice($0.lowerBound, $0.upperBound)) } ?? .undefined)
                    if parts.count >= limit { return .array(JSArray(parts)) }
                }
                last = whole.upperBound
                from = whole.isEmpty ? whole.upperBound + 1 : whole.upperBound
            }
            parts.append(.string(view.slice(last, view.count)))
            return .array(JSArray(Array(parts.prefix(limit))))
        }
        let needle = Array(separator.toJSString(zone: interp.zone).utf16)
        if needle.isEmpty {
            try interp.allocate(view.count)
            return .array(JSArray(view.units.prefix(limit).map { .string(String(decoding: [$0], as: UTF16.self)) }))
        }
        var start = 0
        while let i = view.find(needle, from: start) {
            parts.append(.string(view.slice(start, i)))
            if parts.count >= limit { return .array(JSArray(parts)) }
            start = i + needle.count
        }
        parts.append(.string(view.slice(start, view.count)))
        try interp.allocate(parts.count)
        return .array(JSArray(parts))
    }

    static func replace(_ s: String, _ pattern: JSValue, _ replacement: JSValue, all: Bool, _ interp: Interpreter) throws -> String {
        let view = JSStringView(s)
        var matches: [[Range<Int>?]] = []
        var names: [String: Int] = [:]
        if case .regex(let r) = pattern {
            if all && !r.flags.contains("g") { throw interp.typeError("replaceAll must be called with a global RegExp") }
            names = RegExpEngine.groupNames(r.source)
            if r.flags.contains("g") {
                matches = try RegExpMethods.allMatches(r, s, interp)
                r.lastIndex = 0
            } else if let m = try RegExpMethods.match(r, s as NSString, from: 0, interp), m[0] != nil {
                matches = [m]
            }
        } else {
            let needle = Array(pattern.toJSString(zone: interp.zone).utf16)
            var from = 0
            while let i = view.find(needle, from: from) {
                matches.append([i..<(i + needle.count)])
                if !all { break }
                from = i + Swift.max(needle.count, 1)
                if from > view.count { break }
            }
        }
        if matches.isEmpty { return s }
        var out = ""
        var last = 0
        for ranges in matches {
            let whole = ranges[0]!
            out += view.slice(last, whole.lowerBound)
            if case .function(let f) = replacement {
                var callArgs: [JSValue] = ranges.map { r in r.map { .string(view.slice($0.lowerBound, $0.upperBound)) } ?? .undefined }
                callArgs.append(.number(Double(whole.lowerBound)))
                callArgs.append(.string(s))
                out += try f.call(.undefined, callArgs, interp).toJSString(zone: interp.zone)
            } else {
                out += RegExpMethods.expand(replacement.toJSString(zone: interp.zone), ranges, view, names: names)
            }
            last = whole.upperBound
            try interp.allocate(out.utf8.count / 16)
        }
        out += view.slice(last, view.count)
        return out
    }
}

extension Int {
    var clampedNonNegative: Int { Swift.max(0, self) }
}

extension Operators {
    /// `String(value)`: like a template literal but never throws.
    static func templateStringUnchecked(_ value: JSValue, _ interp: Interpreter) -> String {
        if case .string(let s) = value { return s }
        return value.toPrimitive(hintString: true, zone: interp.zone).toJSString(zone: interp.zone)
    }
}
