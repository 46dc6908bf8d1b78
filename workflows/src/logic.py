"""The JavaScript of the Sales Machine's Code nodes (shared by the workflows and their tests)."""

PROFILES_TO_PROSPECTS = r"""// PhantomBuster's result object (a JSON text) -> one prospect row per LinkedIn profile.
// LinkedIn URLs are normalised (no query, one trailing slash, lower case) so the upsert dedupes them.
const out = [];
const seen = new Set();
for (const item of $input.all()) {
  const { campaign_id, customer_id, result_object } = item.json;
  let profiles;
  try {
    profiles = JSON.parse(result_object || '[]');
  } catch (error) {
    throw new Error('PhantomBuster result object is not JSON');
  }
  for (const p of Array.isArray(profiles) ? profiles : []) {
    if (!p.profileUrl) continue;
    const url = String(p.profileUrl).split('?')[0].replace(/\/+$/, '').toLowerCase() + '/';
    if (seen.has(customer_id + ' ' + url)) continue;
    seen.add(customer_id + ' ' + url);
    const website = p.companyDomain || String(p.companyUrl || '').replace(/^https?:\/\/(www\.)?/, '').split('/')[0];
    out.push({ json: {
      customer_id,
      campaign_id,
      linkedin_url: url,
      full_name: p.fullName || [p.firstName, p.lastName].filter(Boolean).join(' ') || null,
      first_name: p.firstName || null,
      last_name: p.lastName || null,
      title: p.title || p.job || null,
      company_name: p.companyName || null,
      company_domain: website || null,
      email: p.email || p.professionalEmail || null,
      location: p.location || null,
    } });
  }
}
return out;
"""

BUILD_ENRICHMENT = r"""// BuiltWith's technologies + Claude's talking points -> the enrichment record.
const prospect = $('Load prospect').item.json;
const lookup = $('BuiltWith lookup').item.json;
const tech = [];
for (const result of lookup.Results || []) {
  for (const path of (result.Result && result.Result.Paths) || []) {
    for (const t of path.Technologies || []) if (t.Name && !tech.includes(t.Name)) tech.push(t.Name);
  }
}
const text = (($json.content || []).filter(c => c.type === 'text').map(c => c.text).join('')) || $json.text || '';
let points = [];
try {
  const match = text.match(/\{[\s\S]*\}/);
  const parsed = JSON.parse(match ? match[0] : text);
  points = parsed.talkingPoints || parsed.talking_points || [];
} catch (error) {
  points = [];
}
if (!Array.isArray(points) || points.length === 0) {
  // The model answered without usable JSON: a neutral point from the data we have.
  points = [tech.length
    ? `I noticed ${prospect.company_name || 'your team'} runs ${tech.slice(0, 2).join(' and ')}.`
    : `I came across ${prospect.company_name || 'your company'} while looking at teams like yours.`];
}
return { json: {
  prospect_id: prospect.id,
  customer_id: prospect.customer_id,
  tech_stack: tech,
  talking_points: points.map(String).slice(0, 3),
  model: 'claude-sonnet-4-20250514',
  from_cache: false,
} };
"""

FROM_CACHE = r"""// A cache hit: the stored enrichment, marked as such; Claude and BuiltWith are not called.
const prospect = $('Load prospect').item.json;
const cached = typeof $json.cached === 'string' ? JSON.parse($json.cached) : $json.cached;
return { json: {
  prospect_id: prospect.id,
  customer_id: prospect.customer_id,
  tech_stack: cached.tech_stack || [],
  talking_points: cached.talking_points || [],
  model: cached.model || null,
  from_cache: true,
} };
"""

RENDER_EMAIL = r"""// The customer's template with the prospect's fields and the first talking point.
const p = $('Load prospect').item.json;
const e = $('Store enrichment').item.json;
const vars = {
  first_name: p.first_name || String(p.full_name || '').split(' ')[0] || 'there',
  company_name: p.company_name || 'your team',
  talking_point: (e.talking_points || [])[0] || '',
  sender_name: p.sender_name || '',
};
const render = (s) => String(s).replace(/\{\{\s*(\w+)\s*\}\}/g, (_, k) => (k in vars ? vars[k] : ''));
return { json: {
  customer_id: p.customer_id,
  prospect_id: p.id,
  campaign_id: p.campaign_id,
  sender_mailbox: p.sender_mailbox,
  to_email: p.email,
  subject: render($json.subject),
  body: render($json.body),
} };
"""

INSTANTLY_REQUEST = r"""// A queued email -> the Instantly call that sends it: a first touch adds the lead to the
// customer's campaign (its one step sends {{subject}}/{{body}}); an answer replies in the thread.
const e = $json;
if (e.kind === 'answer') {
  return { json: { ...e, endpoint: '/api/v2/emails/reply', request: {
    eaccount: e.sender_mailbox,
    reply_to_uuid: e.reply_to_uuid,
    subject: e.subject,
    body: { text: e.body },
  } } };
}
return { json: { ...e, endpoint: '/api/v2/leads', request: {
  campaign: e.instantly_campaign_id,
  email: e.to_email,
  first_name: e.first_name,
  last_name: e.last_name,
  company_name: e.company_name,
  skip_if_in_campaign: true,
  custom_variables: { subject: e.subject, body: e.body, queue_id: e.id },
} } };
"""

DECIDE = r"""// Claude's qualification -> what happens next. VIP accounts and anything under 0.7 confidence go
// to a human; interested leads get a meeting; questions get the suggested answer; the rest close.
const reply = $('Store reply').item.json;
const text = (($json.content || []).filter(c => c.type === 'text').map(c => c.text).join('')) || $json.text || '';
let q = {};
try {
  const match = text.match(/\{[\s\S]*\}/);
  q = JSON.parse(match ? match[0] : text);
} catch (error) {
  q = {};
}
const intents = ['interested', 'question', 'not_interested', 'out_of_office', 'unclear'];
const intent = intents.includes(q.intent) ? q.intent : 'unclear';
let confidence = Number(q.confidence);
if (!Number.isFinite(confidence)) confidence = 0;
confidence = Math.min(1, Math.max(0, confidence));
const answer = typeof q.suggestedAnswer === 'string' ? q.suggestedAnswer : (q.suggested_answer || '');
let decision;
let reason = null;
if (reply.is_vip) { decision = 'review'; reason = 'vip'; }
else if (confidence < 0.7) { decision = 'review'; reason = 'low_confidence'; }
else if (intent === 'interested') decision = 'book_meeting';
else if (intent === 'question') {
  if (answer) decision = 'answer'; else { decision = 'review'; reason = 'low_confidence'; }
}
else decision = 'close';
return { json: {
  reply_id: reply.reply_id,
  prospect_id: reply.prospect_id,
  customer_id: reply.customer_id,
  instantly_email_id: reply.instantly_email_id,
  intent,
  confidence,
  suggested_answer: answer,
  decision,
  reason,
} };
"""

PICK_SLOT = r"""// The slot the database reserved, else the next free half hour from 10:00 on the next business day, in the customer's time zone:
// slot n = the n-th meeting already booked for the customer from that day on. `now` is the
// workflow's clock, passed through the query so tests and replays are deterministic.
const p = $json;
const tz = p.timezone || 'UTC';
const days = p.business_days || [1, 2, 3, 4, 5];
const first = Math.max(p.business_hours_start || 9, 10);
const last = p.business_hours_end || 17;
const perDay = Math.max(1, (last - first) * 2);
const given = p.now ? DateTime.fromISO(String(p.now).replace(' ', 'T')) : null;
const now = given && given.isValid ? given : $now;
let day = now.setZone(tz).plus({ days: 1 }).startOf('day');
while (!days.includes(day.weekday)) day = day.plus({ days: 1 });
let n = Number(p.booked_count || 0);
while (n >= perDay) {
  day = day.plus({ days: 1 });
  while (!days.includes(day.weekday)) day = day.plus({ days: 1 });
  n -= perDay;
}
// The database reserves the slot (sales.reserve_meeting_slot) so concurrent bookings never collide;
// without a reservation the n-th free half hour is computed here.
const reserved = p.slot_start ? DateTime.fromISO(String(p.slot_start).replace(' ', 'T')) : null;
const start = reserved && reserved.isValid ? reserved : day.set({ hour: first, minute: 0 }).plus({ minutes: 30 * n });
return { json: {
  prospect_id: p.id,
  customer_id: p.customer_id,
  booking: {
    start: start.toUTC().toISO({ suppressMilliseconds: true }),
    eventTypeId: Number(p.calcom_event_type_id),
    lengthInMinutes: 30,
    attendee: { name: p.full_name || p.email, email: p.email, timeZone: tz, language: 'en' },
    metadata: { prospectId: String(p.id), customerId: String(p.customer_id) },
  },
} };
"""
