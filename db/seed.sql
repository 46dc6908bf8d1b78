-- Seed data: the shared email templates and a demo customer (owner = the demo JWT's sub).
-- Idempotent: run it again and nothing changes.

insert into sales.email_templates (customer_id, name, language, subject, body)
values
    (null, 'first-touch-en', 'en', 'Quick idea for {{company_name}}',
     E'Hi {{first_name}},\n\n{{talking_point}}\n\nWould a 20-minute call next week be useful?\n\n{{sender_name}}'),
    (null, 'first-touch-de', 'de', 'Kurze Idee für {{company_name}}',
     E'Hallo {{first_name}},\n\n{{talking_point}}\n\nHätten Sie nächste Woche 20 Minuten für ein Gespräch?\n\n{{sender_name}}'),
    (null, 'answer-en', 'en', 'Re: {{subject}}',
     E'Hi {{first_name}},\n\n{{answer}}\n\n{{sender_name}}')
on conflict do nothing;

insert into sales.customers (id, owner_user_id, name, timezone, business_hours_start, business_hours_end,
                             sender_mailbox, sender_name, daily_send_limit, vip_domains)
values ('00000000-0000-4000-8000-0000000000a1', '00000000-0000-4000-8000-00000000000a', 'Demo Founder GmbH',
        'Europe/Berlin', 9, 17, 'founder@demo-founder.example', 'Dana from Demo Founder', 20,
        '{goldcrest-ai.example}')
on conflict (owner_user_id) do nothing;
