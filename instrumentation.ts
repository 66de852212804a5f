// Runs once when the Next.js server starts: background upkeep and the job worker for the web process.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startMaintenance } = await import("./lib/db/maintenance");
  const { startJobWorker } = await import("./lib/jobs/worker");
  startMaintenance();
  startJobWorker().catch((error: unknown) => console.error("[jobs] the worker did not start:", error instanceof Error ? error.message : "unknown error"));
}
