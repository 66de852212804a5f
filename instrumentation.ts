// Runs once when the Next.js server starts: background upkeep and the job worker for the web process.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startMaintenance } = await import("./lib/jobs/maintenance");
  const { startJobWorker } = await import("./lib/jobs/worker");
  const { logger } = await import("./lib/logger");
  startMaintenance();
  startJobWorker().catch((error: unknown) => logger().error({ component: "jobs", err: error }, "the worker did not start"));
}
