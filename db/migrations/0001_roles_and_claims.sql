-- Roles and JWT claims as on Supabase.
-- The gateway runs each customer request in a transaction that starts with
--   set local role authenticated;
--   select set_config('request.jwt.claims', '<the verified JWT payload as JSON>', true);
-- so row-level security sees who is asking. Background workflows connect as the database owner or as
-- service_role, which bypass row-level security like Supabase's service key.

do $$
begin
    if not exists (select 1 from pg_roles where rolname = 'anon') then
        create role anon nologin noinherit;
    end if;
    if not exists (select 1 from pg_roles where rolname = 'authenticated') then
        create role authenticated nologin noinherit;
    end if;
    if not exists (select 1 from pg_roles where rolname = 'service_role') then
        create role service_role nologin noinherit bypassrls;
    end if;
    -- The role that applies the migrations (and that flowrun connects as) must be able to
    -- `set local role` to both, as Supabase's authenticator can.
    execute format('grant authenticated to %I', current_user);
    execute format('grant service_role to %I', current_user);
end
$$;

create schema if not exists sales;
grant usage on schema sales to authenticated, service_role;

-- The verified JWT payload of the current request, or null outside a request.
create or replace function sales.jwt_claims() returns jsonb
language sql stable
as $$
    select nullif(current_setting('request.jwt.claims', true), '')::jsonb
$$;

-- The user id (`sub`) of the current request.
create or replace function sales.current_user_id() returns text
language sql stable
as $$
    select sales.jwt_claims() ->> 'sub'
$$;
