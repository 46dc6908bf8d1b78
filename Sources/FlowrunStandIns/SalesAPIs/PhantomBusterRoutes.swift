import FlowrunExpressions
import Foundation
import Hummingbird

/// PhantomBuster API v2 under `/phantombuster`.
///
/// Shapes from the public reference (hub.phantombuster.com/reference, "Phantombuster API v2"):
/// - auth: header `X-Phantombuster-Key-1` (the reference's name; `X-Phantombuster-Key` is accepted
///   too, as the hub's examples use it); a missing or wrong key is 401.
/// - `POST /api/v2/agents/launch` body `{"id", "argument"?, "bonusArgument"?}` → `{"containerId"}`.
/// - `GET /api/v2/agents/fetch-output?id=<agentId>` → `{"containerId", "status", "output",
///   "outputPos", "isAgentRunning", "canSoftAbort"}`; status one of starting, running, finished,
///   unknown, launch error, never launched.
/// - `GET /api/v2/containers/fetch?id=<containerId>` → `{"id", "agentId", "status", "createdAt",
///   "endedAt"?, "exitCode"?, "launchType"}` (v2 times are milliseconds).
/// - `GET /api/v2/containers/fetch-result-object?id=<containerId>` → `{"resultObject": "<JSON text>"}`
///   (a string holding JSON; null while the container runs).
/// - errors: HTTP 400/401/404/429/5xx with `{"status": "error", "error": "<message>"}`.
struct PhantomBusterRoutes: Sendable {
    let state: SalesStandInState

    static func error(_ status: Int, _ message: String) -> StandInReply {
        StandInReply(status, ["status": "error", "error": .string(message)])
    }

    func add(to router: Router<BasicRequestContext>) {
        let dispatch = StandInDispatch(api: .phantombuster, state: state) { status in
            ["status": "error", "error": .string(status == 429 ? "Too many requests" : "Internal server error")]
        }
        let state = self.state
        router.post("/phantombuster/api/v2/agents/launch") { request, context in
            try await dispatch.handle(request, context: context) { await Self.launch($0, state) }
        }
        router.get("/phantombuster/api/v2/agents/fetch-output") { request, context in
            try await dispatch.handle(request, context: context) { await Self.fetchOutput($0, state) }
        }
        router.get("/phantombuster/api/v2/containers/fetch") { request, context in
            try await dispatch.handle(request, context: context) { await Self.fetchContainer($0, state) }
        }
        router.get("/phantombuster/api/v2/containers/fetch-result-object") { request, context in
            try await dispatch.handle(request, context: context) { await Self.fetchResultObject($0, state) }
        }
    }

    static func authorized(_ request: StandInRequest, _ state: SalesStandInState) -> Bool {
        let key = request.header("X-Phantombuster-Key-1") ?? request.header("X-Phantombuster-Key")
        return key == state.configuration.phantomBusterKey
    }

    static func launch(_ request: StandInRequest, _ state: SalesStandInState) async -> StandInReply {
        guard authorized(request, state) else { return error(401, "Unauthorized") }
        guard let body = request.json?.objectValue else { return error(400, "Body must be a JSON object") }
        let agentID: String
        switch body["id"] {
        case .string(let s): agentID = s
        case .number(let n): agentID = String(Int(n))
        default: return error(400, "\"id\" is required")
        }
        guard state.configuration.phantomBusterAgentIDs.contains(agentID) else {
            return error(404, "Agent not found")
        }
        // The argument may be an object or a string holding JSON, as on PhantomBuster.
        var argument = body["argument"] ?? [:]
        if case .string(let text) = argument, let parsed = try? JSONValue(parsing: text) { argument = parsed }
        return await state.launchContainer(agentID: agentID, argument: argument)
    }

    static func fetchOutput(_ request: StandInRequest, _ state: SalesStandInState) async -> StandInReply {
        guard authorized(request, state) else { return error(401, "Unauthorized") }
        guard let agentID = request.query["id"], !agentID.isEmpty else { return error(400, "\"id\" is required") }
        guard state.configuration.phantomBusterAgentIDs.contains(agentID) else {
            return error(404, "Agent not found")
        }
        return await state.agentOutput(agentID: agentID)
    }

    static func fetchContainer(_ request: StandInRequest, _ state: SalesStandInState) async -> StandInReply {
        guard authorized(request, state) else { return error(401, "Unauthorized") }
        guard let id = request.query["id"], !id.isEmpty else { return error(400, "\"id\" is required") }
        return await state.containerStatus(id: id) ?? error(404, "Container not found")
    }

    static func fetchResultObject(_ request: StandInRequest, _ state: SalesStandInState) async -> StandInReply {
        guard authorized(request, state) else { return error(401, "Unauthorized") }
        guard let id = request.query["id"], !id.isEmpty else { return error(400, "\"id\" is required") }
        return await state.resultObject(containerID: id) ?? error(404, "Container not found")
    }
}

extension SalesStandInState {
    func launchContainer(agentID: String, argument: JSONValue) -> StandInReply {
        let number = nextNumber()
        let id = String(4_900_000_000_000_000 + number)
        let search = argument["search"]?.stringValue ?? argument["searches"]?.stringValue ?? "demo search"
        let count = argument["numberOfProfiles"]?.numberValue.map { Int($0) } ?? configuration.profilesPerSearch
        let container = PhantomContainer(
            id: id, agentID: agentID, argument: argument, createdAt: now,
            pollsUntilFinished: configuration.pollsUntilFinished,
            resultObject: DemoData.profiles(
                search: search, count: max(0, count), timestamp: now.formatted(.iso8601)))
        containers[id] = container
        containerOrder.append(id)
        return StandInReply(200, ["containerId": .string(id)])
    }

    /// One status poll of a container: counts down to `finished`.
    private func poll(_ id: String) -> PhantomContainer? {
        guard var container = containers[id] else { return nil }
        if container.pollsUntilFinished > 0 { container.pollsUntilFinished -= 1 }
        containers[id] = container
        return container
    }

    private func milliseconds(_ date: Date) -> JSONValue {
        .number((date.timeIntervalSince1970 * 1000).rounded())
    }

    func agentOutput(agentID: String) -> StandInReply {
        guard let id = containerOrder.last(where: { containers[$0]?.agentID == agentID }),
            let container = poll(id)
        else {
            return StandInReply(
                200,
                [
                    "containerId": .null, "status": "never launched", "output": "", "outputPos": 0,
                    "isAgentRunning": false, "canSoftAbort": false,
                ])
        }
        let output =
            container.isFinished
            ? "Searching LinkedIn...\nExtracted \(container.resultObject.count) profiles\nProcess finished successfully (exit code: 0)\n"
            : "Searching LinkedIn...\n"
        return StandInReply(
            200,
            [
                "containerId": .string(container.id),
                "status": .string(container.isFinished ? "finished" : "running"),
                "output": .string(output),
                "outputPos": .number(Double(output.utf8.count)),
                "isAgentRunning": .bool(!container.isFinished),
                "canSoftAbort": .bool(!container.isFinished),
            ])
    }

    func containerStatus(id: String) -> StandInReply? {
        guard let container = poll(id) else { return nil }
        var body: JSONObject = [
            "id": .string(container.id),
            "agentId": .string(container.agentID),
            "status": .string(container.isFinished ? "finished" : "running"),
            "createdAt": milliseconds(container.createdAt),
            "launchType": "user api call",
        ]
        if container.isFinished {
            body["endedAt"] = milliseconds(container.createdAt)
            body["exitCode"] = 0
            body["endType"] = "finished"
        }
        return StandInReply(200, .object(body))
    }

    func resultObject(containerID: String) -> StandInReply? {
        guard let container = containers[containerID] else { return nil }
        guard container.isFinished else { return StandInReply(200, ["resultObject": .null]) }
        return StandInReply(200, ["resultObject": .string(JSONValue.array(container.resultObject).jsonString())])
    }
}
