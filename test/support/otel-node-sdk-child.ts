import { trace } from "@opentelemetry/api";
import { logs, SeverityNumber } from "@opentelemetry/api-logs";
import { NodeSDK } from "@opentelemetry/sdk-node";

// A child process for lib/otlp/otlp-exporters.db.test.ts: an application that configures OpenTelemetry
// only through the OTEL_* environment the test gives it (endpoint, headers, protocol), as the
// OpenTelemetry documentation tells people to. It records one span and one log record carrying the
// marker passed as its argument, then shuts the SDK down, which flushes both exports.
const marker = process.argv[2] ?? "no-marker";

async function main() {
  const sdk = new NodeSDK();
  sdk.start();
  const span = trace.getTracer("node-sdk-child").startSpan("child.work", { attributes: { "session.id": marker, "work.items": 3 } });
  span.end();
  logs.getLogger("node-sdk-child").emit({ severityNumber: SeverityNumber.WARN, body: "child warning", eventName: "child.warned", attributes: { "session.id": marker } });
  await sdk.shutdown();
}

main().catch(() => {
  process.exitCode = 1;
});
