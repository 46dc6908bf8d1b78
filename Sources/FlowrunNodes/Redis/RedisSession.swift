import FlowrunCore
import FlowrunExpressions

/// A failure inside the Redis node: a server error reply (n8n shows its text as the message) or
/// a JavaScript-level error n8n's node would hit with the same input.
struct RedisNodeFailure: Error, Sendable {
    var message: String

    static func unexpected(_ command: String) -> RedisNodeFailure {
        RedisNodeFailure(message: "Unexpected reply from Redis to \(command)")
    }

    func nodeError(node: String, itemIndex: Int?) -> NodeError {
        NodeError(.operation, message, node: node, itemIndex: itemIndex)
    }
}

/// One node run's connection, with n8n's reading of replies (node-redis v4: bulk strings as
/// UTF-8 text, HGETALL as an object).
struct RedisSession {
    let connection: any RedisConnection

    /// Sends a command; an error reply throws `RedisNodeFailure` with the server's text.
    func command(_ arguments: [RedisArgument]) async throws -> RESPValue {
        let reply = try await connection.send(arguments)
        if case .error(let text) = reply { throw RedisNodeFailure(message: text) }
        return reply
    }

    /// A string reply as text, nil for a null reply.
    func text(_ arguments: [RedisArgument]) async throws -> String? {
        let reply = try await command(arguments)
        if case .null = reply { return nil }
        guard let text = reply.string else { throw RedisNodeFailure.unexpected(arguments.first.map(Self.name) ?? "") }
        return text
    }

    /// An array reply of strings.
    func strings(_ arguments: [RedisArgument]) async throws -> [String] {
        let reply = try await command(arguments)
        if case .null = reply { return [] }
        guard case .array(let elements) = reply else { throw RedisNodeFailure.unexpected(arguments.first.map(Self.name) ?? "") }
        return elements.map { $0.string ?? "" }
    }

    /// n8n's `getValue`: the key's value read by `type` ("automatic" asks TYPE first). nil when
    /// n8n's gives `undefined`: a missing key, or a type it does not read (TYPE answers "set" for
    /// sets, which n8n's automatic mode does not match with "sets"; zset, stream).
    func value(of key: String, type: String) async throws -> JSONValue? {
        var type = type
        if type == "automatic" { type = try await text(["TYPE", .string(key)]) ?? "none" }
        switch type {
        case "string":
            return try await text(["GET", .string(key)]).map(JSONValue.string) ?? .null
        case "hash":
            let flat = try await strings(["HGETALL", .string(key)])
            var object: JSONObject = [:]
            var index = 0
            while index + 1 < flat.count {
                object[flat[index]] = .string(flat[index + 1])
                index += 2
            }
            return .object(object)
        case "list":
            return .array(try await strings(["LRANGE", .string(key), "0", "-1"]).map(JSONValue.string))
        case "sets":
            return .array(try await strings(["SMEMBERS", .string(key)]).map(JSONValue.string))
        default:
            return nil
        }
    }

    private static func name(_ argument: RedisArgument) -> String {
        switch argument {
        case .string(let s): s
        case .bytes(let b): String(decoding: b, as: UTF8.self)
        }
    }
}

/// n8n's `setValue`: how the Set operation writes `value` for each key type.
struct RedisSetter {
    let session: RedisSession
    let key: String

    func set(_ value: JSONValue, type requested: String, valueIsJSON: Bool) async throws {
        var type = requested
        if type == "automatic" {
            switch value {
            case .string: type = "string"
            case .array: type = "list"
            case .object, .null: type = "hash"   // typeof null === "object"
            default: throw RedisNodeFailure(message: "Could not identify the type to set. Please set it manually!")
            }
        }
        switch type {
        case "string":
            _ = try await session.command(["SET", .string(key), .string(try Self.toString(value))])
        case "hash":
            if valueIsJSON {
                var values = value
                if case .string(let text) = value, let parsed = try? JSONValue(parsing: text) { values = parsed }
                for (field, fieldValue) in try Self.objectEntries(values) {
                    _ = try await session.command(["HSET", .string(key), .string(field), .string(try Self.toString(fieldValue))])
                }
            } else {
                let words = try Self.toString(value).split(separator: " ", omittingEmptySubsequences: false).map { RedisArgument.string(String($0)) }
                _ = try await session.command(["HSET", .string(key)] + words)
            }
        case "list":
            // n8n sets element by index (LSET): the list must already have that many elements.
            for (index, element) in Self.indexed(value).enumerated() {
                _ = try await session.command(["LSET", .string(key), .string(String(index)), .string(try Self.toString(element))])
            }
        case "sets":
            let members: [JSONValue] = if case .array(let a) = value { a } else { [value] }
            _ = try await session.command(["SADD", .string(key)] + members.map { .string(JS.string($0)) })
        default:
            break
        }
    }

    /// JavaScript `value.toString()` (null has none: TypeError, as in n8n).
    static func toString(_ value: JSONValue) throws -> String {
        if case .null = value { throw RedisNodeFailure(message: "Cannot read properties of null (reading 'toString')") }
        return JS.string(value)
    }

    /// `Object.keys(values)` with the values: object members, array indexes, string characters.
    static func objectEntries(_ values: JSONValue) throws -> [(String, JSONValue)] {
        switch values {
        case .object(let o): return o.map { ($0.key, $0.value) }
        case .array(let a): return a.enumerated().map { (String($0.offset), $0.element) }
        case .string(let s): return s.enumerated().map { (String($0.offset), .string(String($0.element))) }
        case .null: throw RedisNodeFailure(message: "Cannot convert undefined or null to object")
        default: return []
        }
    }

    /// `value[index]` for `index < value.length`: array elements or string characters.
    static func indexed(_ value: JSONValue) -> [JSONValue] {
        switch value {
        case .array(let a): a
        case .string(let s): s.map { .string(String($0)) }
        default: []
        }
    }
}

/// n8n's `convertInfoToObject`: INFO's `key:value` lines into an object; `a=1,b=2` values into
/// nested objects; values made only of digits and dots into numbers (`parseFloat`).
enum RedisInfo {
    static func parse(_ text: String) -> JSONObject {
        var result: JSONObject = [:]
        // By scalars: "\r\n" is one Character, so a Character split on "\n" would not split INFO's lines.
        for scalars in text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = String(String.UnicodeScalarView(scalars))
            guard let first = line.first, first != "#" else { continue }
            let parts = line.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count >= 2 else { continue }
            let key = String(parts[0])
            let value = parts[1].trimmingCharacters(in: .whitespacesAndNewlines)
            if value.contains("=") {
                var nested: JSONObject = [:]
                for pair in value.split(separator: ",", omittingEmptySubsequences: false) {
                    let kv = pair.split(separator: "=", omittingEmptySubsequences: false)
                    // n8n would throw on a pair without "=" (undefined.match); flowrun skips it.
                    guard kv.count >= 2 else { continue }
                    nested[String(kv[0])] = parsedValue(String(kv[1]))
                }
                result[key] = .object(nested)
            } else {
                result[key] = parsedValue(value)
            }
        }
        return result
    }

    /// `getParsedValue`: /^[\d.]+$/ → parseFloat (NaN → null in JSON), else the text.
    static func parsedValue(_ text: String) -> JSONValue {
        guard !text.isEmpty, text.allSatisfy({ $0 == "." || ("0"..."9").contains($0) }) else { return .string(text) }
        // parseFloat: the longest prefix that is a number (digits with at most one dot).
        var prefix = ""
        var sawDot = false
        for c in text {
            if c == "." {
                if sawDot { break }
                sawDot = true
            }
            prefix.append(c)
        }
        guard prefix.contains(where: { $0 != "." }), let number = Double(prefix.hasPrefix(".") ? "0" + prefix : prefix) else {
            return .null
        }
        return .number(number)
    }
}
