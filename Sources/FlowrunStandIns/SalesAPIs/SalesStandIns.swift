import FlowrunExpressions
import Foundation
import Hummingbird

/// Local stand-ins for PhantomBuster, Instantly, Cal.com and BuiltWith, on one Hummingbird router.
///
/// Each API lives under its `SalesAPI.prefix` and follows the vendor's public paths, auth headers,
/// status codes and error bodies (each file says where its shapes come from). Answers are
/// deterministic: the same requests after a reset give the same bodies. `/_admin/...` routes list the
/// calls, inject faults and expose what the vendor would have pushed by webhook (see `AdminRoutes`).
public struct SalesStandIns: Sendable {
    /// Keys, demo sizes and the clock of the stand-ins.
    public struct Configuration: Sendable {
        /// The PhantomBuster API key (`X-Phantombuster-Key-1` or `X-Phantombuster-Key`).
        public var phantomBusterKey = "pb-standin-key"
        /// Agent ids that exist; launching any other id is a 404 as on PhantomBuster.
        public var phantomBusterAgentIDs: Set<String> = ["7301937492834701"]
        /// Profiles a LinkedIn search export returns unless the launch argument says
        /// `numberOfProfiles`.
        public var profilesPerSearch = 35
        /// Status polls a container answers `running` before it is `finished`.
        public var pollsUntilFinished = 2
        /// The Instantly API key (`Authorization: Bearer`).
        public var instantlyKey = "instantly-standin-key"
        /// The sending mailbox of Instantly campaigns not listed in `instantlyCampaignMailboxes`.
        public var instantlyDefaultMailbox = "founder@demo-founder.example"
        /// The sending mailbox per Instantly campaign id.
        public var instantlyCampaignMailboxes: [String: String] = [:]
        /// The Cal.com API key (`Authorization: Bearer`).
        public var calcomKey = "cal_test_standin"
        /// The BuiltWith API key (`KEY` query parameter).
        public var builtWithKey = "builtwith-standin-key"
        /// The time stamped on records; tests pin it.
        public var now: @Sendable () -> Date = { Date() }

        public init() {}
    }

    /// The records and call log behind the routes.
    public let state: SalesStandInState

    public init(configuration: Configuration = Configuration()) {
        self.state = SalesStandInState(configuration: configuration)
    }

    /// Adds every API's routes and the admin routes to `router`.
    public func addRoutes(to router: Router<BasicRequestContext>) {
        PhantomBusterRoutes(state: state).add(to: router)
        InstantlyRoutes(state: state).add(to: router)
        CalcomRoutes(state: state).add(to: router)
        BuiltWithRoutes(state: state).add(to: router)
        AdminRoutes(state: state).add(to: router)
    }

    /// A router serving the sales stand-ins only.
    public func router() -> Router<BasicRequestContext> {
        let router = Router()
        addRoutes(to: router)
        return router
    }
}

/// Runs one API route: injected faults first, then the route, then the call log entry.
struct StandInDispatch: Sendable {
    let api: SalesAPI
    let state: SalesStandInState
    /// The API's error body for an injected fault of `status`.
    let faultBody: @Sendable (Int) -> JSONValue

    func handle(
        _ request: Request, context: BasicRequestContext,
        _ route: @escaping @Sendable (StandInRequest) async -> StandInReply
    ) async throws -> Response {
        let standInRequest = try await Self.read(request, api: api, context: context)
        let reply: StandInReply
        let injected: Bool
        if let fault = await state.takeFault(for: api) {
            var headers: [(String, String)] = []
            if let seconds = fault.retryAfterSeconds { headers.append(("Retry-After", String(seconds))) }
            reply = StandInReply(fault.status, faultBody(fault.status), headers: headers)
            injected = true
        } else {
            reply = await route(standInRequest)
            injected = false
        }
        await state.record(api, standInRequest, status: reply.status, injectedFault: injected)
        return reply.response
    }

    static func read(_ request: Request, api: SalesAPI?, context: BasicRequestContext) async throws
        -> StandInRequest
    {
        let buffer = try await request.body.collect(upTo: 4 << 20)
        let raw = String(buffer: buffer)
        var query: [String: String] = [:]
        for (key, value) in request.uri.queryParameters { query[String(key)] = String(value) }
        var path = request.uri.path
        if let api, path.hasPrefix(api.prefix) { path = String(path.dropFirst(api.prefix.count)) }
        let json = raw.isEmpty ? nil : try? JSONValue(parsing: raw)
        return StandInRequest(
            method: request.method.rawValue, path: path, query: query, headers: request.headers,
            rawBody: raw, json: json)
    }
}
