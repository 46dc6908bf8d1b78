import FlowrunExpressions
import FlowrunStandIns
import Foundation
import NIOHTTP1
import Testing

@Suite("Sales Machine stand-ins over HTTP")
struct StandInTests {
    static let pb = [("X-Phantombuster-Key-1", "pb-standin-key")]
    static let instantly = [("Authorization", "Bearer instantly-standin-key")]
    static let cal = [("Authorization", "Bearer cal_test_standin"), ("cal-api-version", "2024-08-13")]

    @Test("PhantomBuster: launch, poll until finished, 35 distinct profiles, same search gives the same people")
    func phantomBusterSearch() async throws {
        try await StandInClient.withStandIns { client, _ in
            let launch = try await client.send(
                .POST, "/phantombuster/api/v2/agents/launch", headers: Self.pb,
                json: ["id": "7301937492834701", "argument": ["search": "founders saas berlin"]])
            #expect(launch.status == 200)
            let container = try #require(launch.json["containerId"]?.stringValue)

            var statuses: [String] = []
            for _ in 0..<3 {
                let output = try await client.send(
                    .GET, "/phantombuster/api/v2/agents/fetch-output?id=7301937492834701", headers: Self.pb)
                #expect(output.json["containerId"]?.stringValue == container)
                statuses.append(output.json["status"]?.stringValue ?? "?")
            }
            #expect(statuses == ["running", "finished", "finished"])

            let result = try await client.send(
                .GET, "/phantombuster/api/v2/containers/fetch-result-object?id=\(container)", headers: Self.pb)
            let text = try #require(result.json["resultObject"]?.stringValue)
            let profiles = try #require(try JSONValue(parsing: text).arrayValue)
            #expect(profiles.count == 35)
            let urls = Set(profiles.compactMap { $0["profileUrl"]?.stringValue })
            #expect(urls.count == 35)

            let again = try await client.send(
                .POST, "/phantombuster/api/v2/agents/launch", headers: Self.pb,
                json: ["id": "7301937492834701", "argument": #"{"search": "founders saas berlin", "numberOfProfiles": 5}"#])
            let second = try #require(again.json["containerId"]?.stringValue)
            for _ in 0..<2 {
                _ = try await client.send(.GET, "/phantombuster/api/v2/containers/fetch?id=\(second)", headers: Self.pb)
            }
            let status = try await client.send(
                .GET, "/phantombuster/api/v2/containers/fetch?id=\(second)", headers: Self.pb)
            #expect(status.json["status"]?.stringValue == "finished")
            #expect(status.json["exitCode"]?.numberValue == 0)
            let fewer = try await client.send(
                .GET, "/phantombuster/api/v2/containers/fetch-result-object?id=\(second)", headers: Self.pb)
            let five = try JSONValue(parsing: fewer.json["resultObject"]?.stringValue ?? "").arrayValue ?? []
            #expect(five.count == 5)
            #expect(five.compactMap { $0["profileUrl"]?.stringValue } == profiles.prefix(5).compactMap { $0["profileUrl"]?.stringValue })
        }
    }

    @Test("PhantomBuster: a wrong key is 401 and an unknown agent 404, with the error body")
    func phantomBusterErrors() async throws {
        try await StandInClient.withStandIns { client, _ in
            let unauthorized = try await client.send(
                .POST, "/phantombuster/api/v2/agents/launch", headers: [("X-Phantombuster-Key-1", "nope")],
                json: ["id": "7301937492834701"])
            #expect(unauthorized.status == 401)
            #expect(unauthorized.json["status"] == "error")
            let unknown = try await client.send(
                .POST, "/phantombuster/api/v2/agents/launch", headers: Self.pb, json: ["id": "1"])
            #expect(unknown.status == 404)
            #expect(unknown.json["error"] == "Agent not found")
        }
    }

    @Test("Instantly: a lead added to a campaign sends one email from the campaign's mailbox, once")
    func instantlyLeads() async throws {
        try await StandInClient.withStandIns { client, _ in
            let lead: JSONValue = [
                "campaign": "c-1", "email": "ana@acme.example", "first_name": "Ana",
                "custom_variables": ["subject": "Quick idea for Acme", "body": "Hi Ana, ..."],
            ]
            let created = try await client.send(.POST, "/instantly/api/v2/leads", headers: Self.instantly, json: lead)
            #expect(created.status == 200)
            #expect(created.json["email"] == "ana@acme.example")
            let again = try await client.send(.POST, "/instantly/api/v2/leads", headers: Self.instantly, json: lead)
            #expect(again.json["id"] == created.json["id"])

            let emails = try await client.send(.GET, "/instantly/api/v2/emails?campaign_id=c-1", headers: Self.instantly)
            let items = try #require(emails.json["items"]?.arrayValue)
            #expect(items.count == 1)
            #expect(items.first?["subject"] == "Quick idea for Acme")
            #expect(items.first?["eaccount"] == "founder@demo-founder.example")

            let missing = try await client.send(.POST, "/instantly/api/v2/leads", headers: Self.instantly, json: ["campaign": "c-1"])
            #expect(missing.status == 400)
            #expect(missing.json["error"] == "Bad Request")
            let unauthorized = try await client.send(.GET, "/instantly/api/v2/emails", headers: [("Authorization", "Bearer x")])
            #expect(unauthorized.status == 401)
            #expect(unauthorized.json["statusCode"] == 401)
        }
    }

    @Test("Instantly: reply webhooks are deterministic and a reply to one is sent in its thread")
    func instantlyReplies() async throws {
        try await StandInClient.withStandIns { client, _ in
            for n in 0..<3 {
                _ = try await client.send(
                    .POST, "/instantly/api/v2/leads", headers: Self.instantly,
                    json: ["campaign": "c-1", "email": .string("lead\(n)@acme.example"), "custom_variables": ["subject": "Hi"]])
            }
            let replies = try await client.send(.GET, "/_admin/instantly/replies")
            let items = try #require(replies.json["items"]?.arrayValue)
            #expect(items.count == 3)
            let first = try #require(items.first)
            #expect(first["event_type"] == "reply_received")
            #expect(first["lead_email"] == "lead0@acme.example")
            let replyID = try #require(first["email_id"]?.stringValue)
            #expect(try await client.send(.GET, "/_admin/instantly/replies").json["items"] == replies.json["items"])

            let answer = try await client.send(
                .POST, "/instantly/api/v2/emails/reply", headers: Self.instantly,
                json: [
                    "eaccount": "founder@demo-founder.example", "reply_to_uuid": .string(replyID),
                    "subject": "Re: Hi", "body": ["text": "Happy to explain."],
                ])
            #expect(answer.status == 200)
            #expect(answer.json["to_address_email_list"] == "lead0@acme.example")
            let unknown = try await client.send(
                .POST, "/instantly/api/v2/emails/reply", headers: Self.instantly,
                json: ["eaccount": "a@b.example", "reply_to_uuid": "nope", "subject": "x", "body": ["text": "y"]])
            #expect(unknown.status == 404)
        }
    }

    @Test("Cal.com: booking needs the version header, answers 201 with the booking, refuses a taken slot")
    func calcomBookings() async throws {
        try await StandInClient.withStandIns { client, _ in
            let booking: JSONValue = [
                "start": "2026-12-01T10:00:00Z", "eventTypeId": 42,
                "attendee": ["name": "Ana Lima", "email": "ana@acme.example", "timeZone": "Europe/Lisbon"],
                "metadata": ["prospectId": "p-1"],
            ]
            let noVersion = try await client.send(
                .POST, "/calcom/v2/bookings", headers: [("Authorization", "Bearer cal_test_standin")], json: booking)
            #expect(noVersion.status == 400)
            #expect(noVersion.json["status"] == "error")
            #expect(noVersion.json["error"]?["code"] == "BadRequestException")
            let unauthorized = try await client.send(
                .POST, "/calcom/v2/bookings", headers: [("cal-api-version", "2024-08-13")], json: booking)
            #expect(unauthorized.status == 401)

            let created = try await client.send(.POST, "/calcom/v2/bookings", headers: Self.cal, json: booking)
            #expect(created.status == 201)
            #expect(created.json["status"] == "success")
            let data = try #require(created.json["data"])
            #expect(data["status"] == "accepted")
            #expect(data["end"] == "2026-12-01T10:30:00Z")
            #expect(data["attendees"]?.arrayValue?.first?["email"] == "ana@acme.example")
            let uid = try #require(data["uid"]?.stringValue)

            let taken = try await client.send(.POST, "/calcom/v2/bookings", headers: Self.cal, json: booking)
            #expect(taken.status == 400)
            let fetched = try await client.send(.GET, "/calcom/v2/bookings/\(uid)", headers: Self.cal)
            #expect(fetched.json["data"] == data)
            let hooks = try await client.send(.GET, "/_admin/calcom/webhooks")
            let hook = try #require(hooks.json["items"]?.arrayValue?.first)
            #expect(hook["triggerEvent"] == "BOOKING_CREATED")
            #expect(hook["payload"]?["uid"]?.stringValue == uid)
            #expect(hook["payload"]?["metadata"]?["prospectId"] == "p-1")
        }
    }

    @Test("BuiltWith: a lookup gives the same technologies every time; a bad key is reported in Errors")
    func builtWith() async throws {
        try await StandInClient.withStandIns { client, _ in
            let path = "/builtwith/v21/api.json?KEY=builtwith-standin-key&LOOKUP=northwind-labs.example"
            let first = try await client.send(.GET, path)
            #expect(first.status == 200)
            let technologies = first.json["Results"]?.arrayValue?.first?["Result"]?["Paths"]?.arrayValue?.first?["Technologies"]?.arrayValue
            #expect((4...7).contains(technologies?.count ?? 0))
            #expect(try await client.send(.GET, path).json == first.json)
            let bad = try await client.send(.GET, "/builtwith/v21/api.json?KEY=wrong&LOOKUP=x.example")
            #expect(bad.json["Errors"]?.arrayValue?.first?["Message"] == "Invalid API key")
            #expect(bad.json["Results"] == [])
        }
    }

    @Test("Faults: the next N calls of one API fail with its error shape and Retry-After; the log says so")
    func faultInjection() async throws {
        try await StandInClient.withStandIns { client, _ in
            let set = try await client.send(
                .POST, "/_admin/faults", json: ["api": "instantly", "count": 2, "status": 429, "retryAfter": 7])
            #expect(set.status == 200)
            let bad = try await client.send(.POST, "/_admin/faults", json: ["api": "instantly", "status": 404])
            #expect(bad.status == 400)

            var statuses: [Int] = []
            for _ in 0..<3 {
                let answer = try await client.send(.GET, "/instantly/api/v2/emails", headers: Self.instantly)
                statuses.append(answer.status)
                if answer.status == 429 {
                    #expect(answer.headers.first(name: "Retry-After") == "7")
                    #expect(answer.json["statusCode"] == 429)
                }
            }
            #expect(statuses == [429, 429, 200])
            let other = try await client.send(.GET, "/builtwith/v21/api.json?KEY=builtwith-standin-key&LOOKUP=a.example")
            #expect(other.status == 200)

            _ = try await client.send(.POST, "/_admin/faults", json: ["api": "calcom", "count": 1, "status": 503])
            let down = try await client.send(.GET, "/calcom/v2/bookings/x", headers: Self.cal)
            #expect(down.status == 503)
            #expect(down.json["status"] == "error")

            let calls = try await client.send(.GET, "/_admin/calls?api=instantly")
            let entries = try #require(calls.json["calls"]?.arrayValue)
            #expect(entries.map { $0["injectedFault"] } == [true, true, false])
            #expect(entries.map { $0["path"] } == ["/api/v2/emails", "/api/v2/emails", "/api/v2/emails"])
            let all = try await client.send(.GET, "/_admin/calls")
            #expect(all.json["count"] == 5)
            #expect(all.json["calls"]?.arrayValue?.map { $0["api"] } == ["instantly", "instantly", "instantly", "builtwith", "calcom"])
        }
    }
}
