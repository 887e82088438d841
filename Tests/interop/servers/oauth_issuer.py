"""A local OAuth 2.1 authorization server for the tests: real keys, real signatures.

Serves on 127.0.0.1 (OS-chosen port), prints `READY <issuer-url>` once listening:
  GET  /.well-known/oauth-authorization-server   RFC 8414 metadata (unless --metadata oidc)
  GET  /.well-known/openid-configuration         OIDC discovery (unless --metadata oauth)
  GET  /jwks                                     the public keys: RS256 `rsa-1`, ES256 `ec-1`
                                                 (plus keys added by /rotate)
  POST /mint    {claims, alg, kid, bad}          a signed token (test-only; see `mint`)
  POST /rotate  {alg}                            adds a new key to the JWKS, answers {kid}
  GET  /_stats                                   {path: hits} so tests can count JWKS fetches
  POST /register                                 dynamic client registration (RFC 7591)
  GET  /authorize                                the authorization-code flow with PKCE (S256),
                                                 approved at once: 302 to redirect_uri?code&state
  POST /token                                    the code for a JWT (PKCE checked; `aud` is the
                                                 `resource` the client named, RFC 8707)
  POST /grant   {scope}                          the scope /authorize grants from then on

`bad` makes the tokens the gateway must refuse: expired, not_yet_valid, wrong_audience,
wrong_issuer, unknown_kid, alg_none, hs256_public_key (HS256 with the RSA public key's PEM as
the secret: algorithm confusion), bad_signature, no_exp, no_sub. A missing scope is just a
`scope` claim without it. Claims default to iss=<issuer>, aud=--audience, sub=alice,
iat=now, exp=now+300; a claim given as null is left out.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import json
import secrets
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from jwt.algorithms import ECAlgorithm, RSAAlgorithm


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class Key:
    def __init__(self, kid: str, alg: str) -> None:
        self.kid = kid
        self.alg = alg
        if alg.startswith("ES"):
            self.private = ec.generate_private_key(ec.SECP256R1())
            jwk = ECAlgorithm.to_jwk(self.private.public_key(), as_dict=True)
        else:
            self.private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
            jwk = RSAAlgorithm.to_jwk(self.private.public_key(), as_dict=True)
        self.jwk = {**jwk, "kid": kid, "alg": alg, "use": "sig"}

    def public_pem(self) -> bytes:
        return self.private.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


class Issuer:
    def __init__(self, url: str, audience: str, metadata: str) -> None:
        self.url = url
        self.audience = audience
        self.metadata = metadata
        self.lock = threading.Lock()
        self.keys: dict[str, Key] = {"rsa-1": Key("rsa-1", "RS256"), "ec-1": Key("ec-1", "ES256")}
        self.hits: dict[str, int] = {}
        # The authorization-code flow with PKCE (what MCP clients' OAuth support runs): registered
        # clients, and codes waiting to be exchanged (code -> challenge, client, redirect, resource, scope).
        self.clients: dict[str, dict[str, Any]] = {}
        self.codes: dict[str, dict[str, Any]] = {}
        #: The scope granted by /authorize (a test sets it with POST /grant).
        self.granted_scope = ""

    def jwks(self) -> dict[str, Any]:
        with self.lock:
            return {"keys": [k.jwk for k in self.keys.values()]}

    def rotate(self, alg: str) -> str:
        kid = f"{'ec' if alg.startswith('ES') else 'rsa'}-{secrets.token_hex(4)}"
        key = Key(kid, alg)
        with self.lock:
            self.keys[kid] = key
        return kid

    def metadata_document(self) -> dict[str, Any]:
        return {
            "issuer": self.url,
            "jwks_uri": self.url + "/jwks",
            "authorization_endpoint": self.url + "/authorize",
            "token_endpoint": self.url + "/token",
            "registration_endpoint": self.url + "/register",
            "token_endpoint_auth_methods_supported": ["none", "client_secret_post"],
            "response_types_supported": ["code"],
            "grant_types_supported": ["authorization_code", "client_credentials"],
            "code_challenge_methods_supported": ["S256"],
            "id_token_signing_alg_values_supported": ["RS256", "ES256"],
        }

    def mint(self, claims: dict[str, Any] | None, alg: str, kid: str | None, bad: str | None) -> str:
        now = int(time.time())
        payload: dict[str, Any] = {"iss": self.url, "aud": self.audience, "sub": "alice", "iat": now, "exp": now + 300}
        payload.update(claims or {})
        if bad == "expired":
            payload.update(iat=now - 7200, exp=now - 3600)
        elif bad == "not_yet_valid":
            payload.update(nbf=now + 3600, exp=now + 7200)
        elif bad == "wrong_audience":
            payload["aud"] = "http://127.0.0.1:9/another-resource"
        elif bad == "wrong_issuer":
            payload["iss"] = self.url + "/another-issuer"
        elif bad == "no_exp":
            payload["exp"] = None
        elif bad == "no_sub":
            payload["sub"] = None
        payload = {k: v for k, v in payload.items() if v is not None}

        with self.lock:
            default_kid = "ec-1" if alg.startswith("ES") else "rsa-1"
            key = self.keys[kid or default_kid]
        if bad == "alg_none":
            header = {"alg": "none", "typ": "JWT", "kid": key.kid}
            return f"{b64url(json.dumps(header).encode())}.{b64url(json.dumps(payload).encode())}."
        if bad == "hs256_public_key":
            rsa_key = self.keys["rsa-1"]
            header = {"alg": "HS256", "typ": "JWT", "kid": rsa_key.kid}
            signing_input = f"{b64url(json.dumps(header).encode())}.{b64url(json.dumps(payload).encode())}"
            signature = hmac.new(rsa_key.public_pem(), signing_input.encode(), hashlib.sha256).digest()
            return f"{signing_input}.{b64url(signature)}"
        if bad == "unknown_kid":
            stranger = Key(f"unknown-{secrets.token_hex(4)}", alg)
            return jwt.encode(payload, stranger.private, algorithm=alg, headers={"kid": stranger.kid})
        token = jwt.encode(payload, key.private, algorithm=alg, headers={"kid": key.kid})
        if bad == "bad_signature":
            head, body, signature = token.split(".")
            raw = bytearray(base64.urlsafe_b64decode(signature + "=" * (-len(signature) % 4)))
            raw[len(raw) // 2] ^= 0x01
            token = f"{head}.{body}.{b64url(bytes(raw))}"
        elif bad not in (None, "expired", "not_yet_valid", "wrong_audience", "wrong_issuer", "no_exp", "no_sub"):
            raise ValueError(f"unknown bad token kind {bad!r}")
        return token


def make_handler(issuer: Issuer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, fmt: str, *args: Any) -> None:
            sys.stderr.write("oauth_issuer: " + fmt % args + "\n")

        def answer(self, status: int, body: Any) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def redirect(self, location: str) -> None:
            self.send_response(302)
            self.send_header("Location", location)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def authorize(self) -> None:
            """Approves at once (no user to ask): a code bound to the PKCE challenge, the client,
            the redirect URI and the resource, sent back to the redirect URI."""
            query = dict(urllib.parse.parse_qsl(self.path.split("?", 1)[1] if "?" in self.path else ""))
            if query.get("client_id") not in issuer.clients or query.get("code_challenge_method") != "S256":
                self.answer(400, {"error": "invalid_request"})
                return
            code = secrets.token_urlsafe(16)
            with issuer.lock:
                issuer.codes[code] = {"challenge": query.get("code_challenge"), "client": query["client_id"],
                                      "redirect": query.get("redirect_uri"), "resource": query.get("resource"),
                                      "scope": issuer.granted_scope or query.get("scope", "")}
            params = urllib.parse.urlencode({"code": code, "state": query.get("state", "")})
            self.redirect(f"{query.get('redirect_uri')}?{params}")

        def token(self, form: dict[str, str]) -> None:
            with issuer.lock:
                grant = issuer.codes.pop(form.get("code", ""), None)
            verifier = form.get("code_verifier", "")
            challenge = b64url(hashlib.sha256(verifier.encode()).digest())
            if (grant is None or form.get("grant_type") != "authorization_code" or grant["challenge"] != challenge
                    or grant["client"] != form.get("client_id") or grant["redirect"] != form.get("redirect_uri")):
                self.answer(400, {"error": "invalid_grant"})
                return
            # The token is for the resource the client named (RFC 8707), else the default audience.
            claims = {"sub": f"client-{grant['client'][:8]}", "scope": grant["scope"], "client_id": grant["client"],
                      "aud": grant["resource"] or issuer.audience}
            self.answer(200, {"access_token": issuer.mint(claims, "RS256", None, None), "token_type": "Bearer",
                              "expires_in": 300, "scope": grant["scope"]})

        def do_GET(self) -> None:  # noqa: N802
            path = self.path.split("?", 1)[0]
            with issuer.lock:
                issuer.hits[path] = issuer.hits.get(path, 0) + 1
            if path == "/.well-known/oauth-authorization-server" and issuer.metadata in ("oauth", "both"):
                self.answer(200, issuer.metadata_document())
            elif path == "/.well-known/openid-configuration" and issuer.metadata in ("oidc", "both"):
                self.answer(200, issuer.metadata_document())
            elif path == "/jwks":
                self.answer(200, issuer.jwks())
            elif path == "/authorize":
                self.authorize()
            elif path == "/_stats":
                with issuer.lock:
                    self.answer(200, dict(issuer.hits))
            else:
                self.answer(404, {"error": "not_found"})

        def do_POST(self) -> None:  # noqa: N802
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length)
            with issuer.lock:
                issuer.hits[self.path] = issuer.hits.get(self.path, 0) + 1
            if self.path == "/token":
                self.token(dict(urllib.parse.parse_qsl(raw.decode())))
                return
            try:
                body = json.loads(raw or b"{}")
                if self.path == "/register":
                    client_id = secrets.token_hex(8)
                    with issuer.lock:
                        issuer.clients[client_id] = body
                    self.answer(201, {**body, "client_id": client_id, "token_endpoint_auth_method": "none"})
                elif self.path == "/grant":
                    issuer.granted_scope = body.get("scope", "")
                    self.answer(200, {"scope": issuer.granted_scope})
                elif self.path == "/mint":
                    token = issuer.mint(body.get("claims"), body.get("alg", "RS256"), body.get("kid"), body.get("bad"))
                    self.answer(200, {"token": token})
                elif self.path == "/rotate":
                    self.answer(200, {"kid": issuer.rotate(body.get("alg", "RS256"))})
                else:
                    self.answer(404, {"error": "not_found"})
            except (ValueError, KeyError) as error:
                self.answer(400, {"error": str(error)})

    return Handler


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--audience", required=True, help="default `aud` of minted tokens")
    parser.add_argument("--metadata", choices=("oauth", "oidc", "both"), default="both")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--tag", default="", help="the test run's id, so strays can be found (harness.tagged_pids)")
    args = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", args.port), BaseHTTPRequestHandler)
    url = f"http://127.0.0.1:{server.server_address[1]}"
    server.RequestHandlerClass = make_handler(Issuer(url, args.audience, args.metadata))
    print(f"READY {url}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
