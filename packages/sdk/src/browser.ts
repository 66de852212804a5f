// The browser entry (package.json's `browser` condition; built minified to dist/browser.mjs, at most
// 7 KB gzipped, checked by bundle-size.test.ts): everything index.ts exports except the consent
// client, whose key (the `consent` scope reads and changes people's consent) belongs on a server.
export { createLogger } from "./logger";
export { createLoggingService, loggingService } from "./service";
export type { LoggingService } from "./service";
export { ClearlogError } from "./errors";
export type { ClearlogErrorCode, Rejection } from "./errors";
export type {
  AiInteraction,
  ApiRequestInfo,
  Details,
  Feedback,
  FeedbackResponse,
  FeedbackResult,
  FetchInit,
  FetchLike,
  FetchResponseLike,
  Logger,
  LoggerOptions,
  LoggerStats,
  TimerApi,
} from "./types";
export type * from "./wire";
