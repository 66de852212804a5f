// Runs once when the Next.js server starts: background upkeep, the job worker and the OTLP/gRPC intake for the web process.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startMaintenance } = await import("./lib/jobs/maintenance");
  const { startJobWorker } = await import("./lib/jobs/worker");
  const { startConfiguredOtlpGrpcServer } = await import("./lib/otlp/grpc-server");
  const { logger } = await import("./lib/logger");
  startMaintenance();
  startJobWorker().catch((error: unknown) => logger().error({ component: "jobs", err: error }, "the worker did not start"));
  void startConfiguredOtlpGrpcServer();
}
