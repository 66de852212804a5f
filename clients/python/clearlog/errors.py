"""Typed errors: one class per kind of answer, each carrying the server's problem document."""


class ClearlogError(Exception):
    """Any error answer from the Clearlog API (RFC 9457 problem+json)."""

    def __init__(self, status, detail, problem=None):
        super().__init__(f"{status}: {detail}")
        self.status = status
        self.detail = detail
        self.problem = problem or {}
        self.field = self.problem.get("field")
        self.code = self.problem.get("code")


class ValidationError(ClearlogError):
    """400: the request was refused; `field` names the input at fault."""


class AuthenticationError(ClearlogError):
    """401: the API key is missing, malformed, unknown or revoked."""


class PermissionDeniedError(ClearlogError):
    """403: the key lacks the scope, or its owner no longer holds the permission."""


class NotFoundError(ClearlogError):
    """404."""


class ConflictError(ClearlogError):
    """409."""


class StaleFeatureSetError(ConflictError):
    """409 on a download: someone in the set withdrew; `rebuilt_set` is the rebuild's id, if any."""

    @property
    def rebuilt_set(self):
        return self.problem.get("rebuiltSet")


class RateLimitedError(ClearlogError):
    """429 (or 503) after the client's retries ran out."""


class ExtractionFailedError(ClearlogError):
    """The extraction job failed; `detail` is the job's error."""


def error_for(status, problem):
    detail = problem.get("detail") or problem.get("error") or f"HTTP {status}"
    if status == 409 and problem.get("code") == "stale":
        return StaleFeatureSetError(status, detail, problem)
    kind = {400: ValidationError, 401: AuthenticationError, 403: PermissionDeniedError, 404: NotFoundError, 409: ConflictError, 429: RateLimitedError, 503: RateLimitedError}
    return kind.get(status, ClearlogError)(status, detail, problem)
