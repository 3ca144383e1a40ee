"""Sign-in with the province's unified identity (OpenID Connect) against a fake provider: a local RSA key and
mocked HTTP (no outside call). Happy path with state, nonce and PKCE; a bad signature, state, nonce, audience,
issuer or an expired token signs nobody in and creates nobody."""

import base64
import hashlib
import time
import urllib.parse

import pytest
from joserfc import jwt
from joserfc.jwk import RSAKey

from onewindow.audit.actions import AuditAction
from onewindow.audit.models import AuditEvent
from onewindow.citizens.models import Citizen
from onewindow.citizens.services import oidc
from onewindow.citizens.session import SESSION_KEY
from onewindow.testing.cases import id_number

pytestmark = pytest.mark.django_db

ISSUER = "https://idp.example.gov.cn/oidc"
CLIENT_ID = "onewindow-jiaxiang"
ID = id_number("37082919700303003")
PROVIDER_KEY = RSAKey.generate_key(2048, parameters={"kid": "k1"})
ROGUE_KEY = RSAKey.generate_key(2048, parameters={"kid": "k1"})


class FakeProvider:
    def __init__(self):
        self.calls = []
        self.claims = {}
        self.signing_key = PROVIDER_KEY
        self.nonce = None

    def __call__(self, url, *, data=None, headers=None):
        self.calls.append((url, data, headers))
        if url == f"{ISSUER}/.well-known/openid-configuration":
            return {
                "issuer": ISSUER,
                "authorization_endpoint": f"{ISSUER}/authorize",
                "token_endpoint": f"{ISSUER}/token",
                "jwks_uri": f"{ISSUER}/jwks",
            }
        if url == f"{ISSUER}/jwks":
            return {"keys": [PROVIDER_KEY.as_dict(private=False)]}
        if url == f"{ISSUER}/token":
            assert data["grant_type"] == "authorization_code" and data["code"] == "the-code"
            self.verifier = data["code_verifier"]
            now = int(time.time())
            claims = {
                "iss": ISSUER,
                "aud": CLIENT_ID,
                "sub": "sd-person-42",
                "iat": now,
                "exp": now + 300,
                "nonce": self.nonce,
                "name": "王秀兰",
                "phone_number": "+86 139 0537 5678",
                "phone_number_verified": True,
                "id_card": ID,
                **self.claims,
            }
            token = jwt.encode({"alg": "RS256", "kid": "k1"}, claims, self.signing_key)
            return {"access_token": "at", "token_type": "Bearer", "id_token": token}
        raise AssertionError(f"unexpected call to {url}")


@pytest.fixture
def provider(settings, monkeypatch):
    from django.core.cache import cache

    cache.clear()
    settings.ONEWINDOW_OIDC_ISSUER = ISSUER
    settings.ONEWINDOW_OIDC_CLIENT_ID = CLIENT_ID
    settings.ONEWINDOW_OIDC_CLIENT_SECRET = "s3cret"
    fake = FakeProvider()
    monkeypatch.setattr(oidc, "http_json", fake)
    yield fake
    cache.clear()


def start(client, provider, **params):
    response = client.get("/account/oidc/", params)
    assert response.status_code == 302
    url = urllib.parse.urlsplit(response["Location"])
    query = dict(urllib.parse.parse_qsl(url.query))
    provider.nonce = query["nonce"]
    return query


def test_happy_path_with_state_nonce_and_pkce(client, provider):
    query = start(client, provider, next="/progress/")
    assert query["client_id"] == CLIENT_ID and query["response_type"] == "code"
    assert query["code_challenge_method"] == "S256" and "openid" in query["scope"].split()
    assert query["redirect_uri"] == "http://testserver/account/oidc/callback/"
    response = client.get("/account/oidc/callback/", {"code": "the-code", "state": query["state"]})
    assert response.status_code == 302 and response["Location"] == "/progress/"
    # PKCE: the verifier sent to the token endpoint hashes to the challenge sent to the browser
    digest = base64.urlsafe_b64encode(hashlib.sha256(provider.verifier.encode()).digest()).rstrip(b"=").decode()
    assert digest == query["code_challenge"]
    token_call = next(call for call in provider.calls if call[0].endswith("/token"))
    assert token_call[2]["Authorization"].startswith("Basic ")
    citizen = Citizen.objects.get()
    assert (citizen.oidc_subject, citizen.name, citizen.id_number, citizen.mobile) == (
        "sd-person-42",
        "王秀兰",
        ID,
        "13905375678",
    )
    assert client.session[SESSION_KEY] == citizen.pk
    assert AuditEvent.objects.filter(action=AuditAction.CITIZEN_SIGNED_IN, summary="统一身份认证").count() == 1


def test_the_same_subject_signs_in_to_the_same_account(client, provider):
    for _ in range(2):
        query = start(client, provider)
        client.get("/account/oidc/callback/", {"code": "the-code", "state": query["state"]})
    assert Citizen.objects.count() == 1


def test_a_verified_phone_links_the_existing_sms_account(client, provider):
    existing = Citizen()
    existing.set_mobile("13905375678")
    existing.save()
    query = start(client, provider)
    client.get("/account/oidc/callback/", {"code": "the-code", "state": query["state"]})
    assert Citizen.objects.count() == 1
    assert Citizen.objects.get().oidc_subject == "sd-person-42"


def test_an_unverified_phone_does_not_take_over_an_account(client, provider):
    existing = Citizen()
    existing.set_mobile("13905375678")
    existing.save()
    provider.claims = {"phone_number_verified": False}
    query = start(client, provider)
    client.get("/account/oidc/callback/", {"code": "the-code", "state": query["state"]})
    assert Citizen.objects.count() == 2
    assert Citizen.objects.get(pk=existing.pk).oidc_subject == ""


def _refused(client, response):
    assert response.status_code == 400
    assert "统一身份认证" in response.content.decode()
    assert not Citizen.objects.exists() and SESSION_KEY not in client.session


def test_a_token_signed_by_another_key_is_refused(client, provider):
    provider.signing_key = ROGUE_KEY
    query = start(client, provider)
    _refused(client, client.get("/account/oidc/callback/", {"code": "the-code", "state": query["state"]}))


def test_a_wrong_state_is_refused_before_any_token_request(client, provider):
    start(client, provider)
    _refused(client, client.get("/account/oidc/callback/", {"code": "the-code", "state": "forged"}))
    assert not [call for call in provider.calls if call[0].endswith("/token")]


def test_a_callback_without_a_started_sign_in_is_refused(client, provider):
    _refused(client, client.get("/account/oidc/callback/", {"code": "the-code", "state": "x"}))


def test_a_replayed_callback_is_refused(client, provider):
    query = start(client, provider)
    client.get("/account/oidc/callback/", {"code": "the-code", "state": query["state"]})
    client.post("/account/logout/")
    Citizen.objects.all().delete()
    _refused(client, client.get("/account/oidc/callback/", {"code": "the-code", "state": query["state"]}))


@pytest.mark.parametrize(
    "claims",
    [
        {"nonce": "another-nonce"},
        {"aud": "someone-else"},
        {"iss": "https://evil.example/oidc"},
        {"exp": int(time.time()) - 3600, "iat": int(time.time()) - 7200},
    ],
    ids=["nonce", "audience", "issuer", "expired"],
)
def test_bad_claims_are_refused(client, provider, claims):
    provider.claims = claims
    query = start(client, provider)
    _refused(client, client.get("/account/oidc/callback/", {"code": "the-code", "state": query["state"]}))


def test_a_provider_error_is_explained(client, provider):
    query = start(client, provider)
    response = client.get("/account/oidc/callback/", {"error": "access_denied", "state": query["state"]})
    _refused(client, response)
    assert "已取消或被拒绝" in response.content.decode()


def test_off_unless_configured(client, settings):
    settings.ONEWINDOW_OIDC_ISSUER = ""
    assert "统一身份认证登录" not in client.get("/account/login/").content.decode()
    response = client.get("/account/oidc/")
    assert response.status_code == 400 and "未开通统一身份认证登录" in response.content.decode()


def test_the_login_page_offers_the_button_when_configured(client, provider):
    page = client.get("/account/login/").content.decode()
    assert "省统一身份认证登录" in page and 'href="/account/oidc/"' in page
