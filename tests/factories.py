"""factory_boy factories for the objects every test needs (issue #12 item 7).

Rows with rules (a membership, a case) are made through the real services, never by writing
the tables directly: a case must have its number, parties, first events and hash chain exactly
as registration makes them, or the tests would try a case that cannot exist.

    RegionFactory(code="430624122203", name="新河村", level=5, parent=township)
    OrganisationFactory(kind=OrgKind.POLICE_STATION, region=township)
    UserFactory(roles=[(Role.MEDIATOR, committee)])
    CaseFactory(actor=clerk, org=centre, region=village, title="…")
"""

from typing import Any

import factory

from fengqiao.accounts.models import User
from fengqiao.accounts.services import membership_grant, system_actor
from fengqiao.cases.choices import Channel, PartyRole
from fengqiao.cases.models import Case
from fengqiao.cases.services import CaseDraft, PartyDraft
from fengqiao.intake.pipeline import register_dispute
from fengqiao.orgs.choices import OrgKind
from fengqiao.orgs.models import Organisation
from fengqiao.regions.models import Region

PASSWORD = "pw-Test-123456"


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"430624{900 + n % 100:03d}000")
    name = factory.Sequence(lambda n: f"测试区划{n}")
    level = 4
    parent = None
    population = 3000


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("code",)

    name = factory.Sequence(lambda n: f"测试单位{n}")
    kind = OrgKind.CENTRE
    region = factory.SubFactory(RegionFactory)
    code = factory.Sequence(lambda n: f"TEST{n:04d}")


class UserFactory(factory.django.DjangoModelFactory):
    """An account; ``roles=[(role, org), …]`` grants memberships through the service (each over
    the organisation's own region unless ``(role, org, region)`` says otherwise)."""

    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"测试{n}")

    @classmethod
    def _create(cls, model_class: type[User], *args: Any, **kwargs: Any) -> User:
        return model_class.objects.create_user(*args, password=PASSWORD, **kwargs)

    @factory.post_generation
    def roles(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        for grant in extracted or ():
            role, org, *region = grant
            membership_grant(
                actor=system_actor(),
                user=self,
                role=role,
                region=region[0] if region else org.region,
                org=org,
            )


class PartyDraftFactory(factory.Factory):
    """A party with a distinct name and mobile number; applicants and respondents alternate."""

    class Meta:
        model = PartyDraft

    role = factory.Sequence(lambda n: PartyRole.APPLICANT if n % 2 == 0 else PartyRole.RESPONDENT)
    name = factory.Sequence(lambda n: f"{'王李张刘陈杨'[n % 6]}{'甲乙丙丁戊己庚辛'[n // 6 % 8]}")
    phone = factory.Sequence(lambda n: f"1380013{n % 10000:04d}")


class CaseDraftFactory(factory.Factory):
    """A valid draft: a homestead boundary dispute between 张三 and 李四."""

    class Meta:
        model = CaseDraft

    org_id = factory.LazyAttribute(lambda o: o.org.pk)
    title = "宅基地边界纠纷"
    description = "张三与李四因宅基地边界问题发生纠纷，双方争执不下。"
    channel = Channel.WALK_IN
    category = "housing_homestead"
    region = factory.LazyAttribute(lambda o: o.place.code)
    parties = factory.LazyFunction(
        lambda: (
            PartyDraft(
                role=PartyRole.APPLICANT,
                name="张三",
                id_number="430624199001011233",
                phone="13800138000",
            ),
            PartyDraft(role=PartyRole.RESPONDENT, name="李四", phone="0730-5551234"),
        )
    )

    class Params:
        org: Organisation | None = None
        place: Region | None = None


class CaseFactory(factory.Factory):
    """A case registered through the one intake path (``intake.pipeline.register_dispute``)."""

    class Meta:
        model = Case

    @classmethod
    def _create(cls, model_class: type[Case], *args: Any, **kwargs: Any) -> Case:
        actor = kwargs.pop("actor")
        org, place = kwargs.pop("org"), kwargs.pop("region")
        draft = CaseDraftFactory.build(org=org, place=place, **kwargs)
        return register_dispute(actor=actor, draft=draft).case

    @classmethod
    def _build(cls, model_class: type[Case], *args: Any, **kwargs: Any) -> Case:
        raise TypeError("a case exists only once registered: use CaseFactory(…), not .build()")
