import { Badge, type BadgeTone } from "@/components/ui/badge";

const SEVERITY_TONES: Record<string, BadgeTone> = { debug: "neutral", info: "blue", warn: "amber", error: "red", fatal: "red" };
export const CLASSIFICATION_TONES: Record<string, BadgeTone> = { public: "green", internal: "blue", confidential: "amber", restricted: "red" };
export const TYPE_LABELS: Record<string, string> = { user_action: "User action", ai_interaction: "AI", api_request: "API", error: "Error", system: "System" };

export const SeverityBadge = ({ severity }: { severity: string }) => <Badge tone={SEVERITY_TONES[severity] ?? "neutral"}>{severity}</Badge>;
export const ClassificationBadge = ({ level }: { level: string }) => <Badge tone={CLASSIFICATION_TONES[level] ?? "neutral"}>{level}</Badge>;
