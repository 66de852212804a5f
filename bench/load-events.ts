import { createHash } from "node:crypto";
import type pg from "pg";
import { createTestDatabase, type TestDatabase } from "@/test/support/test-database";
import { env, overrideEnv } from "../lib/env";

// Realistic events for the benchmarks, made by the server: one INSERT … SELECT generate_series per
// chunk of 500,000 rows. That stands in for COPY: the rows are the same, but nothing is generated,
// encoded or sent by the client, so loading is faster; inside PostgreSQL a row costs what it would
// under COPY (constraints, the B-tree indexes, the generated search_vector and its GIN entry).
// Types in proportions close to the demo seed; gen_ai columns on AI interactions, http columns on
// API requests, error columns on errors. 3% of events have no subject. How events read (name,
// message, component, classification, payload) is an EventText: ERASURE_TEXT, a payload of about
// 200 bytes and little vocabulary, or SEARCH_TEXT (bench/explorer.ts), words to search for.
export const CHUNK = 500_000;

// Subjects are numbered 1..subjects; two heavy subjects get negative numbers and every
// (heavyEvery)th event (bench/erasure.ts erases one of them and deletes the other's events).
export const HEAVY_ERASE = -20;
export const HEAVY_BASELINE = -40;
export const PSEUDONYM_SQL = (n: string) => `encode(sha256(convert_to('subject:' || ${n}, 'UTF8')), 'hex')`;

/** The same value as PSEUDONYM_SQL: a 64-hex-character token, like lib/privacy/pseudonym.ts makes. */
export function pseudonymOf(n: number): string {
  return createHash("sha256").update(`subject:${n}`).digest("hex");
}

/** SQL expressions for what an event says. They see i, ts, r…r4 (random), n (subject), t (type) and the `derived` columns. */
export interface EventText {
  /** more per-row columns, ", "-separated `expression AS name` (at least action, page, model, method, route, status, error_type) */
  derived: string;
  name: string;
  message: string;
  component: string;
  classification: string;
  categories: string;
  payload: string;
  /** whether ingest marked the event training_excluded (default false) */
  trainingExcluded?: string;
}

export const ERASURE_TEXT: EventText = {
  derived: `(ARRAY['page_view', 'click', 'search', 'export', 'settings.update'])[1 + floor(r2 * 5)::int] AS action,
    (ARRAY['/dashboard', '/projects', '/projects/:id', '/reports', '/settings'])[1 + floor(r3 * 5)::int] AS page,
    (ARRAY['gpt-4o-mini', 'gpt-4o', 'claude-sonnet-4'])[1 + floor(r2 * 3)::int] AS model,
    CASE WHEN r2 < 0.7 THEN 'GET' ELSE 'POST' END AS method,
    (ARRAY['/api/projects', '/api/projects/:id', '/api/reports', '/api/search'])[1 + floor(r3 * 4)::int] AS route,
    (CASE WHEN r2 < 0.80 THEN 200 WHEN r2 < 0.88 THEN 201 WHEN r2 < 0.96 THEN 404 ELSE 500 END)::smallint AS status,
    CASE WHEN r2 < 0.7 THEN 'TypeError' WHEN r2 < 0.9 THEN 'RangeError' ELSE 'FetchError' END AS error_type`,
  name: `CASE t WHEN 'user_action' THEN action WHEN 'ai_interaction' THEN 'chat ' || model WHEN 'api_request' THEN method || ' ' || route
         WHEN 'error' THEN error_type ELSE (ARRAY['cache.evicted', 'cron.finished', 'deploy.started'])[1 + floor(r2 * 3)::int] END`,
  message: `CASE t WHEN 'user_action' THEN 'User did ' || action || ' on ' || page
         WHEN 'error' THEN 'Cannot read properties of undefined (reading ''' || (ARRAY['id', 'name', 'items', 'owner'])[1 + floor(r3 * 4)::int] || ''')'
         WHEN 'system' THEN 'worker ' || floor(r3 * 8)::int || ' finished in ' || floor(r4 * 900)::int || ' ms'
         ELSE NULL END`,
  component: `CASE t WHEN 'ai_interaction' THEN 'assistant' WHEN 'api_request' THEN 'api' ELSE (ARRAY['web', 'api', 'worker', 'assistant'])[1 + floor(r3 * 4)::int] END`,
  classification: `(CASE WHEN t = 'ai_interaction' THEN 'confidential' WHEN r4 < 0.02 THEN 'confidential' ELSE 'internal' END)::"Classification"`,
  categories: `CASE WHEN t = 'ai_interaction' THEN ARRAY['user.content.ai_conversation'] WHEN r4 < 0.02 THEN ARRAY['user.contact.email'] ELSE ARRAY[]::text[] END`,
  payload: `CASE t
    WHEN 'user_action' THEN jsonb_build_object('attributes', jsonb_build_object('page', page, 'items', floor(r3 * 20)::int, 'note', 'nothing sensitive here', 'referrer', '/home'),
                                               'client', jsonb_build_object('sdk', 'clearlog-js', 'version', '0.1.0', 'viewport', '1440x900'))
    WHEN 'ai_interaction' THEN jsonb_build_object('gen_ai', jsonb_build_object('prompt', 'Summarise this ticket: the customer reports slow exports since Tuesday.',
                                                                               'response', 'The customer reports slow exports; escalate to the data team.', 'temperature', 0.2))
    WHEN 'api_request' THEN jsonb_build_object('http', jsonb_build_object('url', replace(route, ':id', floor(r4 * 5000)::int::text), 'request_id', md5(i::text),
                                                                           'user_agent', 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15'))
    WHEN 'error' THEN jsonb_build_object('error', jsonb_build_object('name', error_type, 'message', 'Cannot read properties of undefined',
                                                                     'stack', error_type || E': Cannot read properties of undefined\\n    at render (/srv/app/reports.js:120:15)\\n    at run (/srv/app/worker.js:44:3)'))
    ELSE jsonb_build_object('note', 'scheduled maintenance step completed without errors', 'host', 'worker-' || floor(r3 * 8)::int, 'attempt', 1)
  END`,
};

// A shop's events, for search: checkout, cart, search, orders and payments in names, messages and
// payloads; order ids (ORD-123456, ~1 event each), SKUs, e-mails as the [EMAIL] markers redaction
// leaves, cards as [CARD]. Common words ("order" ≈ 22% of events, "checkout" 15%), less common ones
// ("timeout" 6%, both 4%, "deadlock" 0.8%) and rare ones ("chargeback" 0.03%). Card declines are
// restricted (0.8% of events), AI conversations and messages with an e-mail confidential.
export const SEARCH_TEXT: EventText = {
  derived: `(ARRAY['page_view', 'page_view', 'page_view', 'product.viewed', 'product.viewed', 'search.performed', 'search.performed', 'cart.item_added',
      'cart.item_removed', 'checkout.started', 'checkout.completed', 'order.cancelled', 'account.login', 'settings.updated', 'export.requested', 'review.submitted'])[1 + floor(r2 * 16)::int] AS action,
    (ARRAY['/', '/products', '/products/:id', '/cart', '/orders', '/account'])[1 + floor(r3 * 6)::int] AS page,
    (ARRAY['gpt-4o-mini', 'gpt-4o', 'claude-sonnet-4', 'claude-haiku-4'])[1 + floor(r2 * 4)::int] AS model,
    CASE WHEN random() < 0.7 THEN 'GET' ELSE 'POST' END AS method,
    (ARRAY['/api/products', '/api/products/:id', '/api/cart', '/api/checkout', '/api/orders/:id', '/api/search', '/api/auth/session', '/api/reports'])[1 + floor(r3 * 8)::int] AS route,
    (CASE WHEN r2 < 0.80 THEN 200 WHEN r2 < 0.88 THEN 201 WHEN r2 < 0.96 THEN 404 WHEN r2 < 0.98 THEN 500 WHEN r2 < 0.99 THEN 502 ELSE 504 END)::smallint AS status,
    (ARRAY['TypeError', 'TypeError', 'TypeError', 'TimeoutError', 'TimeoutError', 'FetchError', 'RangeError', 'PaymentDeclinedError', 'DatabaseError', 'ValidationError'])[1 + floor(r2 * 10)::int] AS error_type,
    (ARRAY['cron.finished', 'cache.evicted', 'deploy.started', 'backup.completed', 'queue.drained'])[1 + floor(random() * 5)::int] AS job,
    (ARRAY['payments', 'inventory', 'shipping', 'search'])[1 + floor(random() * 4)::int] AS service,
    (ARRAY['wireless headphones', 'running shoes', 'coffee grinder', 'desk lamp', 'yoga mat', 'phone case', 'backpack', 'water bottle', 'mechanical keyboard', 'standing desk'])[1 + floor(random() * 10)::int] AS term,
    'ORD-' || lpad(floor(random() * 1000000)::int::text, 6, '0') AS order_id,
    'SKU-' || (10000 + floor(random() * 5000)::int) AS sku,
    random() AS r5`,
  name: `CASE t WHEN 'user_action' THEN action WHEN 'ai_interaction' THEN 'chat ' || model WHEN 'api_request' THEN method || ' ' || route WHEN 'error' THEN error_type ELSE job END`,
  message: `CASE t
    WHEN 'user_action' THEN CASE action
      WHEN 'checkout.completed' THEN 'Order ' || order_id || ' placed: ' || (1 + floor(r4 * 6)::int) || ' items, total ' || round((9 + r5 * 240)::numeric, 2) || ' EUR; receipt sent to [EMAIL]'
      WHEN 'checkout.started' THEN 'Checkout started with ' || (1 + floor(r4 * 6)::int) || ' items in the cart'
      WHEN 'order.cancelled' THEN 'Order ' || order_id || ' cancelled by the customer'
      WHEN 'cart.item_added' THEN 'Added ' || sku || ' to the cart'
      WHEN 'cart.item_removed' THEN 'Removed ' || sku || ' from the cart'
      WHEN 'search.performed' THEN 'Searched for "' || term || '"'
      WHEN 'product.viewed' THEN 'Viewed product ' || sku
      WHEN 'account.login' THEN 'Signed in as [EMAIL]'
      WHEN 'settings.updated' THEN 'Changed e-mail notification settings'
      WHEN 'export.requested' THEN 'Requested a CSV export of last month''s orders'
      WHEN 'review.submitted' THEN 'Review of ' || sku || ' submitted: ' || (1 + floor(r4 * 5)::int) || ' stars'
      ELSE 'Viewed ' || page END
    WHEN 'error' THEN CASE error_type
      WHEN 'TimeoutError' THEN 'Timeout after ' || (ARRAY[5000, 10000, 30000])[1 + floor(r4 * 3)::int] || ' ms waiting for the ' || service || ' service'
      WHEN 'FetchError' THEN 'request to http://' || service || '.internal/v1 failed, reason: connect ECONNREFUSED'
      WHEN 'PaymentDeclinedError' THEN CASE WHEN r5 < 0.03 THEN 'Chargeback received for order ' || order_id ELSE 'Card [CARD] declined for order ' || order_id || ': insufficient funds' END
      WHEN 'DatabaseError' THEN 'deadlock detected while updating order ' || order_id
      WHEN 'ValidationError' THEN 'Invalid shipping address for order ' || order_id
      WHEN 'RangeError' THEN 'Invalid time value'
      ELSE 'Cannot read properties of undefined (reading ''' || (ARRAY['id', 'name', 'items', 'price'])[1 + floor(r3 * 4)::int] || ''')' END
    WHEN 'system' THEN CASE job
      WHEN 'cron.finished' THEN 'nightly order export finished in ' || floor(r4 * 900)::int || ' ms'
      WHEN 'cache.evicted' THEN 'evicted ' || floor(r4 * 5000)::int || ' keys from the product cache'
      WHEN 'deploy.started' THEN 'deploy of v2.' || floor(r4 * 20)::int || ' started by ci'
      WHEN 'backup.completed' THEN 'database backup completed in ' || floor(r4 * 300)::int || ' s'
      ELSE 'queue drained: ' || floor(r4 * 100)::int || ' jobs' END
    ELSE NULL END`,
  component: `CASE t WHEN 'ai_interaction' THEN 'assistant' WHEN 'api_request' THEN split_part(route, '/', 3)
    WHEN 'user_action' THEN CASE split_part(action, '.', 1) WHEN 'page_view' THEN 'web' WHEN 'product' THEN 'catalog' WHEN 'review' THEN 'catalog'
      WHEN 'account' THEN 'auth' WHEN 'export' THEN 'reports' WHEN 'order' THEN 'orders' ELSE split_part(action, '.', 1) END
    WHEN 'error' THEN CASE error_type WHEN 'PaymentDeclinedError' THEN 'checkout' WHEN 'ValidationError' THEN 'checkout' WHEN 'DatabaseError' THEN 'orders'
      ELSE (ARRAY['checkout', 'cart', 'search', 'catalog', 'web'])[1 + floor(r3 * 5)::int] END
    ELSE 'worker' END`,
  classification: `(CASE WHEN t = 'ai_interaction' THEN 'confidential' WHEN t = 'error' AND error_type = 'PaymentDeclinedError' AND r5 >= 0.03 THEN 'restricted'
    WHEN t = 'user_action' AND action IN ('checkout.completed', 'account.login') THEN 'confidential' ELSE 'internal' END)::"Classification"`,
  categories: `CASE WHEN t = 'ai_interaction' THEN ARRAY['user.content.ai_conversation'] WHEN t = 'error' AND error_type = 'PaymentDeclinedError' AND r5 >= 0.03 THEN ARRAY['financial.card']
    WHEN t = 'user_action' AND action IN ('checkout.completed', 'account.login') THEN ARRAY['user.contact.email'] ELSE ARRAY[]::text[] END`,
  payload: `CASE t
    WHEN 'user_action' THEN jsonb_build_object('attributes', jsonb_strip_nulls(jsonb_build_object('page', page, 'sku', sku, 'order_id', CASE WHEN action IN ('checkout.completed', 'order.cancelled') THEN order_id END,
                                                                                'query', CASE WHEN action = 'search.performed' THEN term END, 'referrer', '/home')),
                                               'client', jsonb_build_object('sdk', 'clearlog-js', 'version', '0.4.2', 'viewport', '1440x900', 'locale', 'en-GB'))
    WHEN 'ai_interaction' THEN jsonb_build_object('gen_ai', jsonb_build_object(
      'prompt', CASE floor(r4 * 4)::int
        WHEN 0 THEN 'Summarise this ticket: the customer could not finish checkout, the payment page showed a timeout (order ' || order_id || ').'
        WHEN 1 THEN 'Draft a reply to [EMAIL] about the refund for order ' || order_id || '.'
        WHEN 2 THEN 'Suggest three products like ' || sku || ' for a customer who searched for ' || term || '.'
        ELSE 'Translate the product description of ' || sku || ' into German.' END,
      'response', CASE floor(r4 * 4)::int
        WHEN 0 THEN 'The customer hit a payment timeout during checkout; retry the payment and escalate to the payments team.'
        WHEN 1 THEN 'Hello, the refund for order ' || order_id || ' has been issued and should arrive within 5 business days.'
        WHEN 2 THEN 'Three products customers bought together with ' || sku || ' are listed below.'
        ELSE 'Die Produktbeschreibung wurde übersetzt.' END, 'temperature', 0.2))
    WHEN 'api_request' THEN jsonb_build_object('http', jsonb_strip_nulls(jsonb_build_object('url', replace(route, ':id', CASE WHEN route LIKE '/api/orders/%' THEN order_id ELSE sku END), 'request_id', md5(i::text),
                                                                           'user_agent', 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15',
                                                                           'error', CASE WHEN status = 504 THEN 'upstream timeout' WHEN status >= 500 THEN 'internal server error' END)))
    WHEN 'error' THEN jsonb_build_object('error', jsonb_build_object('name', error_type,
      'stack', error_type || E'\\n    at submit (/srv/shop/' || service || E'/client.js:88:13)\\n    at processTicksAndRejections (node:internal/process/task_queues:95:5)'))
    ELSE jsonb_build_object('host', 'worker-' || floor(r3 * 8)::int, 'attempt', 1, 'queue', job)
  END`,
};

/**
 * One chunk: rows i = $2..$3 of $6, at $4 + $5 × i / $6 (so spread evenly over ($4, $4 + $5 ms]);
 * $1 subjects; every $7th event belongs to a heavy subject.
 */
export function eventsSql(text: EventText = ERASURE_TEXT, table = "system_logs"): string {
  return `
INSERT INTO ${table} (event_id, occurred_at, received_at, type, severity, name, message, component, subject_pseudonym, session_id,
  classification, categories, purpose, gen_ai_provider_name, gen_ai_request_model, gen_ai_operation_name, gen_ai_conversation_id,
  gen_ai_usage_input_tokens, gen_ai_usage_output_tokens, gen_ai_latency_ms, gen_ai_cost_usd, http_request_method, http_route,
  http_response_status_code, http_duration_ms, http_request_size, http_response_size, error_type, error_fingerprint, payload, training_excluded)
SELECT
  gen_random_uuid()::text, ts, ts + (r3 * 2000) * interval '1 millisecond', t::"EventType",
  (CASE t WHEN 'error' THEN CASE WHEN r2 < 0.1 THEN 'fatal' ELSE 'error' END
          WHEN 'api_request' THEN CASE WHEN status >= 500 THEN 'error' WHEN status >= 400 THEN 'warn' ELSE 'info' END
          WHEN 'system' THEN CASE WHEN r2 < 0.3 THEN 'debug' WHEN r2 > 0.9 THEN 'warn' ELSE 'info' END
          ELSE 'info' END)::"Severity",
  ${text.name},
  ${text.message},
  ${text.component},
  CASE WHEN n IS NULL THEN NULL ELSE ${PSEUDONYM_SQL("n")} END,
  CASE WHEN n IS NULL THEN NULL ELSE 'sess-' || n || '-' || floor(r4 * 8)::int END,
  ${text.classification},
  ${text.categories},
  CASE t WHEN 'user_action' THEN 'analytics' WHEN 'ai_interaction' THEN 'personalization' WHEN 'error' THEN 'error_reporting' ELSE 'essential' END,
  CASE WHEN t = 'ai_interaction' THEN CASE WHEN r3 < 0.7 THEN 'openai' ELSE 'anthropic' END END,
  CASE WHEN t = 'ai_interaction' THEN model END,
  CASE WHEN t = 'ai_interaction' THEN 'chat' END,
  CASE WHEN t = 'ai_interaction' AND n IS NOT NULL THEN 'conv-' || n || '-' || floor(r4 * 20)::int END,
  CASE WHEN t = 'ai_interaction' THEN 400 + floor(r2 * 800)::int END,
  CASE WHEN t = 'ai_interaction' THEN 50 + floor(r3 * 300)::int END,
  CASE WHEN t = 'ai_interaction' THEN 300 + floor(r4 * 3000)::int END,
  CASE WHEN t = 'ai_interaction' THEN round((0.0001 + r2 * 0.002)::numeric, 6) END,
  CASE WHEN t = 'api_request' THEN method END,
  CASE WHEN t = 'api_request' THEN route END,
  CASE WHEN t = 'api_request' THEN status END,
  CASE WHEN t = 'api_request' THEN floor(r3 * 400)::int END,
  CASE WHEN t = 'api_request' THEN CASE method WHEN 'GET' THEN 0 ELSE 120 + floor(r4 * 2000)::int END END,
  CASE WHEN t = 'api_request' THEN 400 + floor(r4 * 8000)::int END,
  CASE WHEN t = 'error' THEN error_type END,
  CASE WHEN t = 'error' THEN md5(error_type || ':reports.js:' || floor(r3 * 40)::int) END,
  ${text.payload},
  ${text.trainingExcluded ?? "false"}
FROM (
  SELECT g.*,
    CASE WHEN r < 0.40 THEN 'user_action' WHEN r < 0.55 THEN 'ai_interaction' WHEN r < 0.85 THEN 'api_request' WHEN r < 0.93 THEN 'error' ELSE 'system' END AS t,
    ${text.derived}
  FROM (
    SELECT i,
      $4::timestamptz + ($5::float8 * i / $6::float8) * interval '1 millisecond' AS ts,
      random() AS r, random() AS r2, random() AS r3, random() AS r4,
      CASE WHEN i % $7::bigint = 0 THEN ${HEAVY_ERASE}
           WHEN i % $7::bigint = $7::bigint / 2 THEN ${HEAVY_BASELINE}
           WHEN random() < 0.03 THEN NULL
           ELSE 1 + floor(random() * $1::int)::int END AS n
    FROM generate_series($2::bigint, $3::bigint) AS i
  ) g
) e`;
}

export interface LoadOptions {
  /** rows i = 1..events */
  events: number;
  subjects: number;
  from: Date;
  /** the rows are spread evenly over (from, from + spanMs] */
  spanMs: number;
  /** every heavyEvery-th event belongs to a heavy subject (> 2 × events: none; up to that, event heavyEvery / 2 still does) */
  heavyEvery: number;
  text?: EventText;
  table?: string;
  /** the progress line's name; null: no progress lines */
  label?: string | null;
}

const int = (v: number) => Math.round(v).toLocaleString("en");

/** Inserts the events chunk by chunk (the partitions must exist) and returns the time it took, in ms. */
export async function loadEvents(pool: pg.Pool, o: LoadOptions): Promise<number> {
  const sql = eventsSql(o.text, o.table);
  const label = o.label === undefined ? "events" : o.label;
  const started = performance.now();
  for (let first = 1; first <= o.events; first += CHUNK) {
    const last = Math.min(o.events, first + CHUNK - 1);
    await pool.query(sql, [o.subjects, first, last, o.from.toISOString(), o.spanMs, o.events, o.heavyEvery]);
    const s = (performance.now() - started) / 1000;
    if (label !== null) console.log(`  ${label} ${int(last)} / ${int(o.events)}  (${s.toFixed(1)} s, ${int(last / s)} rows/s)`);
  }
  return performance.now() - started;
}

/** A fresh database for a benchmark, which the app's code then reaches through DATABASE_URL. */
export async function benchDatabase(): Promise<TestDatabase> {
  const target = await createTestDatabase();
  overrideEnv({
    DATABASE_URL: target.url,
    CLEARLOG_SECRET: env().CLEARLOG_SECRET ?? "bench-secret-0123456789abcdef0123456789abcdef",
  });
  return target;
}
