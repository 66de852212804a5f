// Runs once when the Next.js server starts: background upkeep for the web process.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startMaintenance } = await import("./lib/db/maintenance");
  startMaintenance();
}
