"""The portal's pages through the test client: sign-up with the "获取验证码" button, the home, the PWA files."""

from __future__ import annotations

import json

import pytest

from workforce.accounts.models import User
from workforce.portal.tests.conftest import last_code

PASSWORD = "Bright-Kettle-Ridge-48"


def sign_up_post(client, code="", action="sign_up", **changes):
    data = {"phone": "13800001234", "code": code, "id_number": "51040219800101123X", "name": "张三",
            "username": "zhangsan2026", "password1": PASSWORD, "password2": PASSWORD, "action": action} | changes
    return client.post("/portal/sign-up/", data)


def test_sign_up_page_sends_a_code_keeps_the_form_and_signs_in(personas, client, sms_outbox):
    personas.worker_user.delete()
    page = sign_up_post(client, action="send_code")
    body = page.content.decode()
    assert page.status_code == 200 and "验证码已发送，10分钟内有效。" in body
    assert 'value="51040219800101123X"' in body and PASSWORD not in body  # what was typed, but the passwords
    response = sign_up_post(client, code=last_code(sms_outbox, "13800001234"))
    assert response.status_code == 302 and response.url == "/portal/"
    home = client.get("/portal/")
    assert home.status_code == 200 and "电子会员卡" in home.content.decode()
    assert User.objects.get(username="zhangsan2026").worker == personas.steel_worker


def test_a_wrong_code_shows_a_chinese_message_and_creates_nothing(personas, client, sms_outbox):
    personas.worker_user.delete()
    sign_up_post(client, action="send_code")
    wrong = "000000" if last_code(sms_outbox, "13800001234") != "000000" else "111111"
    page = sign_up_post(client, code=wrong)
    assert page.status_code == 200 and "验证码不正确，请核对短信中的6位数字。" in page.content.decode()
    assert not User.objects.filter(username="zhangsan2026").exists()


def test_a_worker_not_in_the_registry_is_offered_self_registration(personas, client, sms_outbox):
    sign_up_post(client, action="send_code", phone="13922223333")
    code = last_code(sms_outbox, "13922223333")
    page = sign_up_post(client, code=code, phone="13922223333", id_number="510402199001011234", name="赵六",
                        username="zhaoliu")
    body = page.content.decode()
    assert "产业工人数据库中没有该身份证号码的登记" in body and "提交自助登记" in body
    done = sign_up_post(client, code=code, phone="13922223333", id_number="510402199001011234", name="赵六",
                        username="zhaoliu", action="self_register", offer_self_registration="1",
                        hukou_type="urban", district="510402", employer_name="攀钢集团有限公司", employer_uscc="")
    assert "自助登记已提交" in done.content.decode()


def test_the_worker_home_is_the_portal(personas, sign_in):
    client = sign_in(personas.worker_user)
    response = client.get("/")
    assert response.status_code == 302 and response.url == "/portal/"
    body = client.get("/portal/").content.decode()
    assert "我的档案" in body and "我的申请" in body and "您目前不是工会会员" in body
    assert client.get("/portal/")["Cache-Control"].startswith("max-age=0")


def test_staff_have_their_own_home(personas, sign_in):
    client = sign_in(personas.steel_hr)
    assert client.get("/portal/").url == "/"
    assert client.get("/").status_code == 200


@pytest.mark.parametrize("path", ["/portal/sign-up/", "/portal/password-reset/", "/portal/offline/",
                                  "/manifest.webmanifest", "/sw.js"])
def test_public_pages_open_without_signing_in(db, client, path):
    assert client.get(path).status_code == 200


def test_the_manifest_and_the_service_worker(db, client):
    manifest = json.loads(client.get("/manifest.webmanifest").content)
    assert (manifest["start_url"], manifest["display"], manifest["lang"]) == ("/portal/", "standalone", "zh-Hans")
    assert {icon["sizes"] for icon in manifest["icons"]} == {"192x192", "512x512"}
    worker = client.get("/sw.js")
    script = worker.content.decode()
    assert worker["Service-Worker-Allowed"] == "/" and worker["Content-Type"].startswith("application/javascript")
    assert 'const SHELL = ["/portal/offline/", "/static/css/app.css"' in script and "__SHELL__" not in script
    # It stores the shell only: pages come from the network and are never put into the cache.
    assert "cache.put" not in script and 'request.mode === "navigate"' in script
    offline = client.get("/portal/offline/").content.decode()
    assert "网络未连接" in offline
