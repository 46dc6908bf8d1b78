import FlowrunCore
import FlowrunExpressions

/// Redis (`n8n-nodes-base.redis`, typeVersion 1): delete, get, incr, info, keys, pop, publish,
/// push and set, one command sequence per input item on one pooled connection of the node's
/// `redis` credential (through `context.services.redis`). Output items as n8n builds them
/// (docs: nodes/n8n-nodes-base.redis.md).
struct RedisNode: Node {
    static let description = NodeDescription(
        type: "n8n-nodes-base.redis", typeVersions: [1], displayName: "Redis", hasSideEffects: true)

    static let operations = ["delete", "get", "incr", "info", "keys", "pop", "publish", "push", "set"]

    let credentialReference: JSONValue?
    let operation: Param<String>
    let key: Param<String>
    let propertyName: Param<String>
    let keyType: Param<String>
    let options: Param<JSONValue?>
    let expire: Param<Bool>
    let ttl: Param<Double>
    let keyPattern: Param<String>
    let getValues: Param<Bool>
    let value: Param<JSONValue?>
    let valueIsJSON: Param<Bool>
    let channel: Param<String>
    let messageData: Param<String>
    let list: Param<String>
    let tail: Param<Bool>

    init(configuration c: NodeConfiguration) throws {
        let p = c.parameters
        credentialReference = c.credentials?["redis"]
        operation = p["operation"].choice(Self.operations, default: "info")
        key = p["key"].string(default: "")
        propertyName = p["propertyName"].string(default: "propertyName")
        keyType = p["keyType"].choice(["automatic", "hash", "list", "sets", "string"], default: "automatic")
        options = p["options"].json(default: .object([:]))
        expire = p["expire"].bool(default: false)
        ttl = p["ttl"].number(default: 60)
        keyPattern = p["keyPattern"].string(default: "")
        getValues = p["getValues"].bool(default: true)
        value = p["value"].json(default: "")
        valueIsJSON = p["valueIsJSON"].bool(default: true)
        channel = p["channel"].string(default: "")
        messageData = p["messageData"].string(default: "")
        list = p["list"].string(default: "")
        tail = p["tail"].bool(default: false)
    }

    func execute(_ input: NodeInput, context: ExecutionContext) async throws -> [[Item]] {
        let redis = try context.require(\.redis, "Redis")
        let operation = try self.operation.value(for: 0, in: context)
        let credential = try await context.services.credentials.resolve(
            type: "redis", reference: credentialReference, node: context.nodeName)
        let items = input.main
        let run: @Sendable () async throws -> [Item] = {
            try await redis.withConnection(credential) { connection in
                let session = RedisSession(connection: connection)
                if operation == "info" {
                    return try await self.info(session, context: context)
                }
                var output: [Item] = []
                for index in items.indices {
                    try Task.checkCancellation()
                    do {
                        output += try await self.run(operation, item: items[index], index: index, session: session, context: context)
                    } catch let failure as RedisNodeFailure {
                        let error = failure.nodeError(node: context.nodeName, itemIndex: index)
                        guard context.continueOnFail else { throw error }
                        output.append(Item(json: ["error": .string(error.message)], pairedItem: [PairedItem(item: index)]))
                    } catch let error as NodeError {
                        guard context.continueOnFail else { throw error }
                        output.append(Item(json: ["error": .string(error.message)], pairedItem: [PairedItem(item: index)]))
                    }
                }
                return output
            }
        }
        do {
            if let resilience = context.services.resilience {
                return [try await resilience.call(target: "redis \(Self.serverName(credential))", policy: .once, context: context, run)]
            }
            return [try await run()]
        } catch let error as NodeError {
            throw error
        } catch let failure as RedisNodeFailure {
            throw failure.nodeError(node: context.nodeName, itemIndex: nil)
        } catch {
            // Connection refused/closed/timeout (FlowrunRedis.RedisBackendError): names the server, no secrets.
            throw NodeError(.api, String(describing: error), node: context.nodeName)
        }
    }

    private func info(_ session: RedisSession, context: ExecutionContext) async throws -> [Item] {
        do {
            let text = try await session.text(["INFO"]) ?? ""
            return [Item(json: RedisInfo.parse(text))]
        } catch let failure as RedisNodeFailure {
            let error = failure.nodeError(node: context.nodeName, itemIndex: nil)
            guard context.continueOnFail else { throw error }
            return [Item(json: ["error": .string(error.message)])]
        }
    }

    private func run(_ operation: String, item: Item, index i: Int, session: RedisSession, context: ExecutionContext) async throws -> [Item] {
        var json: JSONObject = [:]
        let pairing = [PairedItem(item: i)]
        switch operation {
        case "delete":
            _ = try await session.command(["DEL", .string(try key.value(for: i, in: context))])
            return [item]
        case "get":
            let name = try propertyName.value(for: i, in: context)
            let key = try key.value(for: i, in: context)
            let type = try keyType.value(for: i, in: context)
            let value = try await session.value(of: key, type: type) ?? .null
            put(value, at: name, in: &json, options: try options.value(for: i, in: context))
            return [Item(json: json, pairedItem: pairing)]
        case "keys":
            let pattern = try keyPattern.value(for: i, in: context)
            let keys = try await session.strings(["KEYS", .string(pattern)])
            guard try getValues.value(for: i, in: context) else {
                return [Item(json: ["keys": .array(keys.map(JSONValue.string))])]
            }
            for name in keys {
                if let value = try await session.value(of: name, type: "automatic") { json[name] = value }
            }
            return [Item(json: json, pairedItem: pairing)]
        case "set":
            let key = try key.value(for: i, in: context)
            try await RedisSetter(session: session, key: key).set(
                value.value(for: i, in: context) ?? .null, type: try keyType.value(for: i, in: context),
                valueIsJSON: try valueIsJSON.value(for: i, in: context))
            if try expire.value(for: i, in: context) {
                _ = try await session.command(["EXPIRE", .string(key), .string(JS.string(.number(try ttl.value(for: i, in: context))))])
            }
            return [item]
        case "incr":
            let key = try key.value(for: i, in: context)
            let reply = try await session.command(["INCR", .string(key)])
            let ttl = try self.ttl.value(for: i, in: context)
            if try expire.value(for: i, in: context), ttl > 0 {
                _ = try await session.command(["EXPIRE", .string(key), .string(JS.string(.number(ttl)))])
            }
            guard case .integer(let n) = reply else { throw RedisNodeFailure.unexpected("INCR") }
            return [Item(json: [key: .number(Double(n))], pairedItem: pairing)]
        case "publish":
            let channel = try channel.value(for: i, in: context)
            _ = try await session.command(["PUBLISH", .string(channel), .string(try messageData.value(for: i, in: context))])
            return [item]
        case "push":
            let list = try list.value(for: i, in: context)
            let data = try messageData.value(for: i, in: context)
            let command: RedisArgument = try tail.value(for: i, in: context) ? "RPUSH" : "LPUSH"
            _ = try await session.command([command, .string(list), .string(data)])
            return [item]
        case "pop":
            let list = try list.value(for: i, in: context)
            let command: RedisArgument = try tail.value(for: i, in: context) ? "RPOP" : "LPOP"
            let name = try propertyName.value(for: i, in: context)
            let popped = try await session.text([command, .string(list)])
            // n8n: `value && JSON.parse(value)`, the text itself when it is not JSON.
            var output: JSONValue = popped.map(JSONValue.string) ?? .null
            if let popped, !popped.isEmpty, let parsed = try? JSONValue(parsing: popped) { output = parsed }
            put(output, at: name, in: &json, options: try options.value(for: i, in: context))
            return [Item(json: json, pairedItem: pairing)]
        default:
            throw NodeError(.invalidParameter, "The operation \"\(operation)\" is not supported", node: context.nodeName, parameter: "operation")
        }
    }

    /// n8n: lodash `set` (dot notation) unless `options.dotNotation` is false.
    private func put(_ value: JSONValue, at name: String, in json: inout JSONObject, options: JSONValue?) {
        if options?["dotNotation"] == .bool(false) {
            json[name] = value
        } else {
            FieldPath.set(&json, name, value)
        }
    }

    static func serverName(_ credential: ResolvedCredential) -> String {
        let host = credential.string("host")
        let port = credential.string("port")
        return "\(host.isEmpty ? "localhost" : host):\(port.isEmpty ? "6379" : port)"
    }
}
