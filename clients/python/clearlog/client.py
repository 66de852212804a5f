"""The Clearlog training API from a notebook: extract, wait, download, register, alias, feedback."""

import json
import time
import urllib.error
import urllib.parse
import urllib.request

from .errors import ExtractionFailedError, error_for

PARQUET_MAGIC = b"PAR1"


class FeatureSet:
    """An extraction started on the server; `id` is the set's id, `job` the extraction job's."""

    def __init__(self, client, set_id, job=None):
        self.client = client
        self.id = set_id
        self.job = job
        self.status = None

    def wait(self, progress=None, poll_seconds=1.0, timeout_seconds=3600):
        """Polls until the set is ready (or stale); calls progress(status_dict) on each poll."""
        deadline = time.monotonic() + timeout_seconds
        while True:
            self.status = self.client.feature_set(self.id)
            if progress is not None:
                progress(self.status)
            state = self.status["status"]
            if state in ("ready", "stale"):
                return self
            if state == "failed":
                job = self.status.get("job") or {}
                raise ExtractionFailedError(500, job.get("error") or "The extraction failed", self.status)
            if time.monotonic() > deadline:
                raise TimeoutError(f"feature set {self.id} still building after {timeout_seconds} s")
            time.sleep(poll_seconds)

    def feature_ids(self):
        """The set's feature ids (its rows' ids, in the order of its files); the set must be ready."""
        return self.client.feature_ids(self.id)

    def manifest(self):
        return self.client.manifest(self.id)

    def download(self, path, format="parquet"):
        return self.client.download(self.id, path, format)

    def to_pandas(self):
        return self.client.to_pandas(self.id)


class Client:
    """Client(url, api_key): every call sends the key as a Bearer token; 429/503 are retried."""

    def __init__(self, url, api_key, retries=5, timeout=60):
        self.url = url.rstrip("/")
        self.api_key = api_key
        self.retries = retries
        self.timeout = timeout

    # -- transport -------------------------------------------------------------------------
    def _open(self, method, path, body=None, query=None):
        url = f"{self.url}/api/v1{path}"
        if query:
            url += "?" + urllib.parse.urlencode(query)
        data = None if body is None else json.dumps(body).encode("utf-8")
        headers = {"Authorization": f"Bearer {self.api_key}", "Accept": "application/json, application/problem+json, */*"}
        if data is not None:
            headers["Content-Type"] = "application/json"
        for attempt in range(self.retries + 1):
            request = urllib.request.Request(url, data=data, method=method, headers=headers)
            try:
                return urllib.request.urlopen(request, timeout=self.timeout)
            except urllib.error.HTTPError as error:
                raw = error.read()
                try:
                    problem = json.loads(raw or b"{}")
                except ValueError:
                    problem = {"detail": f"HTTP {error.code}"}
                if error.code in (429, 503) and attempt < self.retries:
                    time.sleep(_retry_after(error.headers.get("Retry-After"), attempt))
                    continue
                raise error_for(error.code, problem) from None
        raise AssertionError("unreachable")

    def _json(self, method, path, body=None, query=None):
        with self._open(method, path, body, query) as response:
            raw = response.read()
            return json.loads(raw) if raw else None

    # -- feature sets ----------------------------------------------------------------------
    def extract_features(self, feature_type, start_date, end_date):
        """Starts an extraction (user_behavior, ai_usage, error_patterns); returns a FeatureSet to wait on."""
        answer = self._json("POST", "/feature-sets", {"featureType": feature_type, "startDate": _iso(start_date), "endDate": _iso(end_date)})
        return FeatureSet(self, answer["id"], answer["job"])

    def feature_set(self, set_id):
        return self._json("GET", f"/feature-sets/{set_id}")

    def feature_sets(self, limit=50):
        return self._json("GET", "/feature-sets", query={"limit": limit})["featureSets"]

    def wait(self, set_id, progress=None, poll_seconds=1.0, timeout_seconds=3600):
        return FeatureSet(self, set_id).wait(progress, poll_seconds, timeout_seconds)

    def feature_ids(self, set_id):
        """A ready set's feature ids (its rows' ids), fetched 10,000 a page; a stale set raises StaleFeatureSetError."""
        ids, after = [], None
        while True:
            page = self._json("GET", f"/feature-sets/{set_id}/feature-ids", query={"after": after} if after else None)
            ids.extend(page["ids"])
            if not page["next"]:
                return ids
            after = page["next"]

    def manifest(self, set_id):
        return self._json("GET", f"/feature-sets/{set_id}/manifest")

    def download(self, set_id, path, format="parquet"):
        """Streams the set's rows to `path` (csv, jsonl or parquet); returns the sha256 digest header."""
        with self._open("GET", f"/feature-sets/{set_id}/data", query={"format": format}) as response, open(path, "wb") as out:
            while True:
                chunk = response.read(1 << 16)
                if not chunk:
                    break
                out.write(chunk)
            return response.headers.get("X-Clearlog-Digest")

    def to_pandas(self, set_id):
        """The set as a pandas DataFrame (needs pandas; Parquet when pyarrow is installed, else JSON Lines)."""
        import io
        import pandas  # noqa: F401 - the error says what to install

        try:
            import pyarrow  # noqa: F401

            fmt = "parquet"
        except ImportError:
            fmt = "jsonl"
        with self._open("GET", f"/feature-sets/{set_id}/data", query={"format": fmt}) as response:
            raw = response.read()
        if fmt == "parquet":
            return pandas.read_parquet(io.BytesIO(raw))
        return pandas.read_json(io.BytesIO(raw), lines=True)

    def rebuild(self, set_id):
        answer = self._json("POST", f"/feature-sets/{set_id}/rebuild")
        return FeatureSet(self, answer["id"], answer["job"])

    def delete_feature_set(self, set_id):
        self._json("DELETE", f"/feature-sets/{set_id}")

    # -- registry --------------------------------------------------------------------------
    def register_model(self, model_name, model_type, model_version, feature_sets, model_description=None, is_active=False, metrics=None, parameters=None, tags=None, artifact_uri=None):
        """Registers a version trained on `feature_sets` (ids); is_active=True makes it production."""
        body = {
            "model_name": model_name,
            "model_type": model_type,
            "model_version": model_version,
            "feature_sets": [getattr(s, "id", s) for s in feature_sets],
            "is_active": is_active,
            "metrics": metrics or {},
            "parameters": parameters or {},
            "tags": tags or [],
        }
        if model_description is not None:
            body["model_description"] = model_description
        if artifact_uri is not None:
            body["artifact_uri"] = artifact_uri
        return self._json("POST", "/models", body)

    def models(self):
        return self._json("GET", "/models")["models"]

    def set_alias(self, model_name, alias, version):
        self._json("PUT", f"/models/{_seg(model_name)}/aliases/{_seg(alias)}", {"version": version})

    def remove_alias(self, model_name, alias):
        self._json("DELETE", f"/models/{_seg(model_name)}/aliases/{_seg(alias)}")

    def lineage(self, model_name, version):
        return self._json("GET", f"/models/{_seg(model_name)}/versions/{_seg(version)}")

    def retrain_needed(self, aliases=None):
        query = {"alias": ",".join(aliases)} if aliases else None
        return self._json("GET", "/retrain-needed", query=query)["versions"]

    # -- feedback --------------------------------------------------------------------------
    def send_feedback(self, model, rating=None, score=None, version=None, alias=None, label=None, comment=None, subject=None, event_id=None, source=None, feedback_id=None):
        """One feedback on a model version (needs the `feedback` scope on the key)."""
        body = {"model": model}
        for key, value in (("rating", rating), ("score", score), ("version", version), ("alias", alias), ("label", label), ("comment", comment), ("subject", subject), ("eventId", event_id), ("source", source), ("id", feedback_id)):
            if value is not None:
                body[key] = value
        return self._json("POST", "/feedback", body)


def _iso(value):
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _seg(value):
    return urllib.parse.quote(str(value), safe="")


def _retry_after(header, attempt):
    try:
        return max(0.0, float(header))
    except (TypeError, ValueError):
        return min(30.0, 0.5 * (2**attempt))


def is_parquet(path):
    """True when the file starts and ends with Parquet's magic bytes."""
    with open(path, "rb") as f:
        head = f.read(4)
        f.seek(-4, 2)
        return head == PARQUET_MAGIC and f.read(4) == PARQUET_MAGIC
