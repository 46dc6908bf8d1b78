import FlowrunExpressions
import Foundation
import Hummingbird

/// Cal.com API v2 under `/calcom`.
///
/// Shapes from cal.com/docs/api-reference/v2 (bookings, "Create a booking", and the v1→v2 guide):
/// - auth: `Authorization: Bearer cal_...`; otherwise 401. Bookings need `cal-api-version: 2024-08-13`
///   (the stand-in rejects a missing or other version with 400 instead of falling back to an older
///   controller, so a workflow that forgets the header fails locally too).
/// - `POST /v2/bookings` body `{start, eventTypeId, attendee: {name, email, timeZone, language?},
///   guests?, metadata?, bookingFieldsResponses?, lengthInMinutes?}` → 201
///   `{"status": "success", "data": {id, uid, title, status: "accepted", start, end, duration,
///   eventTypeId, attendees, hosts, meetingUrl, location, metadata, createdAt}}`. A second booking of
///   the same event type and start is 400 as on Cal.com ("already has booking at this time").
/// - `GET /v2/bookings/{uid}` → `{"status": "success", "data": {...}}`; unknown uid 404.
/// - errors: `{"status": "error", "timestamp", "path", "error": {"code": "<Nest exception>", "message"}}`.
/// The BOOKING_CREATED webhook Cal.com would push (`{triggerEvent, createdAt, payload}`) is built by
/// `GET /_admin/calcom/webhooks`.
struct CalcomRoutes: Sendable {
    let state: SalesStandInState
    static let apiVersion = "2024-08-13"

    static func error(_ status: Int, _ message: String, path: String, at date: Date) -> StandInReply {
        let code =
            switch status {
            case 400: "BadRequestException"
            case 401: "UnauthorizedException"
            case 404: "NotFoundException"
            case 429: "ThrottlerException"
            default: "InternalServerErrorException"
            }
        return StandInReply(
            status,
            [
                "status": "error", "timestamp": .string(date.formatted(.iso8601)), "path": .string(path),
                "error": ["code": .string(code), "message": .string(message)],
            ])
    }

    func add(to router: Router<BasicRequestContext>) {
        let dispatch = StandInDispatch(api: .calcom, state: state) { status in
            Self.error(status, status == 429 ? "Too Many Requests" : "Internal server error", path: "/v2", at: Date()).body
        }
        let state = self.state
        router.post("/calcom/v2/bookings") { request, context in
            try await dispatch.handle(request, context: context) { await Self.create($0, state) }
        }
        router.get("/calcom/v2/bookings/:uid") { request, context in
            let uid = context.parameters.get("uid") ?? ""
            return try await dispatch.handle(request, context: context) { await Self.get($0, uid: uid, state) }
        }
    }

    static func check(_ request: StandInRequest, _ state: SalesStandInState) async -> StandInReply? {
        let now = await state.now
        guard request.bearerToken == state.configuration.calcomKey else {
            return error(401, "Invalid Access Token.", path: "/v2" + request.path, at: now)
        }
        guard request.header("cal-api-version") == apiVersion else {
            return error(400, "cal-api-version header must be \(apiVersion)", path: "/v2" + request.path, at: now)
        }
        return nil
    }

    static func create(_ request: StandInRequest, _ state: SalesStandInState) async -> StandInReply {
        if let failure = await check(request, state) { return failure }
        let now = await state.now
        let path = "/v2/bookings"
        guard let body = request.json?.objectValue else { return error(400, "Invalid request body", path: path, at: now) }
        guard let start = body["start"]?.stringValue, let startDate = try? Date(start, strategy: .iso8601) else {
            return error(400, "start must be a valid ISO 8601 date string", path: path, at: now)
        }
        guard let eventTypeID = body["eventTypeId"]?.numberValue else {
            return error(400, "eventTypeId must be an integer number", path: path, at: now)
        }
        guard let attendee = body["attendee"]?.objectValue, attendee["email"]?.stringValue != nil,
            attendee["name"]?.stringValue != nil
        else { return error(400, "attendee.name and attendee.email are required", path: path, at: now) }
        return await state.createBooking(
            body, start: startDate, eventTypeID: Int(eventTypeID), attendee: attendee, path: path)
    }

    static func get(_ request: StandInRequest, uid: String, _ state: SalesStandInState) async -> StandInReply {
        if let failure = await check(request, state) { return failure }
        guard let booking = await state.bookings[uid] else {
            return error(404, "Booking with uid=\(uid) was not found", path: "/v2/bookings/\(uid)", at: await state.now)
        }
        return StandInReply(200, ["status": "success", "data": booking])
    }
}

extension SalesStandInState {
    func createBooking(
        _ body: JSONObject, start: Date, eventTypeID: Int, attendee: JSONObject, path: String
    ) -> StandInReply {
        let startText = start.formatted(.iso8601)
        if bookings.values.contains(where: {
            $0["eventTypeId"]?.numberValue == Double(eventTypeID) && $0["start"]?.stringValue == startText
        }) {
            return CalcomRoutes.error(
                400, "User either already has booking at this time or is not available", path: path, at: now)
        }
        let number = nextNumber()
        let minutes = body["lengthInMinutes"]?.numberValue.map { Int($0) } ?? 30
        let end = start.addingTimeInterval(Double(minutes) * 60)
        let uid = String(format: "standin%017d", number)
        let attendeeJSON: JSONValue = [
            "name": attendee["name"] ?? "", "email": attendee["email"] ?? "",
            "timeZone": attendee["timeZone"] ?? "UTC", "language": attendee["language"] ?? "en", "absent": false,
        ]
        let booking: JSONValue = [
            "id": .number(Double(1000 + number)), "uid": .string(uid),
            "title": .string("Intro call between Demo Founder and \(attendee["name"]?.stringValue ?? "")"),
            "description": "", "status": "accepted", "start": .string(startText),
            "end": .string(end.formatted(.iso8601)), "duration": .number(Double(minutes)),
            "eventTypeId": .number(Double(eventTypeID)),
            "eventType": ["id": .number(Double(eventTypeID)), "slug": "intro-call"],
            "meetingUrl": .string("https://app.cal.com/video/\(uid)"), "location": "integrations:daily",
            "absentHost": false,
            "hosts": [
                [
                    "id": 1, "name": "Demo Founder", "email": "founder@demo-founder.example",
                    "username": "demo-founder", "timeZone": "Europe/Berlin",
                ]
            ],
            "attendees": [attendeeJSON], "guests": body["guests"] ?? [],
            "metadata": body["metadata"] ?? [:], "bookingFieldsResponses": body["bookingFieldsResponses"] ?? [:],
            "createdAt": .string(now.formatted(.iso8601)),
        ]
        bookings[uid] = booking
        bookingOrder.append(uid)
        return StandInReply(201, ["status": "success", "data": booking])
    }
}
