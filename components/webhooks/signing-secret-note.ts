export const SIGNING_SECRET_NOTE = "Copy its signing secret now: it will not be shown again. Your receiver verifies each delivery with it (see the documentation).";
