import Foundation
import Testing

@Suite("Sales Machine database: migrations, row-level security, audit")
struct SalesDatabaseTests {
    static let customerA = "00000000-0000-4000-8000-0000000000a1"  // seeded demo customer
    static let userA = #"{"sub":"00000000-0000-4000-8000-00000000000a","role":"authenticated"}"#
    static let userB = #"{"sub":"user-b","role":"authenticated"}"#

    @Test("migrations and seed apply twice; customer B cannot read, change or add customer A's prospects")
    func rowLevelSecurity() throws {
        try SalesDatabase.withFresh("sales_rls_test") { db in
            _ = try SalesDatabase.run(
                SalesDatabase.repositoryRoot.appendingPathComponent("scripts/sales-db.sh").path, [db.url])
            #expect(try db.owner("select count(*) from sales.email_templates") == ["3"])
            #expect(try db.owner("select count(*) from sales.customers") == ["1"])

            let customerB = try #require(
                try db.owner(
                    "insert into sales.customers (owner_user_id, name, sender_mailbox) values ('user-b', 'B', 'b@b.example') returning id"
                ).first)
            _ = try db.owner(
                """
                insert into sales.prospects (customer_id, linkedin_url, full_name, email)
                select '\(Self.customerA)', 'https://www.linkedin.com/in/a' || n || '/', 'A ' || n, 'a' || n || '@a.example'
                from generate_series(1, 3) n
                """)
            _ = try db.owner(
                "insert into sales.prospects (customer_id, linkedin_url, full_name) values ('\(customerB)', 'https://www.linkedin.com/in/b1/', 'B 1')"
            )

            #expect(try db.asUser(Self.userA, "select count(*) from sales.prospects") == ["3"])
            #expect(try db.asUser(Self.userB, "select count(*) from sales.prospects") == ["1"])
            #expect(try db.asUser(Self.userB, "select count(*) from sales.prospects where customer_id = '\(Self.customerA)'") == ["0"])
            #expect(try db.asUser(Self.userB, "select count(*) from sales.audit_log where customer_id = '\(Self.customerA)'") == ["0"])
            #expect(
                try db.asUser(Self.userB, "with u as (update sales.prospects set status = 'closed' where customer_id = '\(Self.customerA)' returning 1) select count(*) from u")
                    == ["0"])
            #expect(
                try db.asUser(Self.userB, "select sales.erase_prospect(id) from sales.prospects where customer_id = '\(Self.customerA)'")
                    == [])
            #expect(throws: SalesDatabase.Failure.self) {
                _ = try db.asUser(
                    Self.userB,
                    "insert into sales.prospects (customer_id, linkedin_url) values ('\(Self.customerA)', 'https://www.linkedin.com/in/evil/')")
            }
            #expect(try db.owner("select count(*) from sales.prospects where customer_id = '\(Self.customerA)' and status = 'new'") == ["3"])
            // A customer_id claim (Supabase custom claims in app_metadata) selects the customer too.
            let claimsB = #"{"sub":"someone","app_metadata":{"customer_id":"\#(customerB)"}}"#
            #expect(try db.asUser(claimsB, "select count(*) from sales.prospects") == ["1"])
        }
    }

    @Test("every write of personal data leaves an audit row; erasure removes derived rows and is audited")
    func auditAndErasure() throws {
        try SalesDatabase.withFresh("sales_audit_test") { db in
            let prospect = try #require(
                try db.owner(
                    "insert into sales.prospects (customer_id, linkedin_url, email) values ('\(Self.customerA)', 'https://www.linkedin.com/in/p/', 'p@p.example') returning id"
                ).first)
            _ = try db.owner(
                "insert into sales.enrichments (customer_id, prospect_id, tech_stack) values ('\(Self.customerA)', '\(prospect)', '[\"Stripe\"]')")
            _ = try db.owner(
                """
                insert into sales.email_queue (customer_id, prospect_id, sender_mailbox, to_email, subject, body)
                values ('\(Self.customerA)', '\(prospect)', 'f@f.example', 'p@p.example', 'Hi', 'Body')
                """)
            #expect(try db.asUser(Self.userA, "select sales.erase_prospect('\(prospect)')") == ["1"])
            #expect(try db.owner("select count(*) from sales.enrichments") == ["0"])
            #expect(try db.owner("select count(*) from sales.email_queue") == ["0"])
            let actions = try db.owner("select action from sales.audit_log where prospect_id = '\(prospect)' order by id")
            #expect(
                actions == [
                    "prospects.insert", "enrichments.insert", "email_queue.insert", "prospects.delete",
                    "enrichments.delete", "email_queue.delete", "prospect.erased",
                ])
            // Audit rows hold no personal data.
            #expect(try db.owner("select count(*) from sales.audit_log where details::text like '%p@p.example%'") == ["0"])
            #expect(throws: SalesDatabase.Failure.self) {
                _ = try db.asUser(Self.userA, "delete from sales.audit_log")
            }
        }
    }
}

@Suite("Sales Machine gateway functions under row-level security")
struct SalesGatewayFunctionTests {
    @Test("onboarding creates the caller's customer and campaign; listing prospects shows only the caller's")
    func gatewayFunctions() throws {
        try SalesDatabase.withFresh("sales_gateway_test") { db in
            let onboard = #"{"company":"B","senderMailbox":"b@b.example","campaign":{"name":"Q1","searchQuery":"cto"}}"#
            let result = try #require(try db.owner("select sales.gw_onboard('{\"sub\":\"user-b\"}', '\(onboard)') ->> 'campaignId'").first)
            #expect(!result.isEmpty)
            _ = try db.owner(
                "insert into sales.prospects (customer_id, linkedin_url) values ('\(SalesDatabaseTests.customerA)', 'https://www.linkedin.com/in/a/')")
            #expect(try db.owner("select jsonb_array_length(sales.gw_prospects('{\"sub\":\"user-b\"}', '{}') -> 'prospects')") == ["0"])
            #expect(
                try db.owner("select jsonb_array_length(sales.gw_prospects('{\"sub\":\"00000000-0000-4000-8000-00000000000a\"}', '{}') -> 'prospects')")
                    == ["1"])
            #expect(try db.owner("select sales.gw_campaigns('{\"sub\":\"user-b\"}', '{}') -> 'campaigns' -> 0 ->> 'name'") == ["Q1"])
            #expect(try db.owner("select jsonb_array_length(sales.gw_campaigns('{\"sub\":\"00000000-0000-4000-8000-00000000000a\"}', '{}') -> 'campaigns')") == ["0"])
            #expect(throws: SalesDatabase.Failure.self) {
                _ = try db.owner("select sales.gw_prospects('{}', '{}')")
            }
        }
    }
}
