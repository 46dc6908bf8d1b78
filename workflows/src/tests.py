"""pinData tests for the Sales Machine workflows (n8n's node-test convention, `flowrun test`).

Each test runs the production Code/Switch nodes (copied from the workflow, so they cannot drift)
after stub nodes that stand for the database, the APIs and the model; the pinned data is the
output each tested node must produce. The nodes that reach the outside are exercised by the
integration tests (Tests/FlowrunIntegrationTests/SalesMachine) and the end-to-end test.
"""
import copy
import json

from nodes import Workflow

CUSTOMER = "00000000-0000-4000-8000-0000000000a1"
CAMPAIGN = "c0000000-0000-4000-8000-000000000001"
PROSPECT = "p0000000-0000-4000-8000-000000000001"


def stub(name, items, each=False):
    """A Code node named like the production node it stands for, returning fixed items."""
    if each:
        js = "const cases = %s;\nreturn { json: cases[$json.case] };" % json.dumps(items, indent=2)
        return {"name": name, "type": "n8n-nodes-base.code", "typeVersion": 2,
                "parameters": {"mode": "runOnceForEachItem", "jsCode": js}}
    js = "return %s;" % json.dumps([{"json": i} for i in items], indent=2)
    return {"name": name, "type": "n8n-nodes-base.code", "typeVersion": 2, "parameters": {"jsCode": js}}


def test(production, test_id, chain, pins, extra=None):
    """chain: nodes in order after a Manual Trigger; a str is the production node of that name."""
    w = Workflow("test-" + test_id, "Test: " + test_id, ["sales-machine", "test"])
    w.add({"name": "Start test", "type": "n8n-nodes-base.manualTrigger", "typeVersion": 1, "parameters": {}})
    names = ["Start test"]
    for node in chain:
        if isinstance(node, str):
            node = copy.deepcopy(production.node(node))
            for key in ("id", "position"):
                node.pop(key, None)
        names.append(w.add(node))
    w.chain(*names)
    return w.document(pin_data={k: [{"json": j} for j in v] for k, v in pins.items()}, extra=extra)


def scraper_test(wf):
    profiles = [
        {"profileUrl": "https://www.linkedin.com/in/Ana-Lima-1/?miniProfile=x", "fullName": "Ana Lima",
         "firstName": "Ana", "lastName": "Lima", "title": "CTO", "companyName": "Northwind Labs",
         "companyUrl": "https://www.northwind-labs.example/about", "email": "ana.lima@northwind-labs.example",
         "location": "Berlin"},
        {"profileUrl": "https://www.linkedin.com/in/ana-lima-1", "fullName": "Ana Lima (again)"},
        {"fullName": "No Profile"},
        {"profileUrl": "https://www.linkedin.com/in/bruno-m/", "firstName": "Bruno", "lastName": "Martin",
         "job": "Head of Growth at Kestrel AI", "companyName": "Kestrel AI", "companyDomain": "kestrel-ai.example"},
    ]
    chain = [stub("Mark campaign scraped", [{"campaign_id": CAMPAIGN, "customer_id": CUSTOMER,
                                             "result_object": json.dumps(profiles)}]),
             "Profiles to prospects"]
    expected = [
        {"customer_id": CUSTOMER, "campaign_id": CAMPAIGN, "linkedin_url": "https://www.linkedin.com/in/ana-lima-1/",
         "full_name": "Ana Lima", "first_name": "Ana", "last_name": "Lima", "title": "CTO",
         "company_name": "Northwind Labs", "company_domain": "northwind-labs.example",
         "email": "ana.lima@northwind-labs.example", "location": "Berlin"},
        {"customer_id": CUSTOMER, "campaign_id": CAMPAIGN, "linkedin_url": "https://www.linkedin.com/in/bruno-m/",
         "full_name": "Bruno Martin", "first_name": "Bruno", "last_name": "Martin",
         "title": "Head of Growth at Kestrel AI", "company_name": "Kestrel AI", "company_domain": "kestrel-ai.example",
         "email": None, "location": None},
    ]
    return test(wf, "linkedin-scraper", chain, {"Profiles to prospects": expected})


PROSPECT_ROW = {"id": PROSPECT, "customer_id": CUSTOMER, "campaign_id": CAMPAIGN, "full_name": "Ana Lima",
                "first_name": "Ana", "company_name": "Northwind Labs", "company_domain": "northwind-labs.example",
                "email": "ana.lima@northwind-labs.example", "sender_mailbox": "founder@demo-founder.example",
                "sender_name": "Dana", "template_name": "first-touch-en"}


def enrichment_test(wf):
    builtwith = {"Results": [{"Result": {"Paths": [{"Domain": "northwind-labs.example", "Technologies": [
        {"Name": "HubSpot"}, {"Name": "Stripe"}, {"Name": "HubSpot"}]}]}}], "Errors": []}
    model = {"content": [{"type": "text", "text": "```json\n{\"talkingPoints\": [\"Stripe billing at scale\", "
                          "\"HubSpot hygiene\"]}\n```"}]}
    enrichment = {"prospect_id": PROSPECT, "customer_id": CUSTOMER, "tech_stack": ["HubSpot", "Stripe"],
                  "talking_points": ["Stripe billing at scale", "HubSpot hygiene"],
                  "model": "claude-sonnet-4-20250514", "from_cache": False}
    template = {"subject": "Quick idea for {{company_name}}",
                "body": "Hi {{first_name}},\n\n{{talking_point}}\n\n{{ sender_name }}{{unknown}}"}
    chain = [stub("Load prospect", [PROSPECT_ROW]), stub("BuiltWith lookup", [builtwith]),
             stub("Talking points", [model]), "Build enrichment",
             stub("Store enrichment", [{"prospect_id": PROSPECT, "tech_stack": ["HubSpot", "Stripe"],
                                        "talking_points": ["Stripe billing at scale", "HubSpot hygiene"],
                                        "from_cache": False}]),
             stub("Email template", [template]), "Render email"]
    rendered = {"customer_id": CUSTOMER, "prospect_id": PROSPECT, "campaign_id": CAMPAIGN,
                "sender_mailbox": "founder@demo-founder.example", "to_email": "ana.lima@northwind-labs.example",
                "subject": "Quick idea for Northwind Labs",
                "body": "Hi Ana,\n\nStripe billing at scale\n\nDana"}
    return test(wf, "ai-enrichment", chain, {"Build enrichment": [enrichment], "Render email": [rendered]})


def enrichment_cache_test(wf):
    cached = json.dumps({"tech_stack": ["Stripe"], "talking_points": ["A point"], "model": "m"})
    no_json = {"content": [{"type": "text", "text": "I cannot help with that."}]}
    chain = [stub("Load prospect", [PROSPECT_ROW]), stub("Cached enrichment", [{**PROSPECT_ROW, "cached": cached}]),
             "From cache"]
    expected = {"prospect_id": PROSPECT, "customer_id": CUSTOMER, "tech_stack": ["Stripe"],
                "talking_points": ["A point"], "model": "m", "from_cache": True}
    fallback_chain = chain + [stub("BuiltWith lookup", [{"Results": [], "Errors": []}]),
                              stub("Talking points", [no_json]), "Build enrichment"]
    fallback = {"prospect_id": PROSPECT, "customer_id": CUSTOMER, "tech_stack": [],
                "talking_points": ["I came across Northwind Labs while looking at teams like yours."],
                "model": "claude-sonnet-4-20250514", "from_cache": False}
    return test(wf, "ai-enrichment-cache", fallback_chain, {"From cache": [expected], "Build enrichment": [fallback]})


def scheduler_test(wf):
    outreach = {"id": "q1", "kind": "outreach", "sender_mailbox": "founder@demo-founder.example",
                "to_email": "ana@n.example", "subject": "S", "body": "B", "reply_to_uuid": None,
                "instantly_campaign_id": "ic-1", "first_name": "Ana", "last_name": "Lima", "company_name": "N"}
    answer = {"id": "q2", "kind": "answer", "sender_mailbox": "founder@demo-founder.example",
              "to_email": "bo@k.example", "subject": "Re: x", "body": "Happy to.", "reply_to_uuid": "0198-r",
              "instantly_campaign_id": "ic-1", "first_name": "Bo", "last_name": "K", "company_name": "K"}
    chain = [stub("Claim due emails", [outreach, answer]), "Instantly request"]
    expected = [
        {**outreach, "endpoint": "/api/v2/leads", "request": {
            "campaign": "ic-1", "email": "ana@n.example", "first_name": "Ana", "last_name": "Lima",
            "company_name": "N", "skip_if_in_campaign": True,
            "custom_variables": {"subject": "S", "body": "B", "queue_id": "q1"}}},
        {**answer, "endpoint": "/api/v2/emails/reply", "request": {
            "eaccount": "founder@demo-founder.example", "reply_to_uuid": "0198-r", "subject": "Re: x",
            "body": {"text": "Happy to."}}},
    ]
    return test(wf, "email-scheduler", chain, {"Instantly request": expected})


def conversation_test(wf):
    base = {"customer_id": CUSTOMER, "prospect_id": PROSPECT, "instantly_email_id": "0198-r"}
    replies = [{**base, "case": i, "reply_id": "r%d" % i, "is_vip": i == 3} for i in range(5)]
    answers = [
        {"content": [{"type": "text", "text": '{"intent": "interested", "confidence": 0.92, "suggestedAnswer": "Great!"}'}]},
        {"content": [{"type": "text", "text": '{"intent": "question", "confidence": 0.81, "suggestedAnswer": "It costs 99 EUR."}'}]},
        {"content": [{"type": "text", "text": '{"intent": "interested", "confidence": 0.4, "suggestedAnswer": "Maybe?"}'}]},
        {"content": [{"type": "text", "text": '{"intent": "interested", "confidence": 0.99, "suggestedAnswer": "Sure"}'}]},
        {"content": [{"type": "text", "text": "not json"}]},
    ]
    store = stub("Store reply", replies)
    chain = [store, stub("Qualify reply", answers, each=True), "Decide"]

    def decided(i, intent, confidence, answer, decision, reason):
        return {"reply_id": "r%d" % i, "prospect_id": PROSPECT, "customer_id": CUSTOMER, "instantly_email_id": "0198-r",
                "intent": intent, "confidence": confidence, "suggested_answer": answer, "decision": decision,
                "reason": reason}

    expected = [
        decided(0, "interested", 0.92, "Great!", "book_meeting", None),
        decided(1, "question", 0.81, "It costs 99 EUR.", "answer", None),
        decided(2, "interested", 0.4, "Maybe?", "review", "low_confidence"),
        decided(3, "interested", 0.99, "Sure", "review", "vip"),
        decided(4, "unclear", 0, "", "review", "low_confidence"),
    ]
    return test(wf, "ai-conversation", chain, {"Decide": expected})


def meeting_test(wf):
    row = {"id": PROSPECT, "customer_id": CUSTOMER, "full_name": "Ana Lima", "email": "ana@n.example",
           "timezone": "Europe/Berlin", "business_days": [1, 2, 3, 4, 5], "business_hours_start": 9,
           "business_hours_end": 17, "calcom_event_type_id": 42}
    cases = [
        {**row, "now": "2026-11-27T08:00:00.000Z", "booked_count": 0},   # Friday -> Monday 10:00 CET
        {**row, "now": "2026-11-24T08:00:00.000Z", "booked_count": 15},  # Tuesday, 15 booked -> Thu 10:30
    ]
    chain = [stub("Load prospect", cases), "Pick slot"]

    def booking(start):
        return {"prospect_id": PROSPECT, "customer_id": CUSTOMER, "booking": {
            "start": start, "eventTypeId": 42, "lengthInMinutes": 30,
            "attendee": {"name": "Ana Lima", "email": "ana@n.example", "timeZone": "Europe/Berlin", "language": "en"},
            "metadata": {"prospectId": PROSPECT, "customerId": CUSTOMER}}}

    return test(wf, "meeting-booking", chain,
                {"Pick slot": [booking("2026-11-30T09:00:00Z"), booking("2026-11-26T09:30:00Z")]})


def onboarding_test(wf):
    chain = [stub("Run as the caller", [{"result": {"customerId": CUSTOMER, "campaignId": CAMPAIGN}}]),
             "Campaign to scrape"]
    return test(wf, "gateway-onboarding", chain, {"Campaign to scrape": [{"campaignId": CAMPAIGN}]})


def gateway_test(wf, test_id, result):
    """The gateway's answer: the SQL function's result, as the caller receives it (Respond passes its
    items on; the body it sends is the result)."""
    chain = [stub("Run as the caller", [{"result": result}]), "Respond"]
    return test(wf, test_id, chain, {"Respond": [{"result": result}]})


def error_notifier_test(wf):
    """The error data n8n's Error Trigger emits -> the audit row's parameters."""
    error = {"execution": {"id": "231", "lastNodeExecuted": "Send through Instantly", "mode": "trigger",
                           "error": {"message": "circuit breaker open"}},
             "workflow": {"id": "sales-email-scheduler", "name": "Sales Machine: email scheduler"}}
    record = dict(wf.node("Record failure"))
    js = ("return [{ json: { parameters: " + record["parameters"]["options"]["queryReplacement"][3:-3] + " } }];")
    chain = [stub("On workflow error", [error]),
             {"name": "Record failure", "type": "n8n-nodes-base.code", "typeVersion": 2, "parameters": {"jsCode": js}}]
    return test(wf, "error-notifier", chain, {"Record failure": [
        {"parameters": ["Sales Machine: email scheduler", "Send through Instantly", "231"]}]})


def all_tests(workflows):
    built = {name: build() for name, build in workflows.items()}
    return {
        "linkedin-scraper.test": scraper_test(built["linkedin-scraper"]),
        "ai-enrichment.test": enrichment_test(built["ai-enrichment"]),
        "ai-enrichment-cache.test": enrichment_cache_test(built["ai-enrichment"]),
        "email-scheduler.test": scheduler_test(built["email-scheduler"]),
        "ai-conversation.test": conversation_test(built["ai-conversation"]),
        "meeting-booking.test": meeting_test(built["meeting-booking"]),
        "gateway-onboarding.test": onboarding_test(built["gateway-onboarding"]),
        "gateway-campaigns.test": gateway_test(built["gateway-campaigns"], "gateway-campaigns",
                                               {"campaigns": [{"id": CAMPAIGN, "name": "Q1", "status": "active"}]}),
        "gateway-prospects.test": gateway_test(built["gateway-prospects"], "gateway-prospects",
                                               {"prospects": [{"id": PROSPECT, "fullName": "Ana Lima", "status": "queued"}]}),
        "gateway-ai-review.test": gateway_test(built["gateway-ai-review"], "gateway-ai-review",
                                               {"id": PROSPECT, "status": "approved", "queued": True}),
        "gateway-gdpr-erasure.test": gateway_test(built["gateway-gdpr-erasure"], "gateway-gdpr-erasure",
                                                  {"prospectId": PROSPECT, "erased": True}),
        "error-notifier.test": error_notifier_test(built["error-notifier"]),
    }
