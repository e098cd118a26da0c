"""Issue #17: the client address is read from the proxy's header only when a trusted proxy sent
the request."""

import pytest
from django.test import RequestFactory

from fengqiao.core.middleware import client_address


@pytest.fixture
def trusted(settings):
    settings.FENGQIAO_TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.0/8"]
    settings.FENGQIAO_CLIENT_IP_HEADER = "X-Real-IP"
    return settings


def _request(**meta):
    return RequestFactory().get("/", **meta)


def test_the_header_of_a_trusted_proxy_names_the_client(trusted):
    assert (
        client_address(_request(REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP="36.1.2.3")) == "36.1.2.3"
    )


def test_anyone_else_cannot_choose_his_address(trusted):
    request = _request(REMOTE_ADDR="36.9.9.9", HTTP_X_REAL_IP="1.1.1.1")
    assert client_address(request) == "36.9.9.9"


def test_a_garbled_header_leaves_the_proxy_address(trusted):
    assert (
        client_address(_request(REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP="<script>")) == "127.0.0.1"
    )


def test_forwarded_for_is_read_from_the_right_past_trusted_hops(trusted):
    trusted.FENGQIAO_CLIENT_IP_HEADER = "X-Forwarded-For"
    request = _request(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 36.1.2.3, 10.1.1.1")
    # 6.6.6.6 was written by the client itself; 10.1.1.1 is our own load balancer.
    assert client_address(request) == "36.1.2.3"


def test_without_trusted_proxies_remote_addr_is_the_client(settings):
    settings.FENGQIAO_TRUSTED_PROXIES = []
    assert (
        client_address(_request(REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP="36.1.2.3")) == "127.0.0.1"
    )
