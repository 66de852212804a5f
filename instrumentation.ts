// Runs once when the Next.js server starts: the job worker for the web process, which also works the
// scheduled jobs (daily retention, hourly upkeep, re-dispatch; lib/jobs/schedules.ts).
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startJobWorker } = await import("./lib/jobs/worker");
  const { logger } = await import("./lib/logger");
  startJobWorker().catch((error: unknown) => logger().error({ component: "jobs", err: error }, "the worker did not start"));
}
