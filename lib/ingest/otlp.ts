import type { EventType, HttpFields, Severity, WireEvent } from "@clearlog/sdk";
import { aiOfSpan, subjectHints } from "./otlp-ai";
import type { SpanEvent } from "./otlp-genai";
import { anyValue, attributes, digest, durationMs, hexId, int, isErrorStatus, isObj, label, nanos, nanosToMs, severityOf, spanKind, stableJson, str, take, type Obj } from "./otlp-values";

// OpenTelemetry intake (OTLP/HTTP, JSON encoding): ExportLogsServiceRequest and
// ExportTraceServiceRequest bodies → WireEvents for the ingestion pipeline (lib/ingest/ingest.ts).
// Pure: no database, no clock. Each event remembers the OTLP record it came from (`source`), so a
// rejection can be reported as `resourceSpans[0].scopeSpans[1].spans[3]`.
//
// Common to both signals:
//   clearlog.component, else resource service.name, else the scope name → component
//   user.id / enduser.id, else an instrumentation's own user key (AI SDK metadata.userId, OpenLLMetry
//   association properties, OpenAI's `user` recorded by OpenInference or OpenLLMetry), else the resource's
//   user.id / enduser.id → subject (pseudonymized, never kept as an attribute; see lib/ingest/otlp-ai.ts)
//   session.id → sessionId; user_agent.original / http.user_agent → userAgent
//   clearlog.purpose → purpose; clearlog.type (logs only: user_action | system) → type
//   traceId / spanId / parentSpanId (hex) → attributes trace_id / span_id / parent_span_id
//   the other resource attributes (minus telemetry.sdk.*) → attributes.resource; scope → otel.scope.name
// Log records: id `otlp-log-` + sha256 of the whole record with its resource and scope (a re-sent export
//   maps to the same ids). type `error` when severity ≥ 17 (ERROR, FATAL) or exception.* attributes are
//   present, else `system` named by eventName / event.name, else the scope (logger) name, else "log".
// Spans: id `otlp-<traceId>-<spanId>`. LLM calls (AI SDK inner spans, OpenInference LLM/EMBEDDING spans,
//   GenAI spans with a model: lib/ingest/otlp-ai.ts) → ai_interaction; the AI SDK's outer span → system,
//   without its prompt and response; spans with an HTTP
//   method, route (or url.path) and status code → api_request; any other → system named by the span.
//   A span with status ERROR and an `exception` event also gives an error event `otlp-<traceId>-<spanId>-error`.
// Shapes that cannot be read go through as they are, so the pipeline rejects them naming the field.
export interface MappedEvent {
  /** where the record sits in the OTLP body, e.g. `resourceLogs[0].scopeLogs[0].logRecords[2]` */
  source: string;
  /** a WireEvent, or the record as received when it is not an object */
  event: unknown;
}

/** The envelope (resourceLogs / scopeLogs / …) is not what OTLP describes: the whole request is refused. */
export class OtlpShapeError extends Error {}

interface Scope {
  resource: Obj;
  scopeName: string | undefined;
  scope: unknown;
}

const MAX_SPAN_EVENTS = 32;

function compact<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** Fields every event takes from its attributes and resource; removes what it uses from `attrs`. */
function common(attrs: Obj, ctx: Scope) {
  const resource = { ...ctx.resource };
  // every one is taken out, so none stays in clear as an attribute; the record's own id wins
  const hints = subjectHints(attrs);
  const ownSubject = str(take(attrs, "user.id", "enduser.id"));
  const resourceSubject = str(take(resource, "user.id", "enduser.id"));
  const ownSession = str(take(attrs, "session.id"));
  const resourceSession = str(take(resource, "session.id"));
  const subject = ownSubject ?? hints.subject;
  const sessionId = ownSession ?? hints.sessionId ?? resourceSession;
  const component = str(take(attrs, "clearlog.component")) ?? str(take(resource, "service.name")) ?? ctx.scopeName;
  take(resource, "service.name");
  for (const key of Object.keys(resource)) if (key.startsWith("telemetry.sdk.")) delete resource[key];
  return {
    /** the record's own subject; `resourceSubject` applies when nothing more specific names one */
    subject,
    resourceSubject,
    sessionId,
    component: label(component, 128),
    userAgent: label(str(take(attrs, "user_agent.original", "http.user_agent")), 512),
    purpose: str(take(attrs, "clearlog.purpose")),
    resource: Object.keys(resource).length > 0 ? resource : undefined,
  };
}

/** A record that is not an object, as the pipeline gets it: arrays empty (any depth is refused the same way). */
const standIn = (record: unknown): unknown => (Array.isArray(record) ? [] : record);

function traceAttrs(raw: Obj, ctx: Scope): Obj {
  // hex when readable, the raw value otherwise (opaque)
  const id = (key: string, bytes: 16 | 8) => hexId(raw[key], bytes) ?? str(raw[key]);
  return compact({ trace_id: id("traceId", 16), span_id: id("spanId", 8), parent_span_id: id("parentSpanId", 8), "otel.scope.name": ctx.scopeName });
}

/**
 * A log record's identity: its content in decoded form (times, severity, body, attributes, ids, scope),
 * so the same record digests alike whichever encoding carried it (JSON encoders write int64 as
 * numbers or strings; protobuf has no such choice) and whatever counters an encoder adds.
 */
function logDigest(record: Obj, ctx: Scope): string {
  const scope = isObj(ctx.scope) ? { name: str(ctx.scope.name), version: str(ctx.scope.version), attributes: attributes(ctx.scope.attributes) } : undefined;
  return digest(
    stableJson({
      resource: ctx.resource,
      scope,
      time: nanos(record.timeUnixNano)?.toString(),
      observed: nanos(record.observedTimeUnixNano)?.toString(),
      severity: int(record.severityNumber) ?? str(record.severityNumber),
      severityText: str(record.severityText),
      body: anyValue(record.body),
      attributes: attributes(record.attributes),
      eventName: str(record.eventName),
      traceId: hexId(record.traceId, 16),
      spanId: hexId(record.spanId, 8),
    }),
  );
}

function mapLogRecord(record: unknown, ctx: Scope): unknown[] {
  if (!isObj(record)) return [standIn(record)];
  const attrs = attributes(record.attributes);
  const base = common(attrs, ctx);
  const requested = str(take(attrs, "clearlog.type"));
  const exception = {
    name: label(str(take(attrs, "exception.type")), 200),
    message: str(take(attrs, "exception.message")),
    stack: str(take(attrs, "exception.stacktrace")),
  };
  const eventName = str(record.eventName) ?? str(take(attrs, "event.name"));
  const severity = severityOf(record.severityNumber, record.severityText);
  const time = nanos(record.timeUnixNano) ?? nanos(record.observedTimeUnixNano);
  const body = anyValue(record.body);
  const bodyText = typeof body === "string" ? body : undefined;
  const extra: Obj = {};
  if (body !== null && bodyText === undefined) extra.body = body; // structured bodies stay structured

  const isError = severity === "error" || severity === "fatal" || exception.name !== undefined || exception.message !== undefined;
  const event: Partial<WireEvent> = {
    id: `otlp-log-${logDigest(record, ctx)}`,
    timestamp: time === undefined ? undefined : nanosToMs(time),
    severity,
    subject: base.subject ?? base.resourceSubject,
    sessionId: base.sessionId,
    component: base.component,
    userAgent: base.userAgent,
    purpose: base.purpose,
  };
  if (isError) {
    if (bodyText !== undefined && exception.message !== undefined && bodyText !== exception.message) extra.body = bodyText;
    event.type = "error";
    event.name = label(eventName, 256);
    event.error = compact({ name: exception.name, message: exception.message ?? bodyText ?? (body === null ? "" : JSON.stringify(body)), stack: exception.stack });
  } else {
    event.type = requested === "user_action" || requested === "system" ? requested : "system";
    event.name = label(eventName ?? ctx.scopeName ?? "log", 256);
    event.message = bodyText;
  }
  event.attributes = { ...attrs, ...extra, ...traceAttrs(record, ctx), ...(base.resource && { resource: base.resource }) };
  return [compact(event)];
}

function httpFields(attrs: Obj, duration: number | undefined): HttpFields | undefined {
  const rawMethod = str(attrs["http.request.method"] ?? attrs["http.method"]);
  const method = rawMethod === "_OTHER" ? (str(attrs["http.request.method_original"]) ?? "OTHER") : rawMethod;
  const target = str(attrs["http.target"])?.split("?")[0];
  const route = str(attrs["http.route"]) ?? str(attrs["url.path"]) ?? target;
  const status = int(attrs["http.response.status_code"] ?? attrs["http.status_code"]);
  if (!method || !route || status === undefined) return undefined;
  take(attrs, "http.request.method", "http.method", "http.request.method_original", "http.route", "http.response.status_code", "http.status_code");
  if (route === str(attrs["url.path"])) take(attrs, "url.path");
  return compact({
    method,
    route,
    status,
    durationMs: duration,
    requestSize: int(take(attrs, "http.request.body.size", "http.request_content_length")),
    responseSize: int(take(attrs, "http.response.body.size", "http.response_content_length")),
  });
}

function spanEvents(span: Obj): SpanEvent[] {
  if (!Array.isArray(span.events)) return [];
  return span.events.filter(isObj).map((e) => ({ name: str(e.name) ?? "", time: nanos(e.timeUnixNano), attrs: attributes(e.attributes) }));
}

function mapSpan(span: unknown, ctx: Scope): unknown[] {
  if (!isObj(span)) return [standIn(span)];
  const attrs = attributes(span.attributes);
  const base = common(attrs, ctx);
  const start = nanos(span.startTimeUnixNano);
  const end = nanos(span.endTimeUnixNano);
  const duration = durationMs(start, end);
  const events = spanEvents(span);
  const failed = isErrorStatus(span.status);
  const statusMessage = isObj(span.status) ? str(span.status.message) : undefined;
  const traceId = hexId(span.traceId, 16);
  const spanId = hexId(span.spanId, 8);
  const key = traceId && spanId ? `${traceId}-${spanId}` : `h${digest(stableJson({ resource: ctx.resource, scope: ctx.scope, span }))}`;
  const spanName = str(span.name);
  const linkage = { ...traceAttrs(span, ctx), "span.kind": spanKind(span.kind) };

  const used = new Set<SpanEvent>();
  const exception = failed ? [...events].reverse().find((e) => e.name === "exception") : undefined;
  if (exception) used.add(exception);

  const found = aiOfSpan(attrs, events, duration, used);
  const ai = found?.kind === "ai" ? found.ai : undefined;
  const shared = compact({
    subject: base.subject ?? (found?.kind === "ai" ? found.user : undefined) ?? base.resourceSubject,
    sessionId: base.sessionId,
    component: base.component,
    userAgent: base.userAgent,
    purpose: base.purpose,
  });
  let typed: { type: EventType; name?: string; ai?: WireEvent["ai"]; http?: HttpFields; message?: string };
  const http = found ? undefined : httpFields(attrs, duration);
  if (ai) typed = { type: "ai_interaction", name: label(spanName, 256), ai };
  else if (http) typed = { type: "api_request", http }; // named "METHOD route" by the pipeline
  else typed = { type: "system", name: label(spanName ?? "span", 256), message: statusMessage };

  const rest = events.filter((e) => !used.has(e)).slice(0, MAX_SPAN_EVENTS);
  const main = compact({
    id: `otlp-${key}`,
    timestamp: start === undefined ? undefined : nanosToMs(start),
    severity: failed ? ("error" as Severity) : undefined,
    ...shared,
    ...typed,
    attributes: compact({
      ...attrs,
      ...linkage,
      "span.duration_ms": typed.type === "system" ? duration : undefined,
      "otel.status_message": typed.type === "system" ? undefined : statusMessage,
      "span.events": rest.length > 0 ? rest.map((e) => compact({ name: e.name, attributes: Object.keys(e.attrs).length > 0 ? e.attrs : undefined })) : undefined,
      resource: base.resource,
    }),
  });
  if (!exception) return [main];

  const x = { ...exception.attrs };
  const type = label(str(take(x, "exception.type")), 200);
  const error = compact({
    id: `otlp-${key}-error`,
    type: "error" as EventType,
    timestamp: nanosToMs(exception.time ?? end ?? start ?? 0n) || undefined,
    severity: "error" as Severity,
    ...shared,
    error: compact({ name: type, message: str(take(x, "exception.message")) ?? statusMessage ?? type ?? "", stack: str(take(x, "exception.stacktrace")) }),
    attributes: compact({ ...x, ...linkage, "span.name": spanName, resource: base.resource }),
  });
  return [main, error];
}

type Leaf = (record: unknown, ctx: Scope) => unknown[];

function list(value: unknown, field: string): unknown[] {
  if (value === undefined || value === null) return []; // proto3 JSON leaves empty lists out
  if (!Array.isArray(value)) throw new OtlpShapeError(`${field} must be an array`);
  return value;
}

function walk(body: unknown, names: [string, string, string], other: { key: string; path: string }, leaf: Leaf): MappedEvent[] {
  const [top, mid, bottom] = names;
  const kind = top === "resourceLogs" ? "ExportLogsServiceRequest" : "ExportTraceServiceRequest";
  if (!isObj(body)) throw new OtlpShapeError(`The body must be a JSON object (an OTLP ${kind})`);
  if (body[top] === undefined && other.key in body) {
    throw new OtlpShapeError(`The body has ${other.key} but no ${top}: send it to ${other.path}`);
  }
  const out: MappedEvent[] = [];
  list(body[top], top).forEach((r, i) => {
    if (!isObj(r)) throw new OtlpShapeError(`${top}[${i}] must be an object`);
    const resource = isObj(r.resource) ? attributes(r.resource.attributes) : {};
    list(r[mid], `${top}[${i}].${mid}`).forEach((s, j) => {
      if (!isObj(s)) throw new OtlpShapeError(`${top}[${i}].${mid}[${j}] must be an object`);
      const scope = isObj(s.scope) ? s.scope : undefined;
      const ctx: Scope = { resource, scope, scopeName: label(str(scope?.name), 256) };
      list(s[bottom], `${top}[${i}].${mid}[${j}].${bottom}`).forEach((record, k) => {
        const source = `${top}[${i}].${mid}[${j}].${bottom}[${k}]`;
        for (const event of leaf(record, ctx)) out.push({ source, event });
      });
    });
  });
  return out;
}

/** ExportLogsServiceRequest → events (one per log record). Throws OtlpShapeError for a broken envelope. */
export function mapOtlpLogs(body: unknown): MappedEvent[] {
  return walk(body, ["resourceLogs", "scopeLogs", "logRecords"], { key: "resourceSpans", path: "/api/v1/otlp/v1/traces" }, mapLogRecord);
}

/** ExportTraceServiceRequest → events (one per span, plus an error event for a failed span with an exception). */
export function mapOtlpTraces(body: unknown): MappedEvent[] {
  return walk(body, ["resourceSpans", "scopeSpans", "spans"], { key: "resourceLogs", path: "/api/v1/otlp/v1/logs" }, mapSpan);
}
