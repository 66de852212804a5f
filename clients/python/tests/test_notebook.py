"""The notebook flow against a real Clearlog server (CLEARLOG_URL, CLEARLOG_API_KEY, CLEARLOG_CONSENT_KEY)."""

import json
import os
import tempfile
import unittest
import urllib.request

from clearlog import Client, NotFoundError, StaleFeatureSetError, ValidationError
from clearlog.client import is_parquet

URL = os.environ.get("CLEARLOG_URL")
KEY = os.environ.get("CLEARLOG_API_KEY")
CONSENT_KEY = os.environ.get("CLEARLOG_CONSENT_KEY")

try:
    import pandas  # noqa: F401

    HAVE_PANDAS = True
except ImportError:
    HAVE_PANDAS = False


def withdraw_consent(subject):
    """What the product does when a person withdraws: the consent API, with the app's key."""
    body = json.dumps({"subject": subject, "purposes": {"ai_training": False}}).encode()
    request = urllib.request.Request(f"{URL}/api/v1/consent", data=body, method="PUT", headers={"Authorization": f"Bearer {CONSENT_KEY}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request) as response:
        return response.status


@unittest.skipUnless(URL and KEY and CONSENT_KEY, "needs CLEARLOG_URL, CLEARLOG_API_KEY and CLEARLOG_CONSENT_KEY")
class NotebookFlow(unittest.TestCase):
    def test_extract_download_register_withdraw_retrain(self):
        client = Client(URL, KEY)
        seen = []
        fs = client.extract_features("user_behavior", "2020-06-01", "2020-06-08").wait(progress=lambda s: seen.append(s["status"]), poll_seconds=0.2, timeout_seconds=60)
        self.assertEqual(fs.status["status"], "ready")
        self.assertEqual(seen[-1], "ready")
        manifest = fs.manifest()
        self.assertEqual(manifest["rows"], 2)
        feature_ids = fs.feature_ids()
        self.assertEqual(len(feature_ids), 2)
        self.assertEqual(len(set(feature_ids)), 2)

        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "features.parquet")
            digest = fs.download(path, "parquet")
            self.assertEqual(digest, "sha256:" + manifest["digest"]["value"])
            self.assertTrue(is_parquet(path))
            jsonl = os.path.join(tmp, "features.jsonl")
            fs.download(jsonl, "jsonl")
            with open(jsonl, encoding="utf-8") as f:
                keys = [json.loads(line)["entity_key"] for line in f]
            self.assertEqual(keys, manifest["subjects"]["pseudonyms"])
            if HAVE_PANDAS:
                self.assertEqual(len(fs.to_pandas()), 2)

        registered = client.register_model(model_name="churn-py", model_type="classifier", model_version="1.0.0", model_description="from a notebook", feature_sets=[fs], metrics={"auc": 0.8})
        self.assertIn("versionId", registered)
        client.set_alias("churn-py", "production", "1.0.0")
        model = [m for m in client.models() if m["name"] == "churn-py"][0]
        self.assertEqual(model["versions"][0]["aliases"], ["production"])
        self.assertTrue(model["versions"][0]["isActive"])
        self.assertEqual(client.send_feedback("churn-py", alias="production", rating="up")["status"], "accepted")
        self.assertEqual(client.retrain_needed(), [])

        self.assertEqual(withdraw_consent("notebook-ada"), 200)
        with self.assertRaises(StaleFeatureSetError) as stale:
            fs.download(os.devnull, "csv")
        self.assertIsNone(stale.exception.rebuilt_set)
        with self.assertRaises(StaleFeatureSetError):
            fs.feature_ids()
        rebuilt = client.rebuild(fs.id).wait(poll_seconds=0.2, timeout_seconds=60)
        needed = client.retrain_needed(["production"])
        self.assertEqual([(v["modelName"], v["version"]) for v in needed], [("churn-py", "1.0.0")])
        self.assertEqual(needed[0]["staleFeatureSets"][0]["rebuiltSet"]["id"], rebuilt.id)
        self.assertTrue(client.lineage("churn-py", "1.0.0")["taint"]["tainted"])

    def test_typed_errors(self):
        client = Client(URL, KEY)
        with self.assertRaises(ValidationError) as bad:
            client.extract_features("everything", "2020-06-01", "2020-06-08")
        self.assertEqual(bad.exception.field, "featureType")
        with self.assertRaises(NotFoundError):
            client.feature_set("00000000-0000-4000-8000-000000000000")


@unittest.skipUnless(HAVE_PANDAS, "pandas is not installed")
class PandasAvailable(unittest.TestCase):
    def test_pandas_imports(self):
        import pandas

        self.assertTrue(hasattr(pandas, "read_parquet"))
