import { startIngestServer } from "../test/support/api-server";

// The /api/v1 routes served in a process of their own (bench/training-http.ts), so the memory a
// download costs the server is measured apart from the client reading it. Prints one JSON line
// `{ url, pid }` when listening; stops on SIGTERM.
async function main() {
  const server = await startIngestServer();
  console.log(JSON.stringify({ url: server.url, pid: process.pid }));
  process.once("SIGTERM", () => void server.stop().then(() => process.exit(0)));
}

void main();
