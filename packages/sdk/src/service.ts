// loggingService: a ready logger configured from the environment (CLEARLOG_URL, CLEARLOG_API_KEY, read
// from `process.env` where there is one), created on its first use, so importing the SDK does nothing.
// Browsers have no such environment: call `loggingService.configure({ endpoint, apiKey })` first.
import { createLogger, LOGGER_METHODS } from "./logger";
import type { Logger, LoggerOptions } from "./types";

export interface LoggingService extends Logger {
  /** Options over the environment's (`endpoint` ← CLEARLOG_URL, `apiKey` ← CLEARLOG_API_KEY). A logger
   * already in use is shut down (its queued events are still sent) and the next call starts a new one. */
  configure(options: Partial<LoggerOptions>): void;
}

type Environment = Record<string, string | undefined>;

/** `process.env` in Node (and where a bundler provides it), else nothing. */
function processEnv(): Environment {
  return (globalThis as { process?: { env?: Environment } }).process?.env ?? {};
}

export function createLoggingService(readEnv: () => Environment = processEnv): LoggingService {
  let logger: Logger | undefined;
  let options: Partial<LoggerOptions> = {};
  const current = (): Logger => {
    if (!logger) {
      const env = readEnv();
      logger = createLogger({ endpoint: env.CLEARLOG_URL as string, apiKey: env.CLEARLOG_API_KEY as string, ...options });
    }
    return logger;
  };
  const service = {
    configure(next: Partial<LoggerOptions>) {
      options = { ...options, ...next };
      void logger?.shutdown();
      logger = undefined;
    },
  } as LoggingService;
  for (const name of LOGGER_METHODS) {
    (service as unknown as Record<string, unknown>)[name] = (...args: unknown[]) => (current()[name] as (...a: unknown[]) => unknown)(...args);
  }
  return service;
}

/** The ready logger: `loggingService.logUserAction("checkout.click", "cart", { items: 3 })`. */
export const loggingService: LoggingService = /* @__PURE__ */ createLoggingService();
