// Clearlog client SDK: send events from applications (Node 18+ and browsers) to a Clearlog server.
// No server imports and no dependencies: this package is bundled into browser code too.
export * from "./browser";
export { createConsentClient } from "./consent";
export type { ConsentClient, ConsentClientOptions, PurposeConsent } from "./consent";
export { createModelTrainingService, TrainingApiError } from "./training";
export type {
  DatasetFormat,
  FeatureIds,
  FeatureSetStatus,
  FeatureType,
  ModelTrainingService,
  RegisterModelOptions,
  RetrainNeededVersion,
  TrainingClientOptions,
} from "./training";
