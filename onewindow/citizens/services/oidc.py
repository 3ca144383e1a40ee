"""Sign-in with the province's unified identity (统一身份认证) by OpenID Connect: authorization code flow with
state, nonce and PKCE (S256); the ID token's signature is checked against the provider's JWKS (joserfc).

Off unless ONEWINDOW_OIDC_ISSUER and ONEWINDOW_OIDC_CLIENT_ID are set. The only outside calls are to the
configured provider (discovery, token, JWKS), made with the standard library and cached.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import urllib.error
import urllib.parse
import urllib.request

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from onewindow.audit.actions import AuditAction
from onewindow.audit.services import record
from onewindow.citizens.errors import OidcFailed, SignInUnavailable
from onewindow.citizens.models import Citizen
from onewindow.citizens.services.accounts import citizen_signed_in, masked_profile
from onewindow.citizens.session import citizen_actor
from onewindow.core import crypto, pii

ALGORITHMS = ["RS256", "PS256", "ES256"]  # asymmetric only: never "none", never a shared-secret HS256
CLOCK_LEEWAY_SECONDS = 60
_CACHE_SECONDS = 3600


def enabled() -> bool:
    return bool(settings.ONEWINDOW_OIDC_ISSUER and settings.ONEWINDOW_OIDC_CLIENT_ID)


def http_json(url: str, *, data: dict | None = None, headers: dict | None = None) -> dict:
    """GET (or POST a form to) the provider and parse its JSON answer; tests replace this function."""
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    request = urllib.request.Request(url, data=body, headers={"Accept": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=settings.ONEWINDOW_OIDC_TIMEOUT_SECONDS) as response:
            return json.loads(response.read(1_000_000))
    except (urllib.error.URLError, TimeoutError, ValueError) as exc:
        raise OidcFailed("暂时无法连接统一身份认证平台，请稍后再试或改用手机验证码登录") from exc


def _metadata() -> dict:
    issuer = settings.ONEWINDOW_OIDC_ISSUER
    given = {
        "authorization_endpoint": settings.ONEWINDOW_OIDC_AUTHORIZATION_ENDPOINT,
        "token_endpoint": settings.ONEWINDOW_OIDC_TOKEN_ENDPOINT,
        "jwks_uri": settings.ONEWINDOW_OIDC_JWKS_URI,
    }
    if all(given.values()):
        return given
    key = f"oidc:metadata:{issuer}"
    found = cache.get(key)
    if found is None:
        found = http_json(f"{issuer}/.well-known/openid-configuration")
        if found.get("issuer", "").rstrip("/") != issuer:
            raise OidcFailed("统一身份认证平台配置有误（issuer 不一致），请联系管理员")
        cache.set(key, found, _CACHE_SECONDS)
    return {name: value or found.get(name, "") for name, value in given.items()}


def _key_set(*, refresh: bool = False) -> KeySet:
    uri = _metadata()["jwks_uri"]
    key = f"oidc:jwks:{uri}"
    jwks = None if refresh else cache.get(key)
    if jwks is None:
        jwks = http_json(uri)
        cache.set(key, jwks, _CACHE_SECONDS)
    return KeySet.import_key_set(jwks)


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def begin(*, redirect_uri: str) -> tuple[str, dict]:
    """(the provider's authorization URL, the secrets to keep in the session until the callback)."""
    pending = {
        "state": secrets.token_urlsafe(32),
        "nonce": secrets.token_urlsafe(32),
        "verifier": secrets.token_urlsafe(64),
    }
    query = {
        "response_type": "code",
        "client_id": settings.ONEWINDOW_OIDC_CLIENT_ID,
        "redirect_uri": redirect_uri,
        "scope": settings.ONEWINDOW_OIDC_SCOPES,
        "state": pending["state"],
        "nonce": pending["nonce"],
        "code_challenge": _b64url(hashlib.sha256(pending["verifier"].encode()).digest()),
        "code_challenge_method": "S256",
    }
    endpoint = _metadata()["authorization_endpoint"]
    separator = "&" if "?" in endpoint else "?"
    return f"{endpoint}{separator}{urllib.parse.urlencode(query)}", pending


def _token_request(*, code: str, verifier: str, redirect_uri: str) -> dict:
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": redirect_uri,
        "client_id": settings.ONEWINDOW_OIDC_CLIENT_ID,
        "code_verifier": verifier,
    }
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if settings.ONEWINDOW_OIDC_CLIENT_SECRET:  # client_secret_basic (RFC 6749 §2.3.1)
        pair = f"{urllib.parse.quote(settings.ONEWINDOW_OIDC_CLIENT_ID, safe='')}:" + urllib.parse.quote(
            settings.ONEWINDOW_OIDC_CLIENT_SECRET, safe=""
        )
        headers["Authorization"] = "Basic " + base64.b64encode(pair.encode()).decode()
    return http_json(_metadata()["token_endpoint"], data=form, headers=headers)


def _verified_claims(id_token: str, *, nonce: str) -> dict:
    try:
        try:
            token = jwt.decode(id_token, _key_set(), algorithms=ALGORITHMS)
        except JoseError:
            token = jwt.decode(id_token, _key_set(refresh=True), algorithms=ALGORITHMS)  # the provider rotated keys
        jwt.JWTClaimsRegistry(
            leeway=CLOCK_LEEWAY_SECONDS,
            iss={"essential": True, "value": settings.ONEWINDOW_OIDC_ISSUER},
            sub={"essential": True},
            exp={"essential": True},
            iat={"essential": True},
        ).validate(token.claims)
    except (JoseError, ValueError) as exc:
        raise OidcFailed() from exc
    claims = token.claims
    audience = claims.get("aud")
    audiences = audience if isinstance(audience, list) else [audience]
    client_id = settings.ONEWINDOW_OIDC_CLIENT_ID
    if client_id not in audiences or (len(audiences) > 1 and claims.get("azp") != client_id):
        raise OidcFailed()
    if not hmac.compare_digest(str(claims.get("nonce", "")), nonce):
        raise OidcFailed()
    return claims


def complete(*, pending: dict | None, params, redirect_uri: str) -> dict:
    """The verified ID-token claims for the provider's callback `params`; OidcFailed for a wrong state, a
    provider error, a bad signature, issuer, audience, nonce or an expired token."""
    if not pending or not isinstance(pending, dict):
        raise OidcFailed("登录已超时，请重新登录")
    if params.get("error"):
        raise OidcFailed("统一身份认证未完成（已取消或被拒绝），请重新登录")
    if not hmac.compare_digest(str(params.get("state", "")), pending.get("state", "")):
        raise OidcFailed()
    code = params.get("code", "")
    if not code:
        raise OidcFailed()
    tokens = _token_request(code=code, verifier=pending["verifier"], redirect_uri=redirect_uri)
    id_token = tokens.get("id_token")
    if not isinstance(id_token, str):
        raise OidcFailed()
    return _verified_claims(id_token, nonce=pending["nonce"])


def citizen_from_claims(claims: dict) -> Citizen:
    """The citizen for a verified identity: found by subject; else the account of a verified phone number
    not yet linked to another identity; else a new account. Name and a valid ID number fill empty fields."""
    subject = str(claims["sub"])[:255]
    name = str(claims.get(settings.ONEWINDOW_OIDC_NAME_CLAIM) or "").strip()[:40]
    id_number = str(claims.get(settings.ONEWINDOW_OIDC_ID_NUMBER_CLAIM) or "")
    id_number = id_number if id_number and pii.is_valid_id_number(id_number) else ""
    mobile = ""
    if claims.get("phone_number") and claims.get("phone_number_verified") is True:
        try:
            mobile = pii.validate_mobile(str(claims["phone_number"]))
        except pii.InvalidMobile:
            mobile = ""
    with transaction.atomic():
        citizen = Citizen.objects.select_for_update().filter(oidc_subject=subject).first()
        created = False
        if citizen is None and mobile:
            index = crypto.blind_index(mobile, purpose="mobile")
            citizen = Citizen.objects.select_for_update().filter(mobile_index=index, oidc_subject="").first()
        if citizen is None:
            citizen, created = Citizen(), True
            if (
                mobile
                and not Citizen.objects.filter(mobile_index=crypto.blind_index(mobile, purpose="mobile")).exists()
            ):
                citizen.set_mobile(mobile)
        if not citizen.is_active:
            raise SignInUnavailable()
        before = None if created else masked_profile(citizen)
        linked = not created and citizen.oidc_subject != subject
        citizen.oidc_subject = subject
        if name and not citizen.name:
            citizen.name = name
        if id_number and not citizen.id_number:
            citizen.set_id_number(id_number)
        citizen.save()
        actor = citizen_actor(citizen)
        if created:
            record(actor=actor, action=AuditAction.CITIZEN_REGISTERED, target=citizen, after=masked_profile(citizen))
        elif linked or before != masked_profile(citizen):
            record(
                actor=actor,
                action=AuditAction.CITIZEN_PROFILE_UPDATED,
                target=citizen,
                before=before,
                after=masked_profile(citizen),
                summary="关联统一身份认证" if linked else "统一身份认证信息",
            )
        citizen_signed_in(citizen=citizen, method="统一身份认证")
    return citizen
