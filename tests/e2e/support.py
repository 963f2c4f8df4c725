"""Utilities of the end-to-end harness: bounded waits, loopback HTTP, Twilio signatures, a tiny
YAML writer, libpq connection strings. Standard library only."""

import base64
import hashlib
import hmac
import http.client
import json
import os
import shutil
import socket
import time
import unittest
import urllib.error
import urllib.request

SKIP_EXIT_CODE = 77  # ctest SKIP_RETURN_CODE: no PostgreSQL to test against

# Small utilities


def env_path(name):
    value = os.environ.get(name, "")
    if not value:
        raise unittest.SkipTest(f"{name} is not set")
    return value


def wait_until(predicate, timeout, what, interval=0.05):
    """Polls predicate() until it returns something truthy; raises AssertionError on timeout."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}")
        time.sleep(interval)


def free_port():
    """A port that was free a moment ago. The dispatcher needs a fixed one: its public URL (which
    webhook signatures and status callbacks use) must be known before it starts, and must stay
    the same across a restart."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def sha256_token_hash(token):
    return "sha256:" + hashlib.sha256(token.encode()).hexdigest()


def twilio_signature(auth_token, url, params):
    """Base64(HMAC-SHA1(token, url + name1 + value1 + ...)), params sorted by name then value."""
    data = url + "".join(name + value for name, value in sorted(set(params)))
    digest = hmac.new(auth_token.encode(), data.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def yaml_dump(value, indent=0):
    """A tiny YAML emitter: block mappings and lists, every scalar as a JSON (= YAML
    double-quoted) string or number, so nothing is ever reinterpreted."""
    pad = "  " * indent
    lines = []
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, (dict, list)) and item:
                lines.append(f"{pad}{key}:")
                lines.append(yaml_dump(item, indent + 1))
            else:
                lines.append(f"{pad}{key}: {yaml_scalar(item)}")
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, dict) and item:
                body = yaml_dump(item, indent + 1).split("\n")
                lines.append(f"{pad}- {body[0].lstrip()}")
                lines.extend(body[1:])
            else:
                lines.append(f"{pad}- {yaml_scalar(item)}")
    return "\n".join(lines)


def yaml_scalar(item):
    if isinstance(item, bool):
        return "true" if item else "false"
    if isinstance(item, (int, float)):
        return json.dumps(item)
    if isinstance(item, list):
        return "[]"
    if isinstance(item, dict):
        return "{}"
    return json.dumps(str(item))


def parse_conninfo(text):
    out = {}
    for part in text.split():
        key, _, value = part.partition("=")
        out[key] = value
    return out


def format_conninfo(fields):
    return " ".join(f"{k}={v}" for k, v in fields.items())


def psql_binary():
    found = shutil.which("psql")
    if found:
        return found
    return "/usr/lib/postgresql/15/bin/psql"


def read_status_hwm_kb(pid):
    """VmHWM (peak resident set) of a live process, in KiB; None once it is gone."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def read_cpu_seconds(pid):
    """User + system CPU time a live process has used so far; None once it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class HttpResult:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    def json(self):
        return json.loads(self.body.decode() or "null")

    @property
    def text(self):
        return self.body.decode(errors="replace")

    def __repr__(self):
        return f"HttpResult({self.status}, {self.body[:300]!r})"


# Never through a proxy: every request of these tests goes to 127.0.0.1.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def http_request(url, method="GET", body=None, headers=None, timeout=15):
    assert url.startswith("http://127.0.0.1:"), url
    req = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with _OPENER.open(req, timeout=timeout) as resp:
            return HttpResult(resp.status, dict(resp.headers), resp.read())
    except urllib.error.HTTPError as e:
        return HttpResult(e.code, dict(e.headers), e.read())


def raw_post(host, port, path, body, headers, timeout=15):
    """POST through http.client, tolerating a server that answers (413) and closes before it has
    read the whole body."""
    conn = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        try:
            conn.request("POST", path, body=body, headers=headers)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the answer may still be waiting in our receive buffer
        resp = conn.getresponse()
        return HttpResult(resp.status, dict(resp.getheaders()), resp.read())
    finally:
        conn.close()


def tail(text, lines):
    return "\n".join(text.splitlines()[-lines:])
