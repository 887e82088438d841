"""The OAuth test issuer itself (servers/oauth_issuer.py): its metadata and JWKS are what an
authorization server publishes, its valid tokens verify with PyJWT against that JWKS, and each
bad token is bad in exactly the way its name says. Guards the fixture the gateway's OAuth probes
stand on."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization

from oauth_fixture import BAD_TOKENS, Issuer, oauth_issuer, running_issuer  # noqa: F401

OAUTH_AUDIENCE = "http://127.0.0.1:39999/mcp"


def header(token: str) -> dict:
    part = token.split(".")[0]
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


def verify(issuer: Issuer, token: str, **options) -> dict:
    """PyJWT's check: signature against the issuer's JWKS, iss, aud, exp, nbf."""
    jwks = jwt.PyJWKSet.from_dict(issuer.jwks())
    kid = header(token).get("kid")
    key = next((k for k in jwks.keys if k.key_id == kid), None)
    if key is None:
        raise jwt.InvalidKeyError(f"no key {kid}")
    return jwt.decode(token, key.key, algorithms=["RS256", "ES256"], audience=OAUTH_AUDIENCE, issuer=issuer.url,
                      options={"require": ["exp", "iss", "aud", "sub"], **options})


def test_metadata_and_jwks(oauth_issuer: Issuer) -> None:
    for path in ("/.well-known/oauth-authorization-server", "/.well-known/openid-configuration"):
        doc = httpx.get(oauth_issuer.url + path).json()
        assert doc["issuer"] == oauth_issuer.url
        assert doc["jwks_uri"] == oauth_issuer.url + "/jwks"
    keys = {k["kid"]: k for k in oauth_issuer.jwks()["keys"]}
    assert keys["rsa-1"]["kty"] == "RSA" and keys["rsa-1"]["alg"] == "RS256"
    assert keys["ec-1"]["kty"] == "EC" and keys["ec-1"]["crv"] == "P-256" and keys["ec-1"]["alg"] == "ES256"
    assert all("d" not in k for k in keys.values()), "the JWKS must hold public keys only"


@pytest.mark.parametrize("alg,kid", [("RS256", "rsa-1"), ("ES256", "ec-1")])
def test_valid_tokens_verify(oauth_issuer: Issuer, alg: str, kid: str) -> None:
    token = oauth_issuer.mint({"scope": "mcp:tools", "groups": ["ops"]}, alg=alg)
    assert header(token) == {"alg": alg, "kid": kid, "typ": "JWT"}
    claims = verify(oauth_issuer, token)
    assert claims["sub"] == "alice" and claims["scope"] == "mcp:tools" and claims["groups"] == ["ops"]
    assert claims["exp"] > claims["iat"]


def test_claims_override_and_drop(oauth_issuer: Issuer) -> None:
    claims = verify(oauth_issuer, oauth_issuer.mint({"sub": "bob", "iat": None}))
    assert claims["sub"] == "bob" and "iat" not in claims


@pytest.mark.parametrize("bad,error", [
    ("expired", jwt.ExpiredSignatureError),
    ("not_yet_valid", jwt.ImmatureSignatureError),
    ("wrong_audience", jwt.InvalidAudienceError),
    ("wrong_issuer", jwt.InvalidIssuerError),
    ("unknown_kid", jwt.InvalidKeyError),
    ("bad_signature", jwt.InvalidSignatureError),
    ("no_exp", jwt.MissingRequiredClaimError),
    ("no_sub", jwt.MissingRequiredClaimError),
])
def test_bad_tokens_fail_the_check_they_name(oauth_issuer: Issuer, bad: str, error: type[Exception]) -> None:
    token = oauth_issuer.mint(bad=bad)
    with pytest.raises(error):
        verify(oauth_issuer, token)


def test_alg_none_is_unsigned(oauth_issuer: Issuer) -> None:
    token = oauth_issuer.mint(bad="alg_none")
    assert header(token)["alg"] == "none" and token.endswith(".")
    with pytest.raises(jwt.InvalidAlgorithmError):
        verify(oauth_issuer, token)


def test_hs256_is_signed_with_the_public_key_pem(oauth_issuer: Issuer) -> None:
    """Algorithm confusion: a verifier that used the RSA key's PEM as an HMAC secret would accept it."""
    token = oauth_issuer.mint(bad="hs256_public_key")
    assert header(token)["alg"] == "HS256" and header(token)["kid"] == "rsa-1"
    rsa = next(k for k in jwt.PyJWKSet.from_dict(oauth_issuer.jwks()).keys if k.key_id == "rsa-1")
    pem = rsa.key.public_bytes(encoding=serialization.Encoding.PEM, format=serialization.PublicFormat.SubjectPublicKeyInfo)
    hs = jwt.algorithms.HMACAlgorithm(jwt.algorithms.HMACAlgorithm.SHA256)
    head, body, signature = token.split(".")
    assert hs.verify(f"{head}.{body}".encode(), pem, base64.urlsafe_b64decode(signature + "=" * (-len(signature) % 4)))
    with pytest.raises(jwt.InvalidAlgorithmError):
        verify(oauth_issuer, token)


def test_missing_scope_is_a_scope_claim_without_it(oauth_issuer: Issuer) -> None:
    assert verify(oauth_issuer, oauth_issuer.mint({"scope": "other"}))["scope"] == "other"


def test_rotation_adds_a_key(oauth_issuer: Issuer) -> None:
    before = oauth_issuer.hits("/jwks")
    kid = oauth_issuer.rotate()
    assert kid in {k["kid"] for k in oauth_issuer.jwks()["keys"]}
    assert oauth_issuer.hits("/jwks") == before + 1
    token = oauth_issuer.mint(kid=kid)
    assert header(token)["kid"] == kid
    assert verify(oauth_issuer, token)["sub"] == "alice"


def test_metadata_choice(log_dir: Path) -> None:
    with running_issuer(OAUTH_AUDIENCE, log_dir, metadata="oidc") as issuer:
        assert httpx.get(issuer.url + "/.well-known/oauth-authorization-server").status_code == 404
        assert httpx.get(issuer.url + "/.well-known/openid-configuration").json()["issuer"] == issuer.url


def test_every_bad_kind_is_minted(oauth_issuer: Issuer) -> None:
    tokens = {bad: oauth_issuer.mint(bad=bad) for bad in BAD_TOKENS}
    assert len(set(tokens.values())) == len(BAD_TOKENS)
    assert httpx.post(oauth_issuer.url + "/mint", json={"bad": "nonsense"}).status_code == 400
