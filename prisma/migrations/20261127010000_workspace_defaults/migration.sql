-- What every workspace starts with (not only the demo): consent purposes, classification rules and
-- retention policies. Inserted once, by this migration; admins change them afterwards. The same
-- values are lib/consent/purposes.ts, lib/classify/default-rules.ts and lib/retention/default-policies.ts,
-- and lib/db/workspace-defaults.db.test.ts keeps the two in step. A table that already has rows (a
-- database seeded before this migration existed) is left as it is.

INSERT INTO "consent_purposes" ("key", "name", "description", "legal_basis", "default_granted", "notice_version", "is_sale_or_sharing", "drop_unconsented", "sort_order")
SELECT * FROM (VALUES
    ('essential', 'Essential operation', 'Security, fraud prevention and keeping the service running.', 'contract'::"LegalBasis", true, '2026-11', false, false, 0),
    ('analytics', 'Product analytics', 'Understanding how features are used, to improve them.', 'consent'::"LegalBasis", false, '2026-11', false, false, 1),
    ('error_reporting', 'Error reporting', 'Diagnosing crashes and failed requests.', 'legitimate_interests'::"LegalBasis", true, '2026-11', false, false, 2),
    ('ai_training', 'AI model training', 'Using your interactions to train and evaluate models.', 'consent'::"LegalBasis", false, '2026-11', false, false, 3),
    ('personalization', 'Personalization', 'Tailoring content and recommendations to you.', 'consent'::"LegalBasis", false, '2026-11', false, false, 4),
    ('marketing', 'Marketing', 'Sharing data with advertising partners and sending offers.', 'consent'::"LegalBasis", false, '2026-11', true, true, 5)
) AS defaults WHERE NOT EXISTS (SELECT 1 FROM "consent_purposes");

INSERT INTO "classification_rules" ("id", "name", "description", "priority", "enabled", "match_event_type", "match_field_path", "match_regex", "match_detector", "level", "categories", "action")
SELECT * FROM (VALUES
    (gen_random_uuid(), 'Secrets and credentials', 'Private keys, API keys, bearer tokens and JWTs are never stored.', 10, true, NULL, NULL, NULL, 'secret', 'restricted'::"Classification", ARRAY['system.credentials'], 'redact'::"RuleAction"),
    (gen_random_uuid(), 'Payment cards', 'Luhn-valid card numbers.', 20, true, NULL, NULL, NULL, 'payment_card', 'restricted'::"Classification", ARRAY['user.financial.card'], 'redact'::"RuleAction"),
    (gen_random_uuid(), 'Government identifiers', 'US social security numbers.', 30, true, NULL, NULL, NULL, 'us_ssn', 'restricted'::"Classification", ARRAY['user.government_id'], 'redact'::"RuleAction"),
    (gen_random_uuid(), 'Bank accounts', 'IBANs with a valid checksum.', 40, true, NULL, NULL, NULL, 'iban', 'confidential'::"Classification", ARRAY['user.financial.bank_account'], 'redact'::"RuleAction"),
    (gen_random_uuid(), 'Email addresses', 'Kept joinable as keyed hashes.', 50, true, NULL, NULL, NULL, 'email', 'confidential'::"Classification", ARRAY['user.contact.email'], 'hash'::"RuleAction"),
    (gen_random_uuid(), 'Phone numbers', 'International and national formats.', 60, true, NULL, NULL, NULL, 'phone', 'confidential'::"Classification", ARRAY['user.contact.phone'], 'redact'::"RuleAction"),
    (gen_random_uuid(), 'IP addresses', 'IPv4 and IPv6 addresses in free text.', 70, true, NULL, NULL, NULL, 'ip_address', 'internal'::"Classification", ARRAY['user.device.ip_address'], 'redact'::"RuleAction"),
    (gen_random_uuid(), 'Sensitive field names', 'Fields named password, secret, token, authorization, cookie…', 80, true, NULL, NULL, NULL, 'sensitive_field', 'restricted'::"Classification", ARRAY['system.credentials'], 'drop_field'::"RuleAction"),
    (gen_random_uuid(), 'AI prompts and responses', 'Free text exchanged with models is confidential by default.', 90, true, 'ai_interaction'::"EventType", 'gen_ai.*', NULL, NULL, 'confidential'::"Classification", ARRAY['user.content.ai_conversation'], 'classify_only'::"RuleAction"),
    (gen_random_uuid(), 'Health checks', 'Load-balancer probes are noise.', 100, true, 'api_request'::"EventType", 'http.route', '^/(healthz|readyz)$', NULL, 'public'::"Classification", ARRAY[]::TEXT[], 'drop_event'::"RuleAction")
) AS defaults WHERE NOT EXISTS (SELECT 1 FROM "classification_rules");

INSERT INTO "retention_policies" ("id", "name", "classification", "event_type", "keep_days", "action", "enabled")
SELECT * FROM (VALUES
    (gen_random_uuid(), 'Public events', 'public'::"Classification", NULL::"EventType", 365, 'delete'::"RetentionAction", true),
    (gen_random_uuid(), 'Internal events', 'internal'::"Classification", NULL::"EventType", 180, 'delete'::"RetentionAction", true),
    (gen_random_uuid(), 'Confidential events', 'confidential'::"Classification", NULL::"EventType", 90, 'anonymize'::"RetentionAction", true),
    (gen_random_uuid(), 'Restricted events', 'restricted'::"Classification", NULL::"EventType", 30, 'delete'::"RetentionAction", true)
) AS defaults WHERE NOT EXISTS (SELECT 1 FROM "retention_policies");
