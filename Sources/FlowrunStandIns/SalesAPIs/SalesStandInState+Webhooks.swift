import FlowrunExpressions
import Foundation

extension SalesStandInState {
    /// The reply texts leads answer with, chosen by a stable hash of the lead's address.
    static let replyTexts: [(kind: String, text: String)] = [
        ("interested", "Thanks for reaching out, this looks relevant for us. Could we talk next Tuesday or Wednesday afternoon?"),
        ("interested", "Interesting timing, we are evaluating this right now. Happy to book a call this week."),
        ("interested", "Yes, let's set up a 30 minute call. Send me a link."),
        ("interested", "Sounds good. I'm available Thursday morning for a demo."),
        ("question", "What does it cost, and does it integrate with HubSpot?"),
        ("question", "How is this different from what we already use? Do you have a case study?"),
        ("not_interested", "Not interested, please remove me from your list."),
        ("not_interested", "We just signed with a competitor, no thanks."),
        ("unclear", "Maybe later."),
        ("out_of_office", "I am out of the office until Monday with limited access to email."),
    ]

    /// The id of the reply a lead sends to campaign email `emailID`: the same UUID with a 0198 prefix.
    static func replyID(for emailID: String) -> String { "0198" + emailID.dropFirst(4) }

    /// The replies received for each campaign email sent so far, by reply id.
    func repliesReceived() -> [String: InstantlyEmail] {
        var replies: [String: InstantlyEmail] = [:]
        for id in emailOrder {
            guard let sent = emails[id], sent.json["ue_type"]?.numberValue == 1 else { continue }
            let reply = Self.replyTexts[Int(DemoData.stableHash(sent.leadEmail) % UInt64(Self.replyTexts.count))]
            let replyID = Self.replyID(for: id)
            let json: JSONValue = [
                "id": .string(replyID), "subject": .string("Re: \(sent.subject)"),
                "from_address_email": .string(sent.leadEmail), "to_address_email_list": .string(sent.eaccount),
                "body": ["text": .string(reply.text)], "eaccount": .string(sent.eaccount),
                "campaign_id": sent.campaignID.map { .string($0) } ?? .null, "lead": .string(sent.leadEmail),
                "ue_type": 2, "thread_id": .string(id), "reply_kind": .string(reply.kind),
            ]
            replies[replyID] = InstantlyEmail(
                id: replyID, json: json, leadEmail: sent.leadEmail, campaignID: sent.campaignID,
                eaccount: sent.eaccount, subject: "Re: \(sent.subject)")
        }
        return replies
    }

    /// `reply_received` webhook bodies (developer.instantly.ai/webhook-events), one per campaign email.
    func replyWebhooks() -> [JSONValue] {
        let replies = repliesReceived()
        return emailOrder.compactMap { id -> JSONValue? in
            guard let reply = replies[Self.replyID(for: id)], let sent = emails[id] else { return nil }
            let text = reply.json["body"]?["text"]?.stringValue ?? ""
            // The lead answers the moment the email is sent, so the same sends give the same bodies.
            let stamp = sent.json["timestamp_email"] ?? .string(now.formatted(.iso8601))
            return [
                "timestamp": stamp, "event_type": "reply_received",
                "workspace": "00000000-0000-4000-8000-000000000001",
                "campaign_id": sent.campaignID.map { .string($0) } ?? .null,
                "campaign_name": "Sales Machine", "lead_email": .string(sent.leadEmail),
                "email_account": .string(sent.eaccount),
                "unibox_url": .string("https://app.instantly.ai/app/unibox?thread_search=\(sent.leadEmail)"),
                "step": 1, "variant": 1, "is_first": true, "email_id": .string(reply.id),
                "reply_text_snippet": .string(String(text.prefix(60))), "reply_subject": .string(reply.subject),
                "reply_text": .string(text), "reply_html": .string("<p>\(text)</p>"),
            ]
        }
    }

    /// `BOOKING_CREATED` webhook bodies (cal.com/docs/developing/guides/automation/webhooks), one per
    /// booking.
    func bookingWebhooks() -> [JSONValue] {
        bookingOrder.compactMap { uid -> JSONValue? in
            guard let booking = bookings[uid] else { return nil }
            return [
                "triggerEvent": "BOOKING_CREATED", "createdAt": booking["createdAt"] ?? .null,
                "payload": [
                    "type": "intro-call", "title": booking["title"] ?? "", "startTime": booking["start"] ?? .null,
                    "endTime": booking["end"] ?? .null, "uid": .string(uid), "bookingId": booking["id"] ?? .null,
                    "eventTypeId": booking["eventTypeId"] ?? .null, "status": "ACCEPTED",
                    "organizer": [
                        "name": "Demo Founder", "email": "founder@demo-founder.example", "timeZone": "Europe/Berlin",
                    ],
                    "attendees": booking["attendees"] ?? [], "metadata": booking["metadata"] ?? [:],
                    "responses": booking["bookingFieldsResponses"] ?? [:],
                    "videoCallData": ["type": "daily_video", "url": booking["meetingUrl"] ?? .null],
                ],
            ]
        }
    }
}
