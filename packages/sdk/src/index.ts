// Clearlog client SDK: send events from applications (Node 20+ and browsers) to a Clearlog server.
// No server imports here: this folder is bundled into browser code.
export { createLogger } from "./logger";
export { ClearlogError } from "./errors";
export { createConsentClient } from "./consent";
export type { ConsentClient, ConsentClientOptions, PurposeConsent } from "./consent";
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
