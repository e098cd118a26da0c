"""Issue #21: "无讼乡镇评定" was a dead link (404) for the township director and the county leader,
and an unconfirmable evaluation listed internal criterion codes ("v_legal_leaders：…")."""

import pytest
from django.urls import reverse

from fengqiao.accounts.roles import Role

pytestmark = pytest.mark.django_db
YEAR = 2025


def _page(client, user, region) -> str:
    client.force_login(user)
    response = client.get(reverse("kpi:wusong") + f"?region={region.code}&year={YEAR}")
    assert response.status_code == 200
    return response.content.decode()


def _links(page: str) -> list[str]:
    import re

    return re.findall(r'href="(/kpi/wusong/\d+/\d+/)"', page)


@pytest.mark.parametrize(
    ("role", "unit"),
    [
        (Role.CENTRE_DIRECTOR, "township_centre"),  # evaluates its villages, not itself
        (Role.CENTRE_DIRECTOR, "county_centre"),  # evaluates the township and (below) villages
        (Role.READ_ONLY, "county_centre"),  # the county leader reads, evaluates nothing
    ],
)
def test_every_evaluation_link_shown_opens(client, make_actor, tree, role, unit):
    user = make_actor(role, getattr(tree, unit))
    page = _page(client, user, tree.township)
    for link in _links(page):
        assert client.get(link).status_code == 200, link


def test_the_township_evaluation_is_offered_to_the_county_not_the_township(
    client, make_actor, tree
):
    township_director = make_actor(Role.CENTRE_DIRECTOR, tree.township_centre)
    county_director = make_actor(Role.CENTRE_DIRECTOR, tree.county_centre)
    own = f"/kpi/wusong/{tree.township.code}/{YEAR}/"
    assert own not in _links(_page(client, township_director, tree.township))
    assert own in _links(_page(client, county_director, tree.township))


def test_an_undecided_criterion_is_named_by_its_text_not_its_code(client, make_actor, tree):
    director = make_actor(Role.CENTRE_DIRECTOR, tree.township_centre)
    client.force_login(director)
    url = f"/kpi/wusong/{tree.village.code}/{YEAR}/"
    response = client.post(url, {"action": "confirm"})
    assert response.status_code == 422
    page = response.content.decode()
    assert "v_legal_leaders" not in page.replace('id="check-v_legal_leaders"', "").replace(
        'value="v_legal_leaders"', ""
    )
    assert "请先认定此项。" in page
    assert "尚未作出决策" not in page


def test_a_missing_page_is_the_chinese_page_not_django_s(client, make_actor, tree, settings):
    settings.DEBUG = False
    client.force_login(make_actor(Role.CENTRE_DIRECTOR, tree.township_centre))
    response = client.get(f"/kpi/wusong/{tree.township.code}/{YEAR}/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "页面不存在" in page
    assert "Not Found" not in page


def test_the_demo_settings_keep_debug_off():
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "-c", "from fengqiao.settings import dev; print(dev.DEBUG)"],
        capture_output=True,
        text=True,
        check=True,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": "."},
    )
    assert out.stdout.strip() == "False"


def test_a_subtracted_term_reads_as_a_minus_not_plus_minus(client, make_actor, tree, register_case):
    """Issue #21: a denominator with a subtracted term showed as "290 + −1"."""
    import re

    from django.utils import timezone

    register_case()
    client.force_login(make_actor(Role.CENTRE_DIRECTOR, tree.township_centre))
    query = f"?region={tree.township.code}&year={timezone.localdate().year}"
    html = client.get(reverse("kpi:index") + query).content.decode()
    text = re.sub(r"<[^>]+>", "", html)
    assert "+ −" not in text
    assert re.search(r"\d+ − \d+", text)  # 登记纠纷数 minus the merged ones
