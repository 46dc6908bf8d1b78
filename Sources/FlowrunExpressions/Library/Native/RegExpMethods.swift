import Foundation

/// `RegExp` constructor and `RegExp.prototype` methods, plus the regex paths of string methods.
enum RegExpMethods {
    static let names: Set<String> = ["test", "exec", "toString"]

    static let constructor: JSFunction = {
        let make: ([JSValue], Interpreter) throws -> JSValue = { args, interp in
            let pattern = Globals.arg(args, 0)
            let flagsValue = Globals.arg(args, 1)
            var source: String
            var flags = flagsValue.isUndefined ? "" : flagsValue.toJSString()
            if case .regex(let r) = pattern {
                source = r.source
                if flagsValue.isUndefined { flags = r.flags }
            } else {
                source = pattern.isUndefined ? "(?:)" : pattern.toJSString()
            }
            if source.isEmpty { source = "(?:)" }
            for f in flags where !"dgimsuyv".contains(f) {
                throw interp.syntaxError("Invalid flags supplied to RegExp constructor '\(flags)'")
            }
            do {
                _ = try RegExpEngine.compile(source, flags: flags)
            } catch {
                throw interp.syntaxError("Invalid regular expression: /\(source)/\(flags): Invalid pattern")
            }
            return .regex(JSRegExp(source: source, flags: flags))
        }
        let f = Globals.fn("RegExp", make)
        f.construct = make
        f.instanceKind = "RegExp"
        return f
    }()

    static func compiled(_ r: JSRegExp, _ interp: Interpreter) throws -> NSRegularExpression {
        do {
            return try RegExpEngine.compile(r.source, flags: r.flags)
        } catch {
            throw interp.syntaxError("Invalid regular expression: /\(r.source)/")
        }
    }

    /// One match starting the search at `from` (UTF-16), honouring the sticky flag.
    static func match(_ r: JSRegExp, _ text: NSString, from: Int, _ interp: Interpreter) throws -> [Range<Int>?]? {
        try interp.tick()
        let regex = try compiled(r, interp)
        return RegExpEngine.firstMatch(regex, in: text, from: from, sticky: r.flags.contains("y"))
    }

    /// The array `exec` returns for a match.
    static func resultArray(_ ranges: [Range<Int>?], _ r: JSRegExp, _ text: String, _ view: JSStringView) -> JSValue {
        let values: [JSValue] = ranges.map { range in range.map { .string(view.slice($0.lowerBound, $0.upperBound)) } ?? .undefined }
        let array = JSArray(values)
        array.extra["index"] = .number(Double(ranges[0]?.lowerBound ?? 0))
        array.extra["input"] = .string(text)
        let names = RegExpEngine.groupNames(r.source)
        if names.isEmpty {
            array.extra["groups"] = .undefined
        } else {
            let groups = JSObject()
            for (name, index) in names.sorted(by: { $0.value < $1.value }) where index < values.count { groups.set(name, values[index]) }
            array.extra["groups"] = .object(groups)
        }
        return .array(array)
    }

    static func exec(_ r: JSRegExp, _ text: String, _ interp: Interpreter) throws -> JSValue {
        let global = r.flags.contains("g") || r.flags.contains("y")
        let start = global ? r.lastIndex : 0
        let ns = text as NSString
        guard start <= ns.length, let ranges = try match(r, ns, from: start, interp), let whole = ranges[0] else {
            if global { r.lastIndex = 0 }
            return .null
        }
        if global { r.lastIndex = whole.upperBound }
        return resultArray(ranges, r, text, JSStringView(text))
    }

    static func call(_ r: JSRegExp, _ name: String, _ args: [JSValue], _ interp: Interpreter) throws -> JSValue? {
        switch name {
        case "test":
            return .bool(!(try exec(r, Globals.arg(args, 0).toJSString(zone: interp.zone), interp)).isNullish)
        case "exec":
            return try exec(r, Globals.arg(args, 0).toJSString(zone: interp.zone), interp)
        case "toString":
            return .string("/\(r.source)/\(r.flags)")
        default:
            return nil
        }
    }

    /// All matches from the start (for `g` replace, match, matchAll, split).
    static func allMatches(_ r: JSRegExp, _ text: String, _ interp: Interpreter) throws -> [[Range<Int>?]] {
        let ns = text as NSString
        var out: [[Range<Int>?]] = []
        var from = 0
        while from <= ns.length, let ranges = try match(r, ns, from: from, interp), let whole = ranges[0] {
            out.append(ranges)
            from = whole.isEmpty ? whole.upperBound + 1 : whole.upperBound
            if !r.flags.contains("g") { break }
        }
        return out
    }

    /// Expands `$&`, `$1`, `$<name>`… in a replacement string.
    static func expand(_ replacement: String, _ ranges: [Range<Int>?], _ view: JSStringView, names: [String: Int]) -> String {
        guard replacement.contains("$") else { return replacement }
        let chars = Array(replacement)
        var out = ""
        var i = 0
        let whole = ranges[0] ?? 0..<0
        while i < chars.count {
            let c = chars[i]
            guard c == "$", i + 1 < chars.count else { out.append(c); i += 1; continue }
            let n = chars[i + 1]
            switch n {
            case "$": out += "$"; i += 2
            case "&": out += view.slice(whole.lowerBound, whole.upperBound); i += 2
            case "`": out += view.slice(0, whole.lowerBound); i += 2
            case "'": out += view.slice(whole.upperBound, view.count); i += 2
            case "<":
                if let close = chars[(i + 2)...].firstIndex(of: ">"), !names.isEmpty {
                    let name = String(chars[(i + 2)..<close])
                    if let index = names[name], index < ranges.count, let r = ranges[index] { out += view.slice(r.lowerBound, r.upperBound) }
                    i = close + 1
                } else {
                    out += "$<"
                    i += 2
                }
            default:
                if let d1 = n.wholeNumberValue {
                    var index = d1
                    var length = 2
                    if i + 2 < chars.count, let d2 = chars[i + 2].wholeNumberValue, d1 * 10 + d2 < ranges.count, d1 * 10 + d2 > 0 {
                        index = d1 * 10 + d2
                        length = 3
                    }
                    if index > 0, index < ranges.count {
                        if let r = ranges[index] { out += view.slice(r.lowerBound, r.upperBound) }
                        i += length
                        continue
                    }
                }
                out.append(c)
                i += 1
            }
        }
        return out
    }
}
