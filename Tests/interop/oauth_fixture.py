"""The local OAuth issuer (servers/oauth_issuer.py) as a test fixture.

    with running_issuer(audience, log_dir) as issuer:
        token = issuer.mint({"scope": "mcp:tools"})                 # valid, RS256, kid rsa-1
        issuer.mint(alg="ES256")                                     # valid, ES256, kid ec-1
        issuer.mint(bad="expired")                                   # see BAD_TOKENS
        kid = issuer.rotate(); issuer.mint(kid=kid)                  # key rotation
        issuer.hits("/jwks")                                         # JWKS fetches so far

`oauth_config(issuer, audience, ...)` is the `auth.oauth` block for make_config. The module-scoped
`oauth_issuer` fixture needs the module to define `OAUTH_AUDIENCE`; import it into a test module
(`from oauth_fixture import oauth_issuer  # noqa: F401`) to use it.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

import harness

ISSUER_PY = Path(__file__).resolve().parent / "servers" / "oauth_issuer.py"

#: Every kind of token the gateway must refuse, by the issuer's `bad` name.
BAD_TOKENS = ("expired", "not_yet_valid", "wrong_audience", "wrong_issuer", "unknown_kid", "alg_none",
              "hs256_public_key", "bad_signature", "no_exp", "no_sub")


@dataclass
class Issuer:
    url: str
    audience: str
    proc: subprocess.Popen[Any]
    log: Path

    def _post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        r = httpx.post(self.url + path, json=body, timeout=10)
        r.raise_for_status()
        return r.json()

    def mint(self, claims: dict[str, Any] | None = None, alg: str = "RS256", *, kid: str | None = None,
             bad: str | None = None) -> str:
        """A token for `audience` (claims override the defaults; None drops a claim)."""
        return self._post("/mint", {"claims": claims or {}, "alg": alg, "kid": kid, "bad": bad})["token"]

    def rotate(self, alg: str = "RS256") -> str:
        """Adds a new key to the JWKS; returns its kid."""
        return self._post("/rotate", {"alg": alg})["kid"]

    def jwks(self) -> dict[str, Any]:
        return httpx.get(self.url + "/jwks", timeout=10).json()

    def hits(self, path: str) -> int:
        """How often `path` was fetched (the fixture's own /jwks reads count too)."""
        return int(httpx.get(self.url + "/_stats", timeout=10).json().get(path, 0))

    def stop(self) -> None:
        harness.stop_process(self.proc)


def start_issuer(audience: str, log_dir: Path, *, metadata: str = "both", timeout: float = 20.0) -> Issuer:
    """Start the issuer on an OS-chosen port; return once it printed `READY <url>`."""
    log_dir.mkdir(parents=True, exist_ok=True)
    log = log_dir / "oauth-issuer.log"
    errf = open(log, "ab")
    proc = subprocess.Popen(
        [harness.PYTHON, str(ISSUER_PY), "--audience", audience, "--metadata", metadata, "--tag", harness.RUN_TAG],
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=errf, start_new_session=True)
    errf.close()
    harness._register(proc)
    url = harness.wait_for_ready_line(proc, log, timeout, "oauth issuer")
    return Issuer(url, audience, proc, log)


@contextmanager
def running_issuer(audience: str, log_dir: Path, **kw: Any) -> Iterator[Issuer]:
    issuer = start_issuer(audience, log_dir, **kw)
    try:
        yield issuer
    finally:
        issuer.stop()


def oauth_config(issuer: Issuer, *, required_scopes: list[str] | None = None, jwks_url: bool = False,
                 **extra: Any) -> dict[str, Any]:
    """The `auth.oauth` mapping for this issuer (discovery unless `jwks_url`)."""
    cfg: dict[str, Any] = {"issuer": issuer.url, "audience": issuer.audience, **extra}
    if required_scopes:
        cfg["required_scopes"] = required_scopes
    if jwks_url:
        cfg["jwks_url"] = issuer.url + "/jwks"
    return cfg


@pytest.fixture(scope="module")
def oauth_issuer(request: pytest.FixtureRequest, log_dir: Path) -> Iterator[Issuer]:
    """The issuer for the module's `OAUTH_AUDIENCE`."""
    audience = getattr(request.module, "OAUTH_AUDIENCE")
    with running_issuer(audience, log_dir) as issuer:
        yield issuer
