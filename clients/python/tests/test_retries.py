"""Retries on 429/503 honour Retry-After; other errors are raised at once, typed."""

import json
import threading
import unittest
from http.server import BaseHTTPRequestHandler, HTTPServer

from clearlog import Client, PermissionDeniedError, RateLimitedError


class Scripted(BaseHTTPRequestHandler):
    answers = []
    seen = []

    def do_GET(self):
        Scripted.seen.append(self.headers.get("Authorization"))
        status, headers, body = Scripted.answers.pop(0)
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(json.dumps(body).encode())

    def log_message(self, *args):
        pass


class Retries(unittest.TestCase):
    def setUp(self):
        self.server = HTTPServer(("127.0.0.1", 0), Scripted)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        Scripted.seen = []

    def tearDown(self):
        self.server.shutdown()
        self.server.server_close()

    def test_retries_429_and_503_then_succeeds(self):
        Scripted.answers = [(429, {"Retry-After": "0"}, {"detail": "slow down"}), (503, {"Retry-After": "0"}, {"detail": "busy"}), (200, {}, {"versions": []})]
        self.assertEqual(Client(self.url, "clk_k").retrain_needed(), [])
        self.assertEqual(Scripted.seen, ["Bearer clk_k"] * 3)

    def test_gives_up_after_the_retries(self):
        Scripted.answers = [(429, {"Retry-After": "0"}, {"detail": "slow down", "code": "throttled"})] * 3
        with self.assertRaises(RateLimitedError):
            Client(self.url, "clk_k", retries=2).retrain_needed()
        self.assertEqual(len(Scripted.seen), 3)

    def test_forbidden_is_not_retried(self):
        Scripted.answers = [(403, {}, {"detail": "This API key lacks the 'training:read' scope", "code": "forbidden"})]
        with self.assertRaises(PermissionDeniedError) as denied:
            Client(self.url, "clk_k").retrain_needed()
        self.assertIn("training:read", denied.exception.detail)
        self.assertEqual(len(Scripted.seen), 1)
