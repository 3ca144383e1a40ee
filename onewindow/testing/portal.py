"""Shared by the portal's application tests: a signed-in citizen, real and fake files, the form as posted.

(Named test_* so it sits with the tests it serves; it holds no tests itself.)"""

from __future__ import annotations

import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from onewindow.citizens.models import Citizen
from onewindow.citizens.session import SESSION_KEY
from onewindow.core.sms import LocmemSmsBackend
from onewindow.portal.selectors import online_offer
from onewindow.testing.cases import id_number, offered_item

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
EXE = b"MZ\x90\x00" + b"\x00" * 64
CITIZEN_ID = id_number("37082919600202002")
CITIZEN_MOBILE = "13905370001"


def pdf(name: str = "材料.pdf", body: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def make_citizen(mobile: str = CITIZEN_MOBILE, *, name: str = "李秀兰", id_first17: str = "37082919600202002"):
    citizen = Citizen(name=name, address="嘉祥街道二村5号")
    citizen.set_mobile(mobile)
    citizen.set_id_number(id_number(id_first17))
    citizen.save()
    return citizen


def sign_in(client, citizen) -> None:
    session = client.session
    session[SESSION_KEY] = citizen.pk
    session.save()


def required_uploads() -> dict[int, list]:
    """A file for each of sample_spec's three required materials."""
    return {1: [pdf("申请书.pdf")], 2: [pdf("户口簿.pdf")], 3: [pdf("收入证明.pdf")]}


def token() -> str:
    return uuid.uuid4().hex


def apply_url(world, item) -> str:
    return reverse("portal:apply", args=[world.a.region.code, item.code])


def form(token_value: str, *, action: str = "submit", declared: bool = True, **fields) -> dict:
    """The application form as a browser posts it (no ID number or phone typed: the citizen's own are used)."""
    data = {
        "token": token_value,
        "action": action,
        "applicant_kind": "person",
        "applicant_name": "李秀兰",
        "address": "嘉祥街道二村5号",
        "request_summary": "家庭收入低于低保标准，申请最低生活保障",
        **fields,
    }
    if declared:
        data["declared"] = "on"
    return data


@pytest.fixture
def sms(settings):
    settings.ONEWINDOW_SMS_BACKEND = "onewindow.core.sms.LocmemSmsBackend"
    LocmemSmsBackend.outbox = []
    return LocmemSmsBackend


@pytest.fixture
def citizen(db):
    return make_citizen()


@pytest.fixture
def item(world):
    """最低生活保障申请 (online-capable) published in town A; materials 1–3 required, 4 optional."""
    return offered_item(world)


@pytest.fixture
def offer(world, item):
    return online_offer(world.a.region.code, item.code)
