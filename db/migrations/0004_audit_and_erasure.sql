-- An audit row for every processing of personal data: triggers on every table holding it, so no
-- workflow can forget one. Workflows add rows for processing outside the database (an email sent, a
-- model called) with sales.audit(...).

-- Who is acting: the workflow (set with `set local sales.actor = 'workflow:<name>'`), else the
-- request's user, else the database role.
create or replace function sales.current_actor() returns text
language sql stable
as $$
    select coalesce(
        nullif(current_setting('sales.actor', true), ''),
        'user:' || sales.current_user_id(),
        'role:' || current_user
    )
$$;

create or replace function sales.audit(
    p_customer uuid, p_prospect uuid, p_action text, p_purpose text, p_details jsonb default '{}'
) returns void
language sql security definer
set search_path = sales, pg_temp
as $$
    insert into sales.audit_log (customer_id, prospect_id, action, actor, purpose, details)
    values (p_customer, p_prospect, p_action, sales.current_actor(), p_purpose, coalesce(p_details, '{}'))
$$;
grant execute on function sales.audit(uuid, uuid, text, text, jsonb), sales.current_actor()
    to authenticated, service_role;

create or replace function sales.audit_row() returns trigger
language plpgsql security definer
set search_path = sales, pg_temp
as $$
declare
    r jsonb := to_jsonb(coalesce(new, old));
    changed text[];
    prospect uuid;
begin
    prospect := case when tg_table_name = 'prospects' then (r ->> 'id')::uuid
                     else (r ->> 'prospect_id')::uuid end;
    if tg_op = 'UPDATE' then
        select array_agg(n.key order by n.key) into changed
        from jsonb_each(to_jsonb(new)) n join jsonb_each(to_jsonb(old)) o using (key)
        where n.value is distinct from o.value;
    end if;
    insert into sales.audit_log (customer_id, prospect_id, action, actor, purpose, details)
    values (
        (r ->> 'customer_id')::uuid, prospect, tg_table_name || '.' || lower(tg_op), sales.current_actor(),
        tg_argv[0],
        jsonb_build_object('table', tg_table_name, 'id', r ->> 'id')
            || case when changed is null then '{}'::jsonb else jsonb_build_object('columns', to_jsonb(changed)) end);
    return null;
end
$$;

do $$
declare
    t text;
    purpose text;
begin
    for t, purpose in values
        ('prospects', 'prospecting'), ('enrichments', 'enrichment'), ('email_queue', 'outreach'),
        ('replies', 'reply handling'), ('ai_review_queue', 'human review'), ('meetings', 'meeting booking')
    loop
        execute format(
            'create trigger %I after insert or update or delete on sales.%I '
            'for each row execute function sales.audit_row(%L)',
            t || '_audit', t, purpose);
    end loop;
end
$$;

create or replace function sales.touch_updated_at() returns trigger
language plpgsql
as $$
begin
    new.updated_at := now();
    return new;
end
$$;
create trigger prospects_touch before update on sales.prospects
    for each row execute function sales.touch_updated_at();

-- GDPR erasure: deletes a prospect and everything derived from it (the cascades remove enrichments,
-- queued emails, replies, review items and meetings; each deletion is audited by its trigger), then
-- records the erasure itself. Runs with the caller's rights, so row-level security limits a customer
-- to their own prospects. Returns the number of prospect rows erased (0 or 1).
create or replace function sales.erase_prospect(p_prospect uuid) returns integer
language plpgsql
as $$
declare
    customer uuid;
begin
    delete from sales.prospects where id = p_prospect returning customer_id into customer;
    if customer is null then
        return 0;
    end if;
    perform sales.audit(customer, p_prospect, 'prospect.erased', 'gdpr erasure', '{}');
    return 1;
end
$$;
grant execute on function sales.erase_prospect(uuid) to authenticated, service_role;

-- Activity events reach a listening dashboard at once.
create or replace function sales.notify_activity() returns trigger
language plpgsql
as $$
begin
    perform pg_notify('sales_activity', json_build_object(
        'id', new.id, 'customer_id', new.customer_id, 'kind', new.kind)::text);
    return null;
end
$$;
create trigger activity_events_notify after insert on sales.activity_events
    for each row execute function sales.notify_activity();
