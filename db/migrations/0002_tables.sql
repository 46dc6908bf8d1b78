-- The Sales Machine's tables. Every customer-owned row carries customer_id; prospects are unique per
-- customer by LinkedIn URL.

create extension if not exists pgcrypto;

create table sales.customers (
    id uuid primary key default gen_random_uuid(),
    owner_user_id text not null unique,          -- the Supabase auth user id (JWT `sub`)
    name text not null,
    timezone text not null default 'UTC',        -- IANA name; business hours are local to it
    business_hours_start smallint not null default 9 check (business_hours_start between 0 and 23),
    business_hours_end smallint not null default 17 check (business_hours_end between 1 and 24),
    business_days smallint[] not null default '{1,2,3,4,5}',  -- ISO weekdays, Monday = 1
    sender_mailbox text not null,                -- the Instantly sending account
    sender_name text not null default '',
    daily_send_limit integer not null default 20 check (daily_send_limit > 0),
    vip_domains text[] not null default '{}',    -- replies from these go to human review
    created_at timestamptz not null default now()
);

create table sales.campaigns (
    id uuid primary key default gen_random_uuid(),
    customer_id uuid not null references sales.customers (id) on delete cascade,
    name text not null,
    icp jsonb not null default '{}',             -- ideal-customer profile: titles, industries, regions...
    search_query text not null,                  -- the LinkedIn search the PhantomBuster agent runs
    phantombuster_agent_id text,
    instantly_campaign_id text,
    calcom_event_type_id integer,
    template_name text not null default 'first-touch-en',
    status text not null default 'active' check (status in ('draft', 'active', 'paused', 'done')),
    last_scraped_at timestamptz,
    created_at timestamptz not null default now()
);
create index campaigns_customer on sales.campaigns (customer_id);

create table sales.prospects (
    id uuid primary key default gen_random_uuid(),
    customer_id uuid not null references sales.customers (id) on delete cascade,
    campaign_id uuid references sales.campaigns (id) on delete set null,
    linkedin_url text not null,
    full_name text,
    first_name text,
    last_name text,
    title text,
    company_name text,
    company_domain text,
    email text,
    location text,
    status text not null default 'new' check (status in (
        'new', 'enriched', 'queued', 'contacted', 'replied', 'review', 'qualified',
        'meeting_booked', 'closed')),
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    unique (customer_id, linkedin_url)
);
create index prospects_campaign on sales.prospects (campaign_id);
create index prospects_email on sales.prospects (customer_id, email);

create table sales.enrichments (
    id uuid primary key default gen_random_uuid(),
    customer_id uuid not null references sales.customers (id) on delete cascade,
    prospect_id uuid not null unique references sales.prospects (id) on delete cascade,
    tech_stack jsonb not null default '[]',
    talking_points jsonb not null default '[]',
    model text,
    from_cache boolean not null default false,
    created_at timestamptz not null default now()
);

-- customer_id null: a template every customer may use.
create table sales.email_templates (
    id uuid primary key default gen_random_uuid(),
    customer_id uuid references sales.customers (id) on delete cascade,
    name text not null,
    language text not null default 'en',
    subject text not null,
    body text not null,
    created_at timestamptz not null default now()
);
create unique index email_templates_name on sales.email_templates (coalesce(customer_id, '00000000-0000-0000-0000-000000000000'::uuid), name);

create table sales.email_queue (
    id uuid primary key default gen_random_uuid(),
    customer_id uuid not null references sales.customers (id) on delete cascade,
    prospect_id uuid not null references sales.prospects (id) on delete cascade,
    campaign_id uuid references sales.campaigns (id) on delete set null,
    kind text not null default 'outreach' check (kind in ('outreach', 'answer')),
    sender_mailbox text not null,
    to_email text not null,
    subject text not null,
    body text not null,
    reply_to_uuid text,                          -- for answers: the Instantly email replied to
    status text not null default 'queued' check (status in ('queued', 'sending', 'sent', 'failed', 'discarded')),
    not_before timestamptz not null default now(),
    attempts integer not null default 0,
    provider_id text,                            -- Instantly's lead or email id once sent
    last_error text,
    sent_at timestamptz,
    created_at timestamptz not null default now(),
    unique (prospect_id, kind, subject)
);
create index email_queue_due on sales.email_queue (status, not_before);

create table sales.replies (
    id uuid primary key default gen_random_uuid(),
    customer_id uuid not null references sales.customers (id) on delete cascade,
    prospect_id uuid not null references sales.prospects (id) on delete cascade,
    instantly_email_id text not null unique,     -- webhook deliveries are deduplicated on it
    reply_text text not null,
    intent text,
    confidence numeric(4, 3),
    suggested_answer text,
    decision text check (decision in ('answer', 'book_meeting', 'close', 'review')),
    received_at timestamptz not null default now()
);

create table sales.ai_review_queue (
    id uuid primary key default gen_random_uuid(),
    customer_id uuid not null references sales.customers (id) on delete cascade,
    prospect_id uuid not null references sales.prospects (id) on delete cascade,
    reply_id uuid not null references sales.replies (id) on delete cascade,
    intent text not null,
    confidence numeric(4, 3) not null,
    suggested_answer text not null,
    reason text not null check (reason in ('low_confidence', 'vip')),
    status text not null default 'pending' check (status in ('pending', 'approved', 'edited', 'rejected')),
    final_answer text,
    reviewed_by text,
    reviewed_at timestamptz,
    created_at timestamptz not null default now()
);
create index ai_review_pending on sales.ai_review_queue (customer_id, status);

create table sales.meetings (
    id uuid primary key default gen_random_uuid(),
    customer_id uuid not null references sales.customers (id) on delete cascade,
    prospect_id uuid references sales.prospects (id) on delete cascade,
    calcom_uid text not null unique,
    start_at timestamptz not null,
    end_at timestamptz not null,
    meeting_url text,
    status text not null default 'accepted',
    created_at timestamptz not null default now()
);

-- No foreign key to prospects: audit rows outlive an erased prospect (they hold no personal data).
create table sales.audit_log (
    id bigserial primary key,
    customer_id uuid,
    prospect_id uuid,
    action text not null,                        -- e.g. prospects.insert, email.sent, prospect.erased
    actor text not null,                         -- user:<sub>, workflow:<name> or the database role
    purpose text,
    details jsonb not null default '{}',         -- column names and ids only, never personal data
    created_at timestamptz not null default now()
);
create index audit_log_customer on sales.audit_log (customer_id, created_at);

-- Events the dashboard reads (and receives by LISTEN sales_activity).
create table sales.activity_events (
    id bigserial primary key,
    customer_id uuid not null references sales.customers (id) on delete cascade,
    kind text not null,
    payload jsonb not null default '{}',
    created_at timestamptz not null default now()
);
