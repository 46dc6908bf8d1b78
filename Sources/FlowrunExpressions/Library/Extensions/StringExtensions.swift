/// n8n's string extensions (`string-extensions.ts`).
enum StringExtensions {
    static func text(_ value: ExtensionValue) -> String {
        if case .string(let s) = value { return s }
        return value.jsString
    }

    static func argString(_ args: [ExtensionValue], _ index: Int) -> String? {
        guard index < args.count else { return nil }
        switch args[index] {
        case .undefined: return nil
        case .string(let s): return s
        default: return args[index].jsString
        }
    }

    static let functions: [String: ExtensionRegistry.Function] = [
        "hash": { v, args, _ in
            let algorithm = argString(args, 0)?.lowercased() ?? "md5"
            let bytes = Array(text(v).utf8)
            switch algorithm {
            case "base64": return .string(StringAlgorithms.base64Encode(text(v)))
            default:
                if let digest = Digest.hexDigest(algorithm, of: bytes) { return .string(digest) }
                throw ExtensionError("Unknown algorithm \(algorithm). Available algorithms are: md5,sha1,sha224,sha256,sha384,sha512,sha3, and Base64.")
            }
        },
        "removeMarkdown": { v, _, _ in .string(StringAlgorithms.removeMarkdown(text(v))) },
        "removeTags": { v, _, _ in .string(StringAlgorithms.removeTags(text(v))) },
        "toDate": { v, _, ctx in try toDate(text(v), ctx) },
        "toDateTime": { v, args, ctx in .dateTime(try toDateTime(text(v), format: argString(args, 0), ctx)) },
        "toBoolean": { v, _, _ in
            let normalized = text(v).lowercased()
            return .bool(!normalized.isEmpty && !["false", "no", "0"].contains(normalized))
        },
        "toDecimalNumber": { v, _, _ in try toFloat(text(v)) },
        "toFloat": { v, _, _ in try toFloat(text(v)) },
        "toNumber": { v, _, _ in
            let n = JSNumberParsing.number(StringAlgorithms.stripCurrency(text(v)))
            if n.isNaN { throw ExtensionError("cannot convert to number") }
            return .number(n)
        },
        "toInt": { v, args, _ in try toInt(text(v), args) },
        "toWholeNumber": { v, args, _ in try toInt(text(v), args) },
        "toSentenceCase": { v, _, _ in .string(StringAlgorithms.sentenceCase(text(v))) },
        "toSnakeCase": { v, _, _ in .string(StringAlgorithms.snakeCase(text(v))) },
        "toTitleCase": { v, _, _ in .string(StringAlgorithms.titleCase(text(v))) },
        "urlDecode": { v, args, _ in
            let entire = args.first?.isTruthy ?? false
            guard let decoded = URIEncoding.decode(text(v), reserved: entire ? URIEncoding.decodeURIReserved : "") else {
                throw ExtensionError("URI malformed")
            }
            return .string(decoded)
        },
        "urlEncode": { v, args, _ in
            let entire = args.first?.isTruthy ?? false
            guard let encoded = URIEncoding.encode(text(v), unescaped: entire ? URIEncoding.encodeURIUnescaped : URIEncoding.componentUnescaped) else {
                throw ExtensionError("URI malformed")
            }
            return .string(encoded)
        },
        "quote": { v, args, _ in .string(StringAlgorithms.quote(text(v), with: argString(args, 0) ?? "\"")) },
        "replaceSpecialChars": { v, _, _ in .string(StringAlgorithms.replaceSpecialChars(text(v))) },
        "length": { v, _, _ in .number(Double(text(v).utf16.count)) },
        "isDomain": { v, _, _ in .bool(StringAlgorithms.isDomain(text(v))) },
        "isEmail": { v, _, _ in .bool(StringAlgorithms.isEmail(text(v))) },
        "isNumeric": { v, _, _ in
            let s = text(v)
            if s.contains(" ") { return .bool(false) }
            return .bool(!JSNumberParsing.number(s).isNaN && !JSNumberParsing.parseFloat(s).isNaN)
        },
        "isUrl": { v, _, _ in .bool(StringAlgorithms.isURL(text(v))) },
        "isEmpty": { v, _, _ in .bool(text(v).isEmpty) },
        "isNotEmpty": { v, _, _ in .bool(!text(v).isEmpty) },
        "isBlank": { v, _, _ in .bool(jsTrim(text(v)).isEmpty) },
        "isNotBlank": { v, _, _ in .bool(!jsTrim(text(v)).isEmpty) },
        "toJsonString": { v, _, _ in .string(ExtensionValue.quoteJSON(text(v))) },
        "extractEmail": { v, _, _ in StringAlgorithms.extractEmail(text(v)).map(ExtensionValue.string) ?? .undefined },
        "extractDomain": { v, _, _ in StringAlgorithms.extractDomain(text(v)).map(ExtensionValue.string) ?? .undefined },
        "extractUrl": { v, _, _ in StringAlgorithms.extractURL(text(v)).map(ExtensionValue.string) ?? .undefined },
        "extractUrlPath": { v, _, _ in StringAlgorithms.urlPath(text(v)).map(ExtensionValue.string) ?? .undefined },
        "parseJson": { v, _, _ in
            let s = text(v)
            guard let parsed = try? JSONValue(parsing: s) else {
                if s.contains("'") { throw ExtensionError("Parsing failed. Check you're using double quotes") }
                throw ExtensionError("Parsing failed")
            }
            return ExtensionValue(json: parsed)
        },
        "base64Encode": { v, _, _ in .string(StringAlgorithms.base64Encode(text(v))) },
        "base64Decode": { v, _, _ in .string(StringAlgorithms.base64Decode(text(v))) },
    ]

    static func jsTrim(_ s: String) -> String {
        String(s.drop(while: { $0.isWhitespace || $0 == "\u{FEFF}" }).reversed().drop(while: { $0.isWhitespace || $0 == "\u{FEFF}" }).reversed())
    }

    static func toFloat(_ s: String) throws -> ExtensionValue {
        if s.contains(",") { throw ExtensionError("cannot convert to float, expected . as decimal separator") }
        let n = JSNumberParsing.parseFloat(StringAlgorithms.stripCurrency(s))
        if n.isNaN { throw ExtensionError("cannot convert to float") }
        return .number(n)
    }

    static func toInt(_ s: String, _ args: [ExtensionValue]) throws -> ExtensionValue {
        var radix: Double?
        if let first = args.first, case .number(let r) = first { radix = r }
        let n = JSNumberParsing.parseInt(StringAlgorithms.stripCurrency(s), radix: radix)
        if n.isNaN { throw ExtensionError("cannot convert to integer") }
        return .number(n)
    }

    /// `toDate()`: `new Date(Date.parse(value))`, midnight local when the text has no time.
    static func toDate(_ s: String, _ ctx: ExtensionContext) throws -> ExtensionValue {
        guard var ms = JSDateParser.parse(s, localZone: ctx.zone) else { throw ExtensionError("cannot convert to date") }
        if !s.contains(":") {
            let local = LuxonDateTime.fromMillis(ms, zone: ctx.zone)
            ms = local.setting(["hour": 0, "minute": 0, "second": 0]).ts
        }
        return .date(ms)
    }

    /// `toDateTime(format?)`.
    static func toDateTime(_ s: String, format: String?, _ ctx: ExtensionContext) throws -> LuxonDateTime {
        if let format, !format.isEmpty {
            if ["ms", "s", "us", "excel"].contains(format) {
                let result = try NumberExtensions.toDateTime(JSNumberParsing.number(s), format: format, ctx)
                guard result.isValid else { throw ExtensionError("cannot convert to Luxon DateTime") }
                return result
            }
            return LuxonDateTime.fromFormat(s, format: format, options: ctx.parseOptions)
        }
        guard let parsed = tryToParseDateTime(s, ctx) else { throw ExtensionError("cannot convert to Luxon DateTime") }
        return parsed
    }

    /// n8n's `tryToParseDateTime` for strings: ISO, HTTP, RFC 2822, SQL (keeping the text's
    /// offset), then `Date.parse`.
    static func tryToParseDateTime(_ text: String, _ ctx: ExtensionContext) -> LuxonDateTime? {
        let s = jsTrim(text)
        var options = ctx.parseOptions
        options.setZone = true
        for parser in [LuxonDateTime.fromISO, LuxonDateTime.fromHTTP, LuxonDateTime.fromRFC2822, LuxonDateTime.fromSQL] {
            let dt = parser(s, options)
            if dt.isValid { return dt }
        }
        if let ms = JSDateParser.parse(s, localZone: ctx.zone) {
            return LuxonDateTime.fromMillis(ms, zone: ctx.zone)
        }
        return nil
    }
}

extension ExtensionValue {
    /// The extension view of a JSON value.
    package init(json: JSONValue) {
        switch json {
        case .null: self = .null
        case .bool(let b): self = .bool(b)
        case .number(let n): self = .number(n)
        case .string(let s): self = .string(s)
        case .array(let items): self = .array(items.map(ExtensionValue.init(json:)))
        case .object(let object): self = .object(object.map { (key: $0.key, value: ExtensionValue(json: $0.value)) })
        }
    }
}
