import { env } from "../../lib/env";

/** Where the e2e webhook receiver and SMTP sink listen: fixed, derived from the app's e2e port. */
export function e2eSinkPorts(port = env().CLEARLOG_E2E_PORT) {
  return { http: port + 10_000, smtp: port + 20_000 };
}
