import FlowrunExpressions
import Foundation
import Hummingbird

/// The stand-ins' own routes under `/_admin` (not part of any vendor API):
/// - `GET /_admin/calls[?api=instantly]` → `{"count", "calls": [{sequence, api, method, path, query,
///   body, status, injectedFault}]}`.
/// - `POST /_admin/faults` body `{"api", "count", "status", "retryAfter"?}`: the next `count` calls of
///   `api` answer `status` (429 or 5xx) in that API's error shape, with `Retry-After` when given.
///   `GET /_admin/faults` lists pending faults; `DELETE /_admin/faults[?api=]` clears them.
/// - `POST /_admin/reset`: forget calls, faults and records.
/// - `GET /_admin/instantly/replies` → `{"items": [reply_received webhook bodies]}`, one per campaign
///   email sent, with deterministic reply texts; `GET /_admin/calcom/webhooks` → `{"items":
///   [BOOKING_CREATED webhook bodies]}`, one per booking. Tests and the demo post these to the
///   workflows' webhooks, as Instantly and Cal.com would.
struct AdminRoutes: Sendable {
    let state: SalesStandInState

    func add(to router: Router<BasicRequestContext>) {
        let state = self.state
        router.get("/_admin/calls") { request, _ in
            let api = request.uri.queryParameters.get("api").flatMap(SalesAPI.init(rawValue:))
            let calls = await state.recordedCalls(api: api)
            return StandInReply(200, ["count": .number(Double(calls.count)), "calls": .array(calls.map(\.jsonValue))])
                .response
        }
        router.post("/_admin/faults") { request, context in
            let body = try await StandInDispatch.read(request, api: nil, context: context).json
            guard let apiName = body?["api"]?.stringValue, let api = SalesAPI(rawValue: apiName) else {
                return Self.badRequest("\"api\" must be one of \(SalesAPI.allCases.map(\.rawValue))")
            }
            let count = Int(body?["count"]?.numberValue ?? 1)
            let status = Int(body?["status"]?.numberValue ?? 503)
            guard status == 429 || (500...599).contains(status) else {
                return Self.badRequest("\"status\" must be 429 or 5xx")
            }
            let fault = StandInFault(
                remaining: count, status: status, retryAfterSeconds: body?["retryAfter"]?.numberValue.map { Int($0) })
            await state.inject(fault, for: api)
            return StandInReply(200, Self.json(api, fault)).response
        }
        router.get("/_admin/faults") { _, _ in
            let faults = await state.pendingFaults()
            let items = faults.sorted { $0.key.rawValue < $1.key.rawValue }.map { Self.json($0.key, $0.value) }
            return StandInReply(200, ["faults": .array(items)]).response
        }
        router.delete("/_admin/faults") { request, _ in
            let only = request.uri.queryParameters.get("api").flatMap(SalesAPI.init(rawValue:))
            for api in SalesAPI.allCases where only == nil || only == api {
                await state.inject(StandInFault(remaining: 0, status: 503), for: api)
            }
            return StandInReply(200, ["cleared": true]).response
        }
        router.post("/_admin/reset") { _, _ in
            await state.reset()
            return StandInReply(200, ["reset": true]).response
        }
        router.get("/_admin/instantly/replies") { _, _ in
            let items = await state.replyWebhooks()
            return StandInReply(200, ["items": .array(items)]).response
        }
        router.get("/_admin/calcom/webhooks") { _, _ in
            let items = await state.bookingWebhooks()
            return StandInReply(200, ["items": .array(items)]).response
        }
    }

    static func badRequest(_ message: String) -> Response {
        StandInReply(400, ["error": .string(message)]).response
    }

    static func json(_ api: SalesAPI, _ fault: StandInFault) -> JSONValue {
        [
            "api": .string(api.rawValue), "remaining": .number(Double(fault.remaining)),
            "status": .number(Double(fault.status)),
            "retryAfter": fault.retryAfterSeconds.map { .number(Double($0)) } ?? .null,
        ]
    }
}
