// Runs once when the Next.js server starts: the job worker for the web process, which also works the
// scheduled jobs (daily retention, hourly upkeep, re-dispatch; lib/jobs/schedules.ts), and the OTLP/gRPC intake.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startJobWorker } = await import("./lib/jobs/worker");
  const { startConfiguredOtlpGrpcServer } = await import("./lib/otlp/grpc-server");
  const { logger } = await import("./lib/logger");
  startJobWorker().catch((error: unknown) => logger().error({ component: "jobs", err: error }, "the worker did not start"));
  void startConfiguredOtlpGrpcServer();
}
