import "server-only";
import { extractFeatures } from "./extract";
import { registerModel } from "./registry";

/**
 * The documented training API, for scripts and notebooks run on the server (`npm run cli`, tsx):
 *   await modelTrainingService.extractFeatures("user_behavior", { startDate, endDate })
 *   await modelTrainingService.registerModel({ model_name, model_type, model_version, model_description, feature_sets, is_active })
 * Pages do the same through server actions, extraction as a job with progress.
 */
export const modelTrainingService = { extractFeatures, registerModel };
