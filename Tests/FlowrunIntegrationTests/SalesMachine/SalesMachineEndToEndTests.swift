import FlowrunCore
import FlowrunExpressions
import FlowrunStandIns
import Foundation
import Testing

/// Issue 9's "Done when": the Sales Machine end to end on real Postgres and Redis, the stand-ins,
/// and workflows/ served by an in-process `WorkflowServer` whose wall time is the test clock.
@Suite("Sales Machine end to end", .serialized)
struct SalesMachineEndToEndTests {
    /// Monday 2026-11-30 08:00 UTC = 09:00 in Berlin, the opening hour of the customers' business day.
    static let mondayMorning = Date(timeIntervalSince1970: 1_796_025_600)
    static let customerA = "00000000-0000-4000-8000-0000000000e1"
    static let customerB = "00000000-0000-4000-8000-0000000000e2"
    static let tuesday = "2026-12-01 00:00:00+00"

    @Test("35 prospects scraped and enriched once, 20 + 15 emails over two days, replies qualified, review approved, meetings booked, audited, isolated")
    func happyPath() async throws {
        try await SalesMachine.with(database: "sales_e2e_happy", start: Self.mondayMorning) { machine in
            try await Self.run(machine, faults: false)
        }
    }

    @Test("The same run with PhantomBuster and Instantly failing for a while: retries, breakers open and close, error workflow told, nothing lost, 20 a day exact")
    func withFailures() async throws {
        try await SalesMachine.with(database: "sales_e2e_faults", start: Self.mondayMorning) { machine in
            try await Self.run(machine, faults: true)
        }
    }

    // MARK: The run

    static func run(_ machine: SalesMachine, faults: Bool) async throws {
        let tokenA = try machine.jwt(sub: customerA, email: "founder@demo-founder.example")
        let tokenB = try machine.jwt(sub: customerB, email: "owner@other-founder.example")

        // Onboarding through the gateway, with Supabase's JWT; B has a campaign but no search agent.
        if faults { try await inject(machine, api: "phantombuster", count: 3) }
        let onboardA = try await machine.gateway("sales/onboarding", [
            "company": "Demo Founder GmbH", "senderMailbox": "founder@demo-founder.example", "senderName": "Dana",
            "timezone": "Europe/Berlin",
            "campaign": ["name": "Q1 founders", "searchQuery": "founders saas berlin", "phantombusterAgentId": "7301937492834701",
                         "instantlyCampaignId": "ic-demo", "calcomEventTypeId": 42],
        ], token: tokenA)
        #expect(onboardA.status == 200, "onboarding A: \(onboardA.json.jsonString())")
        let campaignA = try #require(onboardA.json["campaignId"]?.stringValue)
        let onboardB = try await machine.gateway("sales/onboarding", [
            "company": "Other Founder Ltd", "senderMailbox": "owner@other-founder.example", "timezone": "Europe/London",
            "campaign": ["name": "Later", "searchQuery": "cto fintech london"],
        ], token: tokenB)
        #expect(onboardB.status == 200, "onboarding B: \(onboardB.json.jsonString())")
        #expect(try await machine.gateway("sales/onboarding", ["company": "x"], token: tokenA).status == 400)  // JSON Schema
        let anonymous = try await machine.post("sales/prospects", [:]).status
        #expect(anonymous == 401 || anonymous == 403)
        try await machine.settle()

        if faults {
            // PhantomBuster answered 503 three times: the launch was retried, its breaker opened, the
            // error workflow was told, and the campaign stays unscraped for the next schedule.
            #expect(try machine.count("select count(*) from sales.prospects") == 0)
            #expect(try await injectedFaults(machine, api: "phantombuster") == 3)
            // 12:05 UTC: the 6-hourly scraper schedule fires; the breaker's cool-down has passed.
            try await machine.advance(by: 4 * 3600 + 300, firing: "sales-linkedin-scraper")
        }

        // 35 prospects, each enriched once: Claude called once per prospect.
        let prospects = try machine.database.owner("select id from sales.prospects where campaign_id = '\(campaignA)' order by id")
        try #require(prospects.count == 35, "failed executions:\n\(machine.executions.failures)")
        #expect(try machine.count("select count(*) from sales.enrichments where not from_cache") == 35)
        #expect(talkingPointCalls(machine) == 35)
        #expect(try machine.count("select count(*) from sales.email_queue where kind = 'outreach' and status = 'queued'") == 35)
        #expect(try machine.count("select count(*) from sales.enrichments where talking_points ->> 0 like 'Your team is growing%'") == 35)

        // A second enrichment is answered from the Redis cache: no new Claude call, no second email.
        let again = try await machine.enrichAgain(prospects)
        #expect(again.allSatisfy { $0.status == .success }, "\(again.compactMap { $0.error?.message })")
        #expect(talkingPointCalls(machine) == 35)
        #expect(try machine.count("select count(*) from sales.enrichments where from_cache") == 35)
        #expect(try machine.count("select count(*) from sales.email_queue where kind = 'outreach'") == 35)

        // Day one: the scheduler sends 20 (the mailbox's daily limit) and defers 15 to tomorrow.
        if faults {
            try await inject(machine, api: "instantly", count: 3)
            try await machine.advance(by: 20 * 60, firing: "sales-email-scheduler")
            #expect(try await injectedFaults(machine, api: "instantly") == 3)
            #expect(try machine.count("select count(*) from sales.email_queue where status = 'sent'") == 0)
            #expect(try machine.count("select count(*) from sales.email_queue where status = 'sending'") == 35)
            try await machine.advance(by: 35 * 60, firing: "sales-email-scheduler")
        } else {
            try await machine.advance(by: 20 * 60, firing: "sales-email-scheduler")
        }
        #expect(try machine.count("select count(*) from sales.email_queue where status = 'sent' and kind = 'outreach'") == 20,
                "failed executions:\n\(machine.executions.failures)")
        #expect(try machine.count("select count(*) from sales.email_queue where status = 'queued' and kind = 'outreach' and not_before >= '\(tuesday)'") == 15)
        #expect(try await machine.standIns.send(.GET, "/_admin/calls?api=instantly").json["calls"]?.arrayValue?
            .filter { $0["path"]?.stringValue == "/api/v2/leads" && $0["status"]?.numberValue == 200 }.count == 20)

        // Replies, as Instantly would post them: qualified by Claude, low confidence to review.
        let replies = try #require(try await machine.standIns.send(.GET, "/_admin/instantly/replies").json["items"]?.arrayValue)
        try #require(replies.count == 20, "failed executions:\n\(machine.executions.failures)")
        // What the "Decide" node must make of Claude's answers: under 0.7 to review, else by intent.
        let decisions = replies.map { reply -> String in
            let q = SalesClaudeReplies.qualification(forReply: reply["reply_text"]?.stringValue ?? "") ?? .null
            let confidence = q["confidence"]?.numberValue ?? 0
            switch (confidence < 0.7, q["intent"]?.stringValue ?? "") {
            case (true, _): return "review"
            case (false, "interested"): return "book_meeting"
            case (false, "question"): return "answer"
            default: return "close"
            }
        }
        let unauthorised = try await machine.post("sales/instantly/replies", replies[0])
        #expect(unauthorised.status == 403 || unauthorised.status == 401)
        for reply in replies {
            let answer = try await machine.post("sales/instantly/replies", reply, headers: [("X-Webhook-Secret", SalesMachine.webhookSecret)])
            #expect(answer.status == 200)
        }
        try await machine.settle()
        let lowConfidence = decisions.filter { $0 == "review" }.count
        let interested = decisions.filter { $0 == "book_meeting" }.count
        let questions = decisions.filter { $0 == "answer" }.count
        try #require(lowConfidence > 0 && interested > 0 && questions > 0, "\(decisions)")
        #expect(try machine.count("select count(*) from sales.replies where decision is not null") == 20)
        #expect(try machine.count("select count(*) from sales.ai_review_queue where reason = 'low_confidence'") == lowConfidence)
        #expect(try machine.count("select count(*) from sales.email_queue where kind = 'answer'") == questions)
        #expect(try machine.count("select count(*) from sales.prospects where status = 'closed'") == decisions.filter { $0 == "close" }.count)

        // Meetings booked through Cal.com and stored; Cal.com's webhooks upsert the same meetings.
        #expect(try machine.count("select count(*) from sales.meetings") == interested, "failed executions:\n\(machine.executions.failures)")
        #expect(try machine.count("select count(*) from sales.activity_events where kind = 'meeting.booked'") == interested)
        #expect(try machine.count("select count(distinct start_at) from sales.meetings") == interested)
        let bookings = try #require(try await machine.standIns.send(.GET, "/_admin/calcom/webhooks").json["items"]?.arrayValue)
        #expect(bookings.count == interested)
        for booking in bookings {
            _ = try await machine.post("sales/calcom/bookings", booking, headers: [("X-Webhook-Secret", SalesMachine.webhookSecret)])
        }
        try await machine.settle()
        #expect(try machine.count("select count(*) from sales.meetings") == interested)
        #expect(try machine.count("select count(*) from sales.prospects where status = 'meeting_booked'") == interested)

        // A reviewed decision approved through the gateway queues its answer.
        let queue = try await machine.gateway("sales/review", ["action": "list"], token: tokenA)
        let items = try #require(queue.json["items"]?.arrayValue)
        #expect(items.count == lowConfidence)
        #expect(try await machine.gateway("sales/review", ["action": "list"], token: tokenB).json["items"]?.arrayValue?.count == 0)
        if let first = items.first, let id = first["id"]?.stringValue {
            let approved = try await machine.gateway("sales/review", ["action": "approve", "id": .string(id)], token: tokenA)
            #expect(approved.json["status"]?.stringValue == "approved", "\(approved.json.jsonString())")
            #expect(try machine.count("select count(*) from sales.ai_review_queue where status = 'approved'") == 1)
        }
        let answers = try machine.count("select count(*) from sales.email_queue where kind = 'answer'")
        #expect(answers == questions + (items.isEmpty ? 0 : 1))

        // Day two: the other 15 first-touch emails go out, and answers fill what the limit leaves.
        try await machine.advance(by: 24 * 3600, firing: "sales-email-scheduler")
        #expect(try machine.count("select count(*) from sales.email_queue where status = 'sent' and kind = 'outreach'") == 35)
        #expect(try machine.count("select count(*) from sales.email_queue where status = 'sent' and kind = 'outreach' and sent_at >= '\(tuesday)'") == 15)
        #expect(try machine.count("select count(*) from sales.email_queue where status = 'sent' and sent_at >= '\(tuesday)'") == min(20, 15 + answers))
        #expect(try machine.count("select count(*) from sales.email_queue where status = 'sent' and sent_at < '\(tuesday)'") == 20)
        #expect(try machine.count("select count(*) from sales.email_queue where status in ('failed', 'discarded')") == 0)
        let leads = try await machine.standIns.send(.GET, "/_admin/calls?api=instantly").json["calls"]?.arrayValue ?? []
        #expect(Set(leads.filter { $0["path"]?.stringValue == "/api/v2/leads" && $0["status"]?.numberValue == 200 }
            .compactMap { $0["body"]?["email"]?.stringValue }).count == 35)
        let refused = leads.filter { $0["status"]?.numberValue != 200 && $0["injectedFault"]?.boolValue != true }
        #expect(refused.isEmpty, "Instantly refused: \(refused.map { $0.jsonString() })")

        // An audit row for each step of personal-data processing.
        let actions = Set(try machine.database.owner("select distinct action from sales.audit_log"))
        for action in ["prospects.insert", "enrichments.insert", "email_queue.insert", "email_queue.update", "email.sent",
                       "replies.insert", "ai_review_queue.insert", "ai_review_queue.update", "meetings.insert"] {
            #expect(actions.contains(action), "no audit row for \(action): \(actions.sorted())")
        }
        #expect(try machine.count("select count(*) from sales.audit_log where action = 'email.sent'") == 35 + min(5, answers))

        // Row-level security through the gateway: B sees none of A's prospects, A sees its 35.
        let seenByB = try await machine.gateway("sales/prospects", ["campaignId": .string(campaignA)], token: tokenB)
        #expect(seenByB.status == 200)
        #expect(seenByB.json["prospects"]?.arrayValue?.count == 0)
        let seenByA = try await machine.gateway("sales/prospects", ["campaignId": .string(campaignA)], token: tokenA)
        #expect(seenByA.json["prospects"]?.arrayValue?.count == 35)
        #expect(try machine.count("select count(*) from sales.audit_log where action = 'prospects.listed'") == 2)

        if faults {
            // Retries: the stand-ins saw each failing call repeated until the API answered again.
            let launches = try await machine.standIns.send(.GET, "/_admin/calls?api=phantombuster").json["calls"]?.arrayValue?
                .filter { $0["path"]?.stringValue == "/api/v2/agents/launch" }.map { Int($0["status"]?.numberValue ?? 0) } ?? []
            #expect(launches.prefix(3) == [503, 503, 503] && launches.dropFirst(3).allSatisfy { $0 == 200 } && launches.count > 3, "\(launches)")
            let probes = try await machine.standIns.send(.GET, "/_admin/calls?api=instantly").json["calls"]?.arrayValue?
                .filter { $0["path"]?.stringValue == "/api/v2/emails" }.map { Int($0["status"]?.numberValue ?? 0) } ?? []
            #expect(probes.prefix(3) == [503, 503, 503] && probes.dropFirst(3).allSatisfy { $0 == 200 } && probes.count > 3, "\(probes)")
            // Both breakers opened, let a probe through after their cool-down, and closed again;
            // each opening started the error workflow, which recorded it.
            let transitions = machine.breakers.transitions
            let targets = Set(transitions.map(\.target))
            #expect(targets.count == 2, "\(transitions)")
            for target in targets {
                let path = transitions.filter { $0.target == target }.map(\.to)
                #expect(path == ["open", "half-open", "closed"], "\(target): \(path)")
            }
            let failures = try machine.database.owner(
                "select details ->> 'workflow' from sales.audit_log where action = 'workflow.failed' order by id")
            // (Two breaker openings; serve also starts it after each failed execution.)
            #expect(failures.count >= 2, "\(failures)")
            #expect(failures.contains { $0.contains("LinkedIn scraper") } && failures.contains { $0.contains("email scheduler") })
        } else {
            #expect(machine.breakers.transitions.isEmpty)
            #expect(try machine.count("select count(*) from sales.audit_log where action = 'workflow.failed'") == 0)
        }
    }

    // MARK: Helpers

    /// Fails the next `count` calls of one stand-in API with 503 (its own error body).
    static func inject(_ machine: SalesMachine, api: String, count: Int) async throws {
        let answer = try await machine.standIns.send(
            .POST, "/_admin/faults", json: ["api": .string(api), "count": .number(Double(count)), "status": 503])
        #expect(answer.status == 200)
    }

    static func injectedFaults(_ machine: SalesMachine, api: String) async throws -> Int {
        let calls = try await machine.standIns.send(.GET, "/_admin/calls?api=\(api)").json["calls"]?.arrayValue ?? []
        return calls.filter { $0["injectedFault"]?.boolValue == true }.count
    }

    /// Claude calls made by the enrichment (the talking-points prompt).
    static func talkingPointCalls(_ machine: SalesMachine) -> Int {
        machine.anthropic.requests.filter { ($0.body?.jsonString() ?? "").contains(SalesClaudeReplies.talkingPointsMarker) }.count
    }
}
