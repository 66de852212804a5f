"""Clearlog training client for notebooks (standard library only; pandas/pyarrow when installed)."""

from .client import Client, FeatureSet
from .errors import (
    ClearlogError,
    AuthenticationError,
    PermissionDeniedError,
    NotFoundError,
    ValidationError,
    ConflictError,
    StaleFeatureSetError,
    RateLimitedError,
    ExtractionFailedError,
)

__all__ = [
    "Client",
    "FeatureSet",
    "ClearlogError",
    "AuthenticationError",
    "PermissionDeniedError",
    "NotFoundError",
    "ValidationError",
    "ConflictError",
    "StaleFeatureSetError",
    "RateLimitedError",
    "ExtractionFailedError",
]
