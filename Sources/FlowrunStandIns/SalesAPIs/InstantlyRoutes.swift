import FlowrunExpressions
import Foundation
import Hummingbird

/// Instantly API v2 under `/instantly`.
///
/// Shapes from developer.instantly.ai (API V2 explorer):
/// - auth: `Authorization: Bearer <API key>`; otherwise 401.
/// - `POST /api/v2/leads` creates a lead, with `campaign` adding it to a campaign. The Sales Machine's
///   campaigns have one step whose subject and body are `{{subject}}` and `{{body}}`, so the email
///   sent is the lead's `custom_variables.subject`/`.body`; the stand-in "sends" it at once from the
///   campaign's mailbox and lists it under `GET /api/v2/emails`. A lead already in the campaign is
///   returned again without a second email (Instantly skips leads already in a campaign).
/// - `POST /api/v2/emails/reply` body `{eaccount, reply_to_uuid, subject, body: {text?, html?}}` →
///   the Email object; an unknown `reply_to_uuid` is 404.
/// - `GET /api/v2/emails?campaign_id=&lead=&eaccount=&limit=` → `{"items": [...], "next_starting_after"}`.
/// - errors (Fastify): `{"statusCode": N, "error": "<reason phrase>", "message": "..."}`; 429 carries
///   `Retry-After` when injected.
/// Reply webhooks (`reply_received`, schema from developer.instantly.ai/webhook-events) are built by
/// `GET /_admin/instantly/replies` for the tests and the demo to post.
struct InstantlyRoutes: Sendable {
    let state: SalesStandInState

    static func reason(_ status: Int) -> String {
        switch status {
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 404: "Not Found"
        case 429: "Too Many Requests"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        default: status >= 500 ? "Internal Server Error" : "Error"
        }
    }

    static func error(_ status: Int, _ message: String) -> StandInReply {
        StandInReply(
            status, ["statusCode": .number(Double(status)), "error": .string(reason(status)), "message": .string(message)])
    }

    func add(to router: Router<BasicRequestContext>) {
        let dispatch = StandInDispatch(api: .instantly, state: state) { status in
            Self.error(status, status == 429 ? "Rate limit exceeded" : "Upstream failure").body
        }
        let state = self.state
        router.post("/instantly/api/v2/leads") { request, context in
            try await dispatch.handle(request, context: context) { await Self.createLead($0, state) }
        }
        router.post("/instantly/api/v2/emails/reply") { request, context in
            try await dispatch.handle(request, context: context) { await Self.reply($0, state) }
        }
        router.get("/instantly/api/v2/emails") { request, context in
            try await dispatch.handle(request, context: context) { await Self.listEmails($0, state) }
        }
    }

    static func authorized(_ request: StandInRequest, _ state: SalesStandInState) -> Bool {
        request.bearerToken == state.configuration.instantlyKey
    }

    static func createLead(_ request: StandInRequest, _ state: SalesStandInState) async -> StandInReply {
        guard authorized(request, state) else { return error(401, "Invalid API key") }
        guard let body = request.json?.objectValue else { return error(400, "body must be object") }
        guard let email = body["email"]?.stringValue, email.contains("@") else {
            return error(400, "body must have required property 'email'")
        }
        return await state.createLead(body, email: email)
    }

    static func reply(_ request: StandInRequest, _ state: SalesStandInState) async -> StandInReply {
        guard authorized(request, state) else { return error(401, "Invalid API key") }
        guard let body = request.json?.objectValue else { return error(400, "body must be object") }
        for field in ["eaccount", "reply_to_uuid", "subject", "body"] where body[field] == nil {
            return error(400, "body must have required property '\(field)'")
        }
        guard let replyTo = body["reply_to_uuid"]?.stringValue, let eaccount = body["eaccount"]?.stringValue,
            let subject = body["subject"]?.stringValue
        else { return error(400, "body/reply_to_uuid, body/eaccount and body/subject must be string") }
        return await state.sendReply(replyTo: replyTo, eaccount: eaccount, subject: subject, body: body["body"] ?? [:])
            ?? error(404, "Email not found")
    }

    static func listEmails(_ request: StandInRequest, _ state: SalesStandInState) async -> StandInReply {
        guard authorized(request, state) else { return error(401, "Invalid API key") }
        let limit = request.query["limit"].flatMap { Int($0) } ?? 100
        return await state.listEmails(
            campaignID: request.query["campaign_id"], lead: request.query["lead"],
            eaccount: request.query["eaccount"], limit: limit)
    }
}

extension SalesStandInState {
    /// An Instantly-style id: a UUID made from a counter, so runs after a reset repeat.
    func instantlyID(_ kind: UInt8) -> String {
        let n = nextNumber()
        return String(format: "0197%04x-0000-7000-8000-%012x", Int(kind), n)
    }

    func createLead(_ body: JSONObject, email: String) -> StandInReply {
        let campaign = body["campaign"]?.stringValue
        if let existing = leads.values.first(where: {
            $0["email"]?.stringValue == email && $0["campaign"]?.stringValue == campaign
        }) {
            return StandInReply(200, existing)
        }
        let stamp = now.formatted(.iso8601)
        var lead: JSONObject = ["id": .string(instantlyID(1)), "timestamp_created": .string(stamp)]
        for (key, value) in body { lead[key] = value }
        lead["status"] = 1
        if let campaign {
            let mailbox = configuration.instantlyCampaignMailboxes[campaign] ?? configuration.instantlyDefaultMailbox
            let variables = body["custom_variables"]
            let subject = variables?["subject"]?.stringValue ?? ""
            let text = variables?["body"]?.stringValue ?? body["personalization"]?.stringValue ?? ""
            let emailID = instantlyID(2)
            let json: JSONValue = [
                "id": .string(emailID), "timestamp_created": .string(stamp), "timestamp_email": .string(stamp),
                "message_id": .string("<\(emailID)@instantly.standin>"), "subject": .string(subject),
                "from_address_email": .string(mailbox), "to_address_email_list": .string(email),
                "body": ["text": .string(text)], "eaccount": .string(mailbox), "campaign_id": .string(campaign),
                "lead": .string(email), "ue_type": 1, "step": "0_0_0", "thread_id": .string(emailID),
            ]
            emails[emailID] = InstantlyEmail(
                id: emailID, json: json, leadEmail: email, campaignID: campaign, eaccount: mailbox, subject: subject)
            emailOrder.append(emailID)
            lead["last_step_id"] = "0_0_0"
            lead["email_sent_id"] = .string(emailID)
        }
        let value = JSONValue.object(lead)
        leads[lead["id"]!.stringValue!] = value
        return StandInReply(200, value)
    }

    func sendReply(replyTo: String, eaccount: String, subject: String, body: JSONValue) -> StandInReply? {
        guard let original = emails[replyTo] ?? repliesReceived()[replyTo] else { return nil }
        let stamp = now.formatted(.iso8601)
        let id = instantlyID(3)
        let json: JSONValue = [
            "id": .string(id), "timestamp_created": .string(stamp), "timestamp_email": .string(stamp),
            "message_id": .string("<\(id)@instantly.standin>"), "subject": .string(subject),
            "from_address_email": .string(eaccount), "to_address_email_list": .string(original.leadEmail),
            "body": body, "eaccount": .string(eaccount),
            "campaign_id": original.campaignID.map { .string($0) } ?? .null,
            "lead": .string(original.leadEmail), "ue_type": 3, "thread_id": .string(original.id),
            "reply_to_uuid": .string(replyTo),
        ]
        emails[id] = InstantlyEmail(
            id: id, json: json, leadEmail: original.leadEmail, campaignID: original.campaignID, eaccount: eaccount,
            subject: subject)
        emailOrder.append(id)
        return StandInReply(200, json)
    }

    func listEmails(campaignID: String?, lead: String?, eaccount: String?, limit: Int) -> StandInReply {
        let items = emailOrder.compactMap { emails[$0] }.filter {
            (campaignID == nil || $0.campaignID == campaignID) && (lead == nil || $0.leadEmail == lead)
                && (eaccount == nil || $0.eaccount == eaccount)
        }.prefix(max(0, limit)).map(\.json)
        return StandInReply(200, ["items": .array(Array(items)), "next_starting_after": .null])
    }
}
