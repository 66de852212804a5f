-- API keys for notebooks: read training data, start extractions, register models.
ALTER TYPE "ApiKeyScope" ADD VALUE 'training_read';
ALTER TYPE "ApiKeyScope" ADD VALUE 'training_write';
ALTER TYPE "ApiKeyScope" ADD VALUE 'registry_write';
