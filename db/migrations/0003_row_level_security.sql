-- Row-level security: a request under role `authenticated` sees and writes only its customer's rows.
-- The customer comes from the JWT claims: a `customer_id` claim (top level or in app_metadata, as a
-- Supabase custom-claims hook sets it) or else the customer whose owner is `sub`.

create or replace function sales.current_customer_id() returns uuid
language sql stable security definer
set search_path = sales, pg_temp
as $$
    select coalesce(
        (sales.jwt_claims() ->> 'customer_id')::uuid,
        (sales.jwt_claims() -> 'app_metadata' ->> 'customer_id')::uuid,
        (select c.id from sales.customers c where c.owner_user_id = sales.current_user_id())
    )
$$;
revoke all on function sales.current_customer_id() from public;
grant execute on function sales.jwt_claims(), sales.current_user_id(), sales.current_customer_id()
    to authenticated, service_role;

grant select, insert, update, delete on all tables in schema sales to authenticated, service_role;
grant usage, select on all sequences in schema sales to authenticated, service_role;
-- The audit log is append-only for everyone but its owner.
revoke update, delete on sales.audit_log from authenticated, service_role;

alter table sales.customers enable row level security;
create policy customers_own on sales.customers for all to authenticated
    using (owner_user_id = sales.current_user_id() or id = sales.current_customer_id())
    with check (owner_user_id = sales.current_user_id());

do $$
declare
    t text;
begin
    foreach t in array array[
        'campaigns', 'prospects', 'enrichments', 'email_queue', 'replies', 'ai_review_queue', 'meetings',
        'activity_events'
    ] loop
        execute format('alter table sales.%I enable row level security', t);
        execute format(
            'create policy %I on sales.%I for all to authenticated '
            'using (customer_id = sales.current_customer_id()) '
            'with check (customer_id = sales.current_customer_id())',
            t || '_own', t);
    end loop;
end
$$;

alter table sales.email_templates enable row level security;
create policy email_templates_read on sales.email_templates for select to authenticated
    using (customer_id is null or customer_id = sales.current_customer_id());
create policy email_templates_write on sales.email_templates for all to authenticated
    using (customer_id = sales.current_customer_id())
    with check (customer_id = sales.current_customer_id());

alter table sales.audit_log enable row level security;
create policy audit_log_read on sales.audit_log for select to authenticated
    using (customer_id = sales.current_customer_id());
create policy audit_log_insert on sales.audit_log for insert to authenticated
    with check (customer_id = sales.current_customer_id());
