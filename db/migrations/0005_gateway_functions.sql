-- The gateway's operations. Each takes the verified JWT claims and the request body and starts by
-- doing what Supabase does per request: `set local role authenticated` and `request.jwt.claims`
-- (transaction-local), so every statement after it runs under row-level security. A workflow calls
-- one of them in a single statement with bound parameters:
--   select sales.gw_prospects($1::jsonb, $2::jsonb) as result
-- The role and claims end with that statement's transaction.

create or replace function sales.begin_request(p_claims jsonb) returns void
language plpgsql
as $$
begin
    if p_claims is null or coalesce(p_claims ->> 'sub', '') = '' then
        raise exception 'sales: the request has no JWT subject' using errcode = '28000';
    end if;
    perform set_config('request.jwt.claims', p_claims::text, true);
    perform set_config('role', 'authenticated', true);   -- = set local role authenticated
end
$$;

-- Onboarding: the caller's customer (created on first call) and a first campaign with its ICP.
create or replace function sales.gw_onboard(p_claims jsonb, p_body jsonb) returns jsonb
language plpgsql
as $$
declare
    customer uuid;
    campaign uuid;
begin
    perform sales.begin_request(p_claims);
    insert into sales.customers (owner_user_id, name, timezone, business_hours_start, business_hours_end,
                                 sender_mailbox, sender_name, daily_send_limit, vip_domains)
    values (p_claims ->> 'sub', p_body ->> 'company', coalesce(p_body ->> 'timezone', 'UTC'),
            coalesce((p_body ->> 'businessHoursStart')::smallint, 9), coalesce((p_body ->> 'businessHoursEnd')::smallint, 17),
            p_body ->> 'senderMailbox', coalesce(p_body ->> 'senderName', ''),
            coalesce((p_body ->> 'dailySendLimit')::integer, 20),
            coalesce(array(select jsonb_array_elements_text(p_body -> 'vipDomains')), '{}'))
    on conflict (owner_user_id) do update set name = excluded.name, timezone = excluded.timezone,
        business_hours_start = excluded.business_hours_start, business_hours_end = excluded.business_hours_end,
        sender_mailbox = excluded.sender_mailbox, sender_name = excluded.sender_name,
        daily_send_limit = excluded.daily_send_limit, vip_domains = excluded.vip_domains
    returning id into customer;
    insert into sales.campaigns (customer_id, name, icp, search_query, phantombuster_agent_id,
                                 instantly_campaign_id, calcom_event_type_id)
    values (customer, p_body -> 'campaign' ->> 'name', coalesce(p_body -> 'campaign' -> 'icp', '{}'),
            p_body -> 'campaign' ->> 'searchQuery', p_body -> 'campaign' ->> 'phantombusterAgentId',
            p_body -> 'campaign' ->> 'instantlyCampaignId', (p_body -> 'campaign' ->> 'calcomEventTypeId')::integer)
    returning id into campaign;
    return jsonb_build_object('customerId', customer, 'campaignId', campaign);
end
$$;

-- Campaigns: list (default), create, pause, resume.
create or replace function sales.gw_campaigns(p_claims jsonb, p_body jsonb) returns jsonb
language plpgsql
as $$
declare
    action text := coalesce(p_body ->> 'action', 'list');
    result jsonb;
begin
    perform sales.begin_request(p_claims);
    if action = 'create' then
        insert into sales.campaigns (customer_id, name, icp, search_query, phantombuster_agent_id,
                                     instantly_campaign_id, calcom_event_type_id)
        values (sales.current_customer_id(), p_body ->> 'name', coalesce(p_body -> 'icp', '{}'), p_body ->> 'searchQuery',
                p_body ->> 'phantombusterAgentId', p_body ->> 'instantlyCampaignId', (p_body ->> 'calcomEventTypeId')::integer)
        returning to_jsonb(campaigns.*) into result;
        return jsonb_build_object('campaign', result);
    elsif action in ('pause', 'resume') then
        update sales.campaigns set status = case action when 'pause' then 'paused' else 'active' end
        where id = (p_body ->> 'id')::uuid
        returning to_jsonb(campaigns.*) into result;
        return jsonb_build_object('campaign', result);
    end if;
    select coalesce(jsonb_agg(to_jsonb(c.*) order by c.created_at), '[]') into result from sales.campaigns c;
    return jsonb_build_object('campaigns', result);
end
$$;

-- Prospects of the caller, optionally of one campaign or status; newest first.
create or replace function sales.gw_prospects(p_claims jsonb, p_body jsonb) returns jsonb
language plpgsql
as $$
declare
    result jsonb;
begin
    perform sales.begin_request(p_claims);
    select coalesce(jsonb_agg(row order by row ->> 'createdAt' desc), '[]') into result
    from (
        select jsonb_build_object(
            'id', p.id, 'campaignId', p.campaign_id, 'fullName', p.full_name, 'title', p.title,
            'companyName', p.company_name, 'email', p.email, 'linkedinUrl', p.linkedin_url, 'status', p.status,
            'createdAt', p.created_at) as row
        from sales.prospects p
        where (p_body ->> 'campaignId' is null or p.campaign_id = (p_body ->> 'campaignId')::uuid)
          and (p_body ->> 'status' is null or p.status = p_body ->> 'status')
        order by p.created_at desc
        limit coalesce((p_body ->> 'limit')::integer, 100)
    ) s;
    perform sales.audit(sales.current_customer_id(), null, 'prospects.listed', 'dashboard',
                        jsonb_build_object('count', jsonb_array_length(result)));
    return jsonb_build_object('prospects', result);
end
$$;

-- The review queue: list pending items, or decide one (approve | edit | reject). Approving or
-- editing queues the answer for the email scheduler (rate-limited like every email); rejecting
-- discards it.
create or replace function sales.gw_review(p_claims jsonb, p_body jsonb) returns jsonb
language plpgsql
as $$
declare
    action text := coalesce(p_body ->> 'action', 'list');
    item sales.ai_review_queue;
    answer text;
    result jsonb;
begin
    perform sales.begin_request(p_claims);
    if action = 'list' then
        select coalesce(jsonb_agg(jsonb_build_object(
                   'id', q.id, 'prospectId', q.prospect_id, 'intent', q.intent, 'confidence', q.confidence,
                   'suggestedAnswer', q.suggested_answer, 'reason', q.reason, 'replyText', r.reply_text,
                   'createdAt', q.created_at) order by q.created_at), '[]') into result
        from sales.ai_review_queue q join sales.replies r on r.id = q.reply_id
        where q.status = 'pending';
        return jsonb_build_object('items', result);
    end if;
    if action not in ('approve', 'edit', 'reject') then
        raise exception 'sales: action must be list, approve, edit or reject' using errcode = '22023';
    end if;
    if action = 'edit' and coalesce(p_body ->> 'answer', '') = '' then
        raise exception 'sales: edit needs an answer' using errcode = '22023';
    end if;
    select * into item from sales.ai_review_queue where id = (p_body ->> 'id')::uuid and status = 'pending'
    for update;
    if not found then
        return jsonb_build_object('error', 'not found or already decided');
    end if;
    answer := case action when 'edit' then p_body ->> 'answer' else item.suggested_answer end;
    update sales.ai_review_queue
    set status = case action when 'approve' then 'approved' when 'edit' then 'edited' else 'rejected' end,
        final_answer = case when action = 'reject' then null else answer end,
        reviewed_by = p_claims ->> 'sub', reviewed_at = now()
    where id = item.id;
    if action = 'reject' then
        update sales.prospects set status = 'closed' where id = item.prospect_id;
        return jsonb_build_object('id', item.id, 'status', 'rejected');
    end if;
    insert into sales.email_queue (customer_id, prospect_id, campaign_id, kind, sender_mailbox, to_email, subject,
                                   body, reply_to_uuid)
    select p.customer_id, p.id, p.campaign_id, 'answer', c.sender_mailbox, p.email, 'Re: ' || coalesce(cp.name, ''),
           answer, r.instantly_email_id
    from sales.prospects p
    join sales.customers c on c.id = p.customer_id
    join sales.replies r on r.id = item.reply_id
    left join sales.campaigns cp on cp.id = p.campaign_id
    where p.id = item.prospect_id
    on conflict do nothing;
    return jsonb_build_object('id', item.id, 'status', case action when 'approve' then 'approved' else 'edited' end,
                              'queued', true);
end
$$;

-- GDPR erasure of one of the caller's prospects; returns the cache keys the workflow must delete.
create or replace function sales.gw_erase(p_claims jsonb, p_body jsonb) returns jsonb
language plpgsql
as $$
declare
    prospect uuid := (p_body ->> 'prospectId')::uuid;
    erased integer;
begin
    perform sales.begin_request(p_claims);
    erased := sales.erase_prospect(prospect);
    return jsonb_build_object('prospectId', prospect, 'erased', erased = 1,
                              'cacheKeys', jsonb_build_array('sales:enrichment:' || prospect));
end
$$;

grant execute on function sales.begin_request(jsonb), sales.gw_onboard(jsonb, jsonb), sales.gw_campaigns(jsonb, jsonb),
    sales.gw_prospects(jsonb, jsonb), sales.gw_review(jsonb, jsonb), sales.gw_erase(jsonb, jsonb)
    to authenticated, service_role;
