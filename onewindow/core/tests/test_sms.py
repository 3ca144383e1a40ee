"""The console SMS backend (the default until a county plugs its gateway in) logs each text with the number
masked; outside DEBUG it also blanks the codes and signed links a text may carry."""

import logging

from onewindow.core.sms import ConsoleSmsBackend, Sms

TEXT = "验证码493817，5分钟内有效。评价：https://zwfw.example.cn/rate/AbC.xyz:1/ 办件编号370829001202609010001"


def test_the_console_backend_blanks_codes_and_links_outside_debug(settings, caplog):
    caplog.set_level(logging.INFO, logger="onewindow.sms")
    settings.DEBUG = False
    ConsoleSmsBackend().send([Sms(to="13905375678", text=TEXT)])
    settings.DEBUG = True  # the demo: the console shows the code
    ConsoleSmsBackend().send([Sms(to="13905375678", text=TEXT)])
    production, demo = [r.getMessage() for r in caplog.records if r.name == "onewindow.sms"]
    assert "493817" not in production and "/rate/AbC" not in production and "139****5678" in production
    assert "370829001202609010001" not in production
    assert "493817" in demo and "13905375678" not in demo
