"""Writes workflows/*.json (the Sales Machine) and workflows/tests/*.json (their pinData tests).

Run: python3 workflows/src/generate.py   (then `flowrun validate workflows/` and `flowrun test workflows/tests/`)
"""
import json
import os

import logic
from nodes import (CRED, Workflow, anthropic, code, execute_trigger, execute_workflow, http, if_node, noop,
                   postgres, rate_limit, redis_delete, redis_get, redis_set, respond, schedule, switch, webhook)

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.dirname(HERE)
TTL_7_DAYS = 604800
NOW = "$now.toISO()"

# ---------------------------------------------------------------------------------------------
# 1. LinkedIn scraper


def linkedin_scraper():
    # The schedule finds the campaigns due and scrapes each in its own run of this workflow (Execute
    # Workflow, by id), so one campaign's failure does not stop the others and every node below
    # "Campaign to scrape" handles exactly one campaign.
    w = Workflow("sales-linkedin-scraper", "Sales Machine: LinkedIn scraper", ["sales-machine"])
    w.add(schedule("Every 6 hours", 360), at=(0, 200))
    w.add(postgres(
        "Campaigns due",
        "select c.id as \"campaignId\" from sales.campaigns c\n"
        "where c.status = 'active' and c.phantombuster_agent_id is not null\n"
        "  and (c.last_scraped_at is null or c.last_scraped_at < $1::timestamptz - interval '20 hours')",
        [NOW]), at=(240, 200))
    w.add(execute_workflow("Scrape each campaign", "sales-linkedin-scraper"), at=(480, 200))
    w.node("Scrape each campaign")["onError"] = "continueRegularOutput"
    w.add(execute_trigger("Scrape one campaign"), at=(0, 420))
    w.x = 0
    w.add(postgres(
        "Campaign to scrape",
        "select c.id, c.customer_id, c.search_query, c.phantombuster_agent_id, c.icp\n"
        "from sales.campaigns c\n"
        "where c.id = $1::uuid and c.status = 'active' and c.phantombuster_agent_id is not null",
        ["$json.campaignId"]))
    w.node("Campaign to scrape")["executeOnce"] = True
    w.add(http(
        "Launch search agent", "POST", "phantombuster", "/api/v2/agents/launch", "phantombuster",
        body="={{ JSON.stringify({ id: $json.phantombuster_agent_id, argument: { search: $json.search_query, "
             "numberOfProfiles: $json.icp?.numberOfProfiles ?? 35 } }) }}"))
    w.add({"name": "Wait for the agent", "type": "n8n-nodes-base.wait", "typeVersion": 1.1,
           "parameters": {"amount": 10, "unit": "seconds"}, "webhookId": "5d3f2c1e-sales-wait"})
    w.add(http("Container status", "GET", "phantombuster", "/api/v2/containers/fetch", "phantombuster",
               query=[("id", "={{ $json.containerId ?? $json.id }}")]))
    w.add(if_node("Finished?", "={{ $json.status }}", "string", "equals", "finished"))
    w.add(http("Fetch result", "GET", "phantombuster", "/api/v2/containers/fetch-result-object", "phantombuster",
               query=[("id", "={{ $json.id }}")]))
    w.add(postgres(
        "Mark campaign scraped",
        "update sales.campaigns set last_scraped_at = $2::timestamptz where id = $1::uuid\n"
        "returning id as campaign_id, customer_id, $3::text as result_object",
        ["$('Campaign to scrape').first().json.id", NOW, "$json.resultObject ?? '[]'"]))
    w.add(code("Profiles to prospects", logic.PROFILES_TO_PROSPECTS))
    w.add(postgres(
        "Upsert prospects",
        "with actor as (select set_config('sales.actor', 'workflow:linkedin-scraper', true))\n"
        "insert into sales.prospects (customer_id, campaign_id, linkedin_url, full_name, first_name, last_name,\n"
        "                             title, company_name, company_domain, email, location)\n"
        "select $1::uuid, $2::uuid, $3::text, $4::text, $5::text, $6::text, $7::text, $8::text, $9::text, $10::text, $11::text from actor\n"
        "on conflict (customer_id, linkedin_url) do nothing\n"
        "returning id as \"prospectId\"",
        ["$json.customer_id", "$json.campaign_id", "$json.linkedin_url", "$json.full_name", "$json.first_name",
         "$json.last_name", "$json.title", "$json.company_name", "$json.company_domain", "$json.email",
         "$json.location"]))
    w.add(execute_workflow("Enrich each new prospect", "sales-ai-enrichment"))
    w.chain("Every 6 hours", "Campaigns due", "Scrape each campaign")
    w.connect("Scrape one campaign", "Campaign to scrape")
    w.chain("Campaign to scrape", "Launch search agent", "Wait for the agent", "Container status", "Finished?")
    w.connect("Finished?", "Fetch result", 0)
    w.connect("Finished?", "Wait for the agent", 1)
    w.chain("Fetch result", "Mark campaign scraped", "Profiles to prospects", "Upsert prospects",
            "Enrich each new prospect")
    return w


# ---------------------------------------------------------------------------------------------
# 2. AI enrichment


def ai_enrichment():
    w = Workflow("sales-ai-enrichment", "Sales Machine: AI enrichment", ["sales-machine"])
    w.add(execute_trigger("Enrich a prospect"))
    w.add(postgres(
        "Load prospect",
        "select p.*, c.sender_mailbox, c.sender_name, c.timezone, cp.template_name\n"
        "from sales.prospects p join sales.customers c on c.id = p.customer_id\n"
        "left join sales.campaigns cp on cp.id = p.campaign_id\n"
        "where p.id = $1::uuid",
        ["$json.prospectId"]))
    w.add(redis_get("Cached enrichment", "=sales:enrichment:{{ $json.id }}", "cached"))
    w.add(if_node("Cache hit?", "={{ $json.cached }}", "string", "notEmpty"))
    w.add(http("BuiltWith lookup", "GET", "builtwith", "/v21/api.json", "builtwith",
               query=[("LOOKUP", "={{ $('Load prospect').item.json.company_domain }}")]), at=(960, 480))
    w.add(anthropic(
        "Talking points",
        "=Prospect: {{ $('Load prospect').item.json.full_name }}, {{ $('Load prospect').item.json.title }} at "
        "{{ $('Load prospect').item.json.company_name }} ({{ $('Load prospect').item.json.company_domain }}).\n"
        "Their website runs: {{ ($json.Results?.[0]?.Result?.Paths ?? []).flatMap(p => p.Technologies ?? [])"
        ".map(t => t.Name).join(', ') || 'unknown' }}.\n"
        "Write three short, specific talking points for a first cold email.",
        "You write for a B2B founder. Answer with JSON only: {\"talkingPoints\": [\"...\", \"...\", \"...\"]}."),
        at=(1200, 480))
    w.add(code("Build enrichment", logic.BUILD_ENRICHMENT, each=True), at=(1440, 480))
    w.add(redis_set("Cache enrichment", "=sales:enrichment:{{ $json.prospect_id }}",
                    "={{ JSON.stringify({ tech_stack: $json.tech_stack, talking_points: $json.talking_points, model: $json.model }) }}",
                    TTL_7_DAYS), at=(1680, 480))
    w.add(code("From cache", logic.FROM_CACHE, each=True), at=(1200, 200))
    w.x = 1680
    w.add(postgres(
        "Store enrichment",
        "with actor as (select set_config('sales.actor', 'workflow:ai-enrichment', true)),\n"
        "stored as (\n"
        "  insert into sales.enrichments (customer_id, prospect_id, tech_stack, talking_points, model, from_cache)\n"
        "  select $1::uuid, $2::uuid, $3::jsonb, $4::jsonb, $5::text, $6::boolean from actor\n"
        "  on conflict (prospect_id) do update set tech_stack = excluded.tech_stack,\n"
        "    talking_points = excluded.talking_points, model = excluded.model, from_cache = excluded.from_cache\n"
        "  returning prospect_id, tech_stack, talking_points, from_cache),\n"
        "marked as (update sales.prospects set status = 'enriched' where id = $2::uuid and status = 'new')\n"
        "select * from stored",
        ["$json.customer_id", "$json.prospect_id", "JSON.stringify($json.tech_stack)",
         "JSON.stringify($json.talking_points)", "$json.model", "$json.from_cache"]))
    w.add(postgres(
        "Email template",
        "select subject, body from sales.email_templates\n"
        "where name = $1 and (customer_id = $2::uuid or customer_id is null)\n"
        "order by customer_id nulls last limit 1",
        ["$('Load prospect').item.json.template_name ?? 'first-touch-en'",
         "$('Load prospect').item.json.customer_id"]))
    w.add(code("Render email", logic.RENDER_EMAIL, each=True))
    w.add(postgres(
        "Queue email",
        "with actor as (select set_config('sales.actor', 'workflow:ai-enrichment', true)),\n"
        "queued as (\n"
        "  insert into sales.email_queue (customer_id, prospect_id, campaign_id, kind, sender_mailbox, to_email,\n"
        "                                 subject, body, not_before)\n"
        "  select $1::uuid, $2::uuid, $3::uuid, 'outreach', $4::text, $5::text, $6::text, $7::text, $8::timestamptz from actor\n"
        "  where $5::text is not null\n"
        "  on conflict (prospect_id, kind, subject) do nothing returning id, prospect_id),\n"
        "marked as (update sales.prospects set status = 'queued' where id in (select prospect_id from queued))\n"
        "select id as \"queueId\", prospect_id from queued",
        ["$json.customer_id", "$json.prospect_id", "$json.campaign_id", "$json.sender_mailbox", "$json.to_email",
         "$json.subject", "$json.body", NOW]))
    w.chain("Enrich a prospect", "Load prospect", "Cached enrichment", "Cache hit?")
    w.connect("Cache hit?", "From cache", 0)
    w.connect("Cache hit?", "BuiltWith lookup", 1)
    w.chain("BuiltWith lookup", "Talking points", "Build enrichment", "Cache enrichment", "Store enrichment")
    w.chain("From cache", "Store enrichment")
    w.chain("Store enrichment", "Email template", "Render email", "Queue email")
    return w


# ---------------------------------------------------------------------------------------------
# 3. Email scheduler


def email_scheduler():
    w = Workflow("sales-email-scheduler", "Sales Machine: email scheduler", ["sales-machine"])
    w.add(schedule("Every 15 minutes", 15))
    w.add(postgres(
        "Claim due emails",
        "-- Queued emails due now, inside each customer's business hours and days (its time zone).\n"
        "-- A claim pushes not_before 30 minutes ahead, so an email whose run died is claimed again.\n"
        "with due as (\n"
        "  select q.id from sales.email_queue q join sales.customers c on c.id = q.customer_id\n"
        "  where q.status in ('queued', 'sending') and q.not_before <= $1::timestamptz\n"
        "    and extract(isodow from $1::timestamptz at time zone c.timezone)::int = any(c.business_days)\n"
        "    and extract(hour from $1::timestamptz at time zone c.timezone) >= c.business_hours_start\n"
        "    and extract(hour from $1::timestamptz at time zone c.timezone) < c.business_hours_end\n"
        "  order by q.created_at limit 500\n"
        "  for update of q skip locked),\n"
        "claimed as (\n"
        "  update sales.email_queue q set status = 'sending', attempts = q.attempts + 1,\n"
        "    not_before = $1::timestamptz + interval '30 minutes'\n"
        "  from due, sales.customers c, sales.prospects p\n"
        "  where q.id = due.id and c.id = q.customer_id and p.id = q.prospect_id\n"
        "  returning q.id, q.customer_id, q.prospect_id, q.kind, q.sender_mailbox, q.to_email, q.subject, q.body,\n"
        "    q.reply_to_uuid, c.timezone, c.daily_send_limit, c.business_hours_start, q.created_at,\n"
        "    (select cp.instantly_campaign_id from sales.campaigns cp where cp.id = q.campaign_id) as instantly_campaign_id,\n"
        "    p.first_name, p.last_name, p.company_name)\n"
        "-- Oldest first: the rate limit lets the first `daily_send_limit` through, so order decides who waits.\n"
        "select * from claimed order by created_at, id",
        [NOW]))
    # One cheap call before any send slot is reserved: while Instantly is down (after the node's
    # retries, or with its breaker open) the run fails here, reserves nothing, and the claimed
    # emails are claimed again 30 minutes later; the error workflow is told.
    w.add(code("Claimed emails", "// Only claimed rows (a query without rows answers one {success: true} item, as in n8n).\n"
                                 "return $input.all().filter(item => item.json.id).map(item => ({ json: item.json }));"))
    w.add(http("Instantly reachable?", "GET", "instantly", "/api/v2/emails", "instantly", query=[("limit", "1")],
               executeOnce=True))
    w.add(code("Emails to send", "// The claimed emails again (the probe answered once for all of them).\n"
                                 "return $('Claimed emails').all().map(item => ({ json: item.json }));"))
    # The key holds the customer's local date, so "a day" is the customer's day whatever the
    # workflow's time zone; the sliding 2-day window keeps each date's count for all of that date.
    w.add(rate_limit("20 a day per mailbox",
                     "={{ $json.sender_mailbox }}/{{ $now.setZone($json.timezone).toISODate() }}",
                     "={{ $json.daily_send_limit }}", window="sliding", duration=2, durationUnit="days"))
    w.add(code("Instantly request", logic.INSTANTLY_REQUEST, each=True))
    w.add(http("Send through Instantly", "POST", "instantly", "={{ $json.endpoint }}", "instantly",
               body="={{ JSON.stringify($json.request) }}", onError="continueErrorOutput"))
    w.node("Send through Instantly")["parameters"]["url"] = "=" + "{{ ($env.INSTANTLY_BASE_URL || 'https://api.instantly.ai') + $json.endpoint }}"
    w.add(postgres(
        "Mark sent",
        "with actor as (select set_config('sales.actor', 'workflow:email-scheduler', true)),\n"
        "sent as (update sales.email_queue set status = 'sent', sent_at = $2::timestamptz, provider_id = $3,\n"
        "           last_error = null from actor where id = $1::uuid returning id, customer_id, prospect_id, kind),\n"
        "contacted as (update sales.prospects set status = 'contacted'\n"
        "              where id in (select prospect_id from sent where kind = 'outreach') and status in ('new', 'enriched', 'queued'))\n"
        "select id, kind, sales.audit(customer_id, prospect_id, 'email.sent', 'outreach',\n"
        "         jsonb_build_object('queueId', id, 'provider', 'instantly')) is null as audited from sent",
        ["$('Instantly request').item.json.id", NOW, "$json.id ?? null"]), at=(1440, 200))
    w.add(postgres(
        "Requeue after failure",
        "update sales.email_queue set status = 'queued', not_before = $2::timestamptz + interval '15 minutes',\n"
        "  last_error = left($3, 500)\n"
        "where id = $1::uuid returning id, status",
        ["$('Instantly request').item.json.id", NOW, "$json.error?.message ?? 'send failed'"]), at=(1440, 420))
    w.add(postgres(
        "Defer to next business day",
        "update sales.email_queue q set status = 'queued',\n"
        "  not_before = ((date_trunc('day', $2::timestamptz at time zone c.timezone) + interval '1 day'\n"
        "                 + c.business_hours_start * interval '1 hour') at time zone c.timezone)\n"
        "from sales.customers c where q.id = $1::uuid and c.id = q.customer_id\n"
        "returning q.id, q.status, q.not_before",
        ["$json.id", NOW]), at=(960, 480))
    w.chain("Every 15 minutes", "Claim due emails", "Claimed emails", "Instantly reachable?", "Emails to send",
            "20 a day per mailbox", "Instantly request",
            "Send through Instantly")
    w.connect("20 a day per mailbox", "Defer to next business day", 1)
    w.connect("Send through Instantly", "Mark sent", 0)
    w.connect("Send through Instantly", "Requeue after failure", 1)
    return w


# ---------------------------------------------------------------------------------------------
# 4. AI conversation


def ai_conversation():
    w = Workflow("sales-ai-conversation", "Sales Machine: AI conversation", ["sales-machine"])
    w.add(webhook("Instantly reply webhook", "sales/instantly/replies", "headerAuth", "instantlyWebhook",
                  response_mode="onReceived"))
    w.add(if_node("Is a reply?", "={{ $json.body.event_type }}", "string", "equals", "reply_received"))
    w.add(postgres(
        "Store reply",
        "with actor as (select set_config('sales.actor', 'workflow:ai-conversation', true)),\n"
        "prospect as (\n"
        "  select p.id, p.customer_id, p.company_domain = any(c.vip_domains) as is_vip\n"
        "  from sales.prospects p join sales.customers c on c.id = p.customer_id\n"
        "  where lower(p.email) = lower($2) and lower(c.sender_mailbox) = lower($3) limit 1),\n"
        "stored as (\n"
        "  insert into sales.replies (customer_id, prospect_id, instantly_email_id, reply_text, received_at)\n"
        "  select customer_id, id, $1::text, $4::text, $5::timestamptz from prospect, actor\n"
        "  on conflict (instantly_email_id) do nothing returning id, customer_id, prospect_id, instantly_email_id),\n"
        "marked as (update sales.prospects set status = 'replied' where id in (select prospect_id from stored))\n"
        "select s.id as reply_id, s.customer_id, s.prospect_id, s.instantly_email_id, p.is_vip\n"
        "from stored s join prospect p on p.id = s.prospect_id",
        ["$json.body.email_id", "$json.body.lead_email", "$json.body.email_account",
         "$json.body.reply_text ?? $json.body.reply_text_snippet ?? ''", NOW]))
    w.add(anthropic(
        "Qualify reply",
        "=Reply from a prospect to our cold email:\n\"\"\"{{ $('Instantly reply webhook').item.json.body.reply_text }}\"\"\"",
        "You qualify replies to B2B cold emails. Answer with JSON only: {\"intent\": \"interested|question|"
        "not_interested|out_of_office|unclear\", \"confidence\": 0.0-1.0, \"suggestedAnswer\": \"a short answer to "
        "send, or empty\"}."))
    w.add(code("Decide", logic.DECIDE, each=True))
    w.add(postgres(
        "Record decision",
        "update sales.replies set intent = $2, confidence = $3::numeric, suggested_answer = $4, decision = $5\n"
        "where id = $1::uuid returning id as reply_id, prospect_id, customer_id, decision",
        ["$json.reply_id", "$json.intent", "$json.confidence", "$json.suggested_answer", "$json.decision"]))
    w.add(switch("Route", "={{ $json.decision }}", ["review", "book_meeting", "answer", "close"]))
    w.add(postgres(
        "Queue for review",
        "with queued as (\n"
        "  insert into sales.ai_review_queue (customer_id, prospect_id, reply_id, intent, confidence, suggested_answer, reason)\n"
        "  values ($1::uuid, $2::uuid, $3::uuid, $4, $5::numeric, $6, $7) returning id, prospect_id),\n"
        "marked as (update sales.prospects set status = 'review' where id in (select prospect_id from queued))\n"
        "select id as \"reviewId\" from queued",
        ["$('Decide').item.json.customer_id", "$('Decide').item.json.prospect_id", "$('Decide').item.json.reply_id",
         "$('Decide').item.json.intent", "$('Decide').item.json.confidence",
         "$('Decide').item.json.suggested_answer", "$('Decide').item.json.reason"]), at=(1920, 100))
    w.add(execute_workflow("Book a meeting", "sales-meeting-booking"), at=(1920, 260))
    w.node("Book a meeting")["parameters"]["mode"] = "each"
    w.add(postgres(
        "Queue answer",
        "with queued as (\n"
        "  insert into sales.email_queue (customer_id, prospect_id, campaign_id, kind, sender_mailbox, to_email,\n"
        "                                 subject, body, reply_to_uuid, not_before)\n"
        "  select p.customer_id, p.id, p.campaign_id, 'answer', c.sender_mailbox, p.email, 'Re: ' || r.instantly_email_id,\n"
        "         $2::text, r.instantly_email_id, $3::timestamptz\n"
        "  from sales.prospects p join sales.customers c on c.id = p.customer_id join sales.replies r on r.id = $4::uuid\n"
        "  where p.id = $1::uuid on conflict do nothing returning id)\n"
        "select id as \"queueId\" from queued",
        ["$('Decide').item.json.prospect_id", "$('Decide').item.json.suggested_answer", NOW,
         "$('Decide').item.json.reply_id"]), at=(1920, 420))
    w.add(postgres(
        "Close lead",
        "update sales.prospects set status = 'closed' where id = $1::uuid returning id, status",
        ["$('Decide').item.json.prospect_id"]), at=(1920, 580))
    w.add(noop("Not a reply"), at=(720, 480))
    w.chain("Instantly reply webhook", "Is a reply?")
    w.connect("Is a reply?", "Store reply", 0)
    w.connect("Is a reply?", "Not a reply", 1)
    w.x = 720
    w.chain("Store reply", "Qualify reply", "Decide", "Record decision", "Route")
    for i, target in enumerate(["Queue for review", "Book a meeting", "Queue answer", "Close lead"]):
        w.connect("Route", target, i)
    return w


# ---------------------------------------------------------------------------------------------
# 5. Meeting booking


def meeting_booking():
    w = Workflow("sales-meeting-booking", "Sales Machine: meeting booking", ["sales-machine"])
    w.add(execute_trigger("Book for a prospect"), at=(0, 200))
    w.add(webhook("Cal.com booking webhook", "sales/calcom/bookings", "headerAuth", "calcomWebhook",
                  response_mode="onReceived"), at=(0, 480))
    w.x = 0
    w.add(postgres(
        "Load prospect",
        "select p.id, p.customer_id, p.full_name, p.email, c.timezone, c.business_days, c.business_hours_start,\n"
        "  $2::timestamptz as now,\n"
        "  c.business_hours_end, cp.calcom_event_type_id,\n"
        "  (select count(*) from sales.meetings m where m.customer_id = p.customer_id\n"
        "     and m.start_at > $2::timestamptz) as booked_count,\n"
        "  sales.reserve_meeting_slot(p.id, $2::timestamptz) as slot_start\n"
        "from sales.prospects p join sales.customers c on c.id = p.customer_id\n"
        "join sales.campaigns cp on cp.id = p.campaign_id\n"
        "where p.id = $1::uuid",
        ["$json.prospect_id ?? $json.prospectId", NOW]))
    w.add(code("Pick slot", logic.PICK_SLOT, each=True))
    w.add(http("Create booking", "POST", "calcom", "/v2/bookings", "calcom",
               headers=[("cal-api-version", "2024-08-13")], body="={{ JSON.stringify($json.booking) }}"))
    w.add(postgres(
        "Store meeting",
        "with actor as (select set_config('sales.actor', 'workflow:meeting-booking', true)),\n"
        "stored as (\n"
        "  insert into sales.meetings (customer_id, prospect_id, calcom_uid, start_at, end_at, meeting_url, status)\n"
        "  select $1::uuid, $2::uuid, $3::text, $4::timestamptz, $5::timestamptz, $6::text, coalesce($7::text, 'accepted') from actor\n"
        "  on conflict (calcom_uid) do update set status = excluded.status returning id, customer_id, prospect_id, calcom_uid, start_at),\n"
        "marked as (update sales.prospects set status = 'meeting_booked' where id in (select prospect_id from stored))\n"
        "select id as meeting_id, customer_id, prospect_id, calcom_uid, start_at from stored",
        ["$('Pick slot').item.json.customer_id", "$('Pick slot').item.json.prospect_id", "$json.data.uid",
         "$json.data.start", "$json.data.end", "$json.data.meetingUrl ?? null", "$json.data.status"]))
    w.add(if_node("Booking created?", "={{ $json.body.triggerEvent }}", "string", "equals", "BOOKING_CREATED"),
          at=(240, 480))
    w.add(postgres(
        "Store meeting from webhook",
        "with actor as (select set_config('sales.actor', 'workflow:meeting-booking', true)),\n"
        "prospect as (select id, customer_id from sales.prospects where id = nullif($1, '')::uuid),\n"
        "stored as (\n"
        "  insert into sales.meetings (customer_id, prospect_id, calcom_uid, start_at, end_at, meeting_url, status)\n"
        "  select p.customer_id, p.id, $2::text, $3::timestamptz, $4::timestamptz, $5::text, 'accepted' from prospect p, actor\n"
        "  on conflict (calcom_uid) do update set start_at = excluded.start_at, end_at = excluded.end_at\n"
        "  returning id, customer_id, prospect_id, calcom_uid, start_at),\n"
        "marked as (update sales.prospects set status = 'meeting_booked' where id in (select prospect_id from stored))\n"
        "select id as meeting_id, customer_id, prospect_id, calcom_uid, start_at from stored",
        ["$json.body.payload.metadata?.prospectId ?? ''", "$json.body.payload.uid", "$json.body.payload.startTime",
         "$json.body.payload.endTime", "$json.body.payload.videoCallData?.url ?? null"]), at=(480, 480))
    w.x = 960
    w.add(postgres(
        "Publish activity",
        "insert into sales.activity_events (customer_id, kind, payload)\n"
        "values ($1::uuid, 'meeting.booked', jsonb_build_object('meetingId', $2::text, 'prospectId', $3::text, 'calcomUid', $4::text,\n"
        "        'start', $5::text))\n"
        "returning id",
        ["$json.customer_id", "$json.meeting_id", "$json.prospect_id", "$json.calcom_uid", "$json.start_at"]),
        at=(1200, 340))
    w.chain("Book for a prospect", "Load prospect", "Pick slot", "Create booking", "Store meeting",
            "Publish activity")
    w.chain("Cal.com booking webhook", "Booking created?")
    w.connect("Booking created?", "Store meeting from webhook", 0)
    w.chain("Store meeting from webhook", "Publish activity")
    return w


# ---------------------------------------------------------------------------------------------
# 6. Gateway


def gateway_options(schema, per_minute=30):
    """flowrun serve's gateway options (the node's `flowrun` key): per-subject rate limit, body size
    limit and JSON Schema; the JWT itself is checked with the jwtAuth credential, as in n8n."""
    return {
        "rateLimit": {"limit": per_minute, "windowSeconds": 60, "by": "jwtSub"},
        "maxBodyBytes": 65536,
        "schema": schema,
    }


def gateway(wid, name, path, function, schema, after=None):
    w = Workflow(wid, name, ["sales-machine", "gateway"])
    w.add(webhook("Request", path, "jwtAuth", "jwt", gateway=gateway_options(schema)))
    w.add(postgres(
        "Run as the caller",
        "select sales.%s($1::jsonb, $2::jsonb) as result" % function,
        ["JSON.stringify($json.jwtPayload)", "JSON.stringify($json.body ?? {})"],
        onError="continueErrorOutput"))
    w.add(respond("Respond", "={{ JSON.stringify($json.result) }}"))
    w.add(respond("Refuse", "={{ JSON.stringify({ error: 'the request could not be processed' }) }}", 422),
          at=(720, 480))
    w.chain("Request", "Run as the caller", "Respond")
    w.connect("Run as the caller", "Refuse", 1)
    if after:
        after(w)
    return w


OBJ = {"type": "object"}
UUID = {"type": "string", "format": "uuid"}


def onboarding():
    schema = {
        "type": "object",
        "required": ["company", "senderMailbox", "campaign"],
        "properties": {
            "company": {"type": "string", "minLength": 1, "maxLength": 200},
            "senderMailbox": {"type": "string", "format": "email"},
            "senderName": {"type": "string", "maxLength": 200},
            "timezone": {"type": "string"},
            "businessHoursStart": {"type": "integer", "minimum": 0, "maximum": 23},
            "businessHoursEnd": {"type": "integer", "minimum": 1, "maximum": 24},
            "dailySendLimit": {"type": "integer", "minimum": 1, "maximum": 200},
            "vipDomains": {"type": "array", "items": {"type": "string"}},
            "campaign": {
                "type": "object",
                "required": ["name", "searchQuery"],
                "properties": {
                    "name": {"type": "string", "minLength": 1},
                    "searchQuery": {"type": "string", "minLength": 1},
                    "icp": OBJ,
                    "phantombusterAgentId": {"type": "string"},
                    "instantlyCampaignId": {"type": "string"},
                    "calcomEventTypeId": {"type": "integer"},
                },
            },
        },
    }

    def scrape_after(w):
        w.add(execute_workflow("Start scraping", "sales-linkedin-scraper", wait=False))
        w.node("Start scraping")["parameters"]["mode"] = "once"
        w.add(code("Campaign to scrape", "return [{ json: { campaignId: $('Run as the caller').first().json.result.campaignId } }];"))
        w.chain("Respond", "Campaign to scrape", "Start scraping")

    return gateway("sales-gateway-onboarding", "Sales Machine gateway: onboarding", "sales/onboarding",
                   "gw_onboard", schema, scrape_after)


def campaigns():
    schema = {"type": "object", "properties": {
        "action": {"enum": ["list", "create", "pause", "resume"]}, "id": UUID, "name": {"type": "string"},
        "searchQuery": {"type": "string"}, "icp": OBJ, "phantombusterAgentId": {"type": "string"},
        "instantlyCampaignId": {"type": "string"}, "calcomEventTypeId": {"type": "integer"}}}
    return gateway("sales-gateway-campaigns", "Sales Machine gateway: campaigns", "sales/campaigns",
                   "gw_campaigns", schema)


def prospects():
    schema = {"type": "object", "properties": {
        "campaignId": UUID, "status": {"type": "string"}, "limit": {"type": "integer", "minimum": 1, "maximum": 500}}}
    return gateway("sales-gateway-prospects", "Sales Machine gateway: prospects", "sales/prospects",
                   "gw_prospects", schema)


def ai_review():
    schema = {"type": "object", "properties": {
        "action": {"enum": ["list", "approve", "edit", "reject"]}, "id": UUID,
        "answer": {"type": "string", "minLength": 1, "maxLength": 5000}}}
    return gateway("sales-gateway-ai-review", "Sales Machine gateway: AI review", "sales/review",
                   "gw_review", schema)


def gdpr_erasure():
    schema = {"type": "object", "required": ["prospectId"], "properties": {"prospectId": UUID}}

    def purge_cache(w):
        # The database rows are gone; the cached enrichment goes too, before the answer.
        w.connections["Run as the caller"]["main"][0] = []
        w.add(redis_delete("Delete cached enrichment", "=sales:enrichment:{{ $json.result.prospectId }}"))
        w.node("Delete cached enrichment")["alwaysOutputData"] = True
        w.connect("Run as the caller", "Delete cached enrichment", 0)
        w.chain("Delete cached enrichment", "Respond")
        w.node("Respond")["parameters"]["responseBody"] = "={{ JSON.stringify($('Run as the caller').item.json.result) }}"

    return gateway("sales-gateway-gdpr-erasure", "Sales Machine gateway: GDPR erasure", "sales/gdpr/erase",
                   "gw_erase", schema, purge_cache)


def error_notifier():
    w = Workflow("sales-error-notifier", "Sales Machine: error notifier", ["sales-machine"])
    w.add({"name": "On workflow error", "type": "n8n-nodes-base.errorTrigger", "typeVersion": 1, "parameters": {}})
    w.add(postgres(
        "Record failure",
        "insert into sales.audit_log (action, actor, purpose, details)\n"
        "values ('workflow.failed', 'workflow:error-notifier', 'operations',\n"
        "        jsonb_build_object('workflow', $1::text, 'node', $2::text, 'executionId', $3::text))\n"
        "returning id",
        ["$json.workflow?.name ?? ''", "$json.execution?.lastNodeExecuted ?? ''", "$json.execution?.id ?? ''"]))
    w.add(postgres("Tell the dashboard", "select pg_notify('sales_errors', $1)",
                   ["JSON.stringify({ workflow: $('On workflow error').item.json.workflow?.name })"]))
    w.chain("On workflow error", "Record failure", "Tell the dashboard")
    return w


WORKFLOWS = {
    "linkedin-scraper": linkedin_scraper,
    "ai-enrichment": ai_enrichment,
    "email-scheduler": email_scheduler,
    "ai-conversation": ai_conversation,
    "meeting-booking": meeting_booking,
    "gateway-onboarding": onboarding,
    "gateway-campaigns": campaigns,
    "gateway-prospects": prospects,
    "gateway-ai-review": ai_review,
    "gateway-gdpr-erasure": gdpr_erasure,
    "error-notifier": error_notifier,
}


def write(path, doc):
    with open(path, "w") as f:
        json.dump(doc, f, indent=2, ensure_ascii=False)
        f.write("\n")


if __name__ == "__main__":
    import tests
    for name, build in WORKFLOWS.items():
        write(os.path.join(OUT, name + ".json"), build().document())
    os.makedirs(os.path.join(OUT, "tests"), exist_ok=True)
    for name, doc in tests.all_tests(WORKFLOWS).items():
        write(os.path.join(OUT, "tests", name + ".json"), doc)
