-- Meeting slots: each booking first reserves its half hour here, so replies qualified at the same
-- moment (Instantly posts them concurrently) never ask Cal.com for the same start time.

create table sales.meeting_slots (
    customer_id uuid not null references sales.customers (id) on delete cascade,
    prospect_id uuid not null unique references sales.prospects (id) on delete cascade,
    start_at timestamptz not null,
    reserved_at timestamptz not null default now(),
    primary key (customer_id, start_at)
);

alter table sales.meeting_slots enable row level security;
create policy meeting_slots_own on sales.meeting_slots for all to authenticated
    using (customer_id = sales.current_customer_id()) with check (customer_id = sales.current_customer_id());
grant select on sales.meeting_slots to authenticated, service_role;

-- The prospect's slot: the one it already has (a retried booking), else the first free half hour
-- from 10:00 (or the opening hour, if later) on the next business days, in the customer's time zone.
-- One caller per customer at a time (transaction-scoped advisory lock); each statement after the
-- lock sees the slots reserved by callers that went before.
create or replace function sales.reserve_meeting_slot(p_prospect uuid, p_now timestamptz) returns timestamptz
language plpgsql
as $$
declare
    c record;
    day date;
    slot timestamptz;
    first_hour integer;
    last_hour integer;
begin
    select p.customer_id, cu.timezone, cu.business_days, cu.business_hours_start, cu.business_hours_end into c
    from sales.prospects p join sales.customers cu on cu.id = p.customer_id
    where p.id = p_prospect;
    if not found then
        raise exception 'sales.reserve_meeting_slot: no prospect %', p_prospect using errcode = 'P0002';
    end if;
    perform pg_advisory_xact_lock(hashtext('sales.meeting_slots:' || c.customer_id::text));
    select s.start_at into slot from sales.meeting_slots s where s.prospect_id = p_prospect;
    if found then
        return slot;
    end if;
    first_hour := greatest(coalesce(c.business_hours_start, 9), 10);
    last_hour := greatest(coalesce(c.business_hours_end, 17), first_hour + 1);
    day := (p_now at time zone c.timezone)::date + 1;
    for attempt in 1 .. 366 loop
        if extract(isodow from day)::smallint = any (c.business_days) then
            for i in 0 .. (last_hour - first_hour) * 2 - 1 loop
                slot := (day + make_interval(hours => first_hour, mins => 30 * i)) at time zone c.timezone;
                if not exists (select 1 from sales.meeting_slots s where s.customer_id = c.customer_id and s.start_at = slot) then
                    insert into sales.meeting_slots (customer_id, prospect_id, start_at) values (c.customer_id, p_prospect, slot);
                    return slot;
                end if;
            end loop;
        end if;
        day := day + 1;
    end loop;
    raise exception 'sales.reserve_meeting_slot: no free slot within a year' using errcode = 'P0001';
end
$$;
