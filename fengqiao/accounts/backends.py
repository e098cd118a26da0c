"""The session's user read with the reference-data version beside it (``core.refcache``), so a
signed-in page learns whether its cached categories, regions and grants are current without a
query of its own."""

from typing import Any

from django.contrib.auth.backends import ModelBackend

from fengqiao.accounts.models import User
from fengqiao.core import refcache


class UserWithVersionBackend(ModelBackend):
    """Django's password backend; only ``get_user`` differs (one query, as before)."""

    def get_user(self, user_id: Any) -> User | None:
        try:
            user = User.objects.annotate(ref_version=refcache.version_subquery()).get(pk=user_id)
        except User.DoesNotExist:
            return None
        refcache.note_version(user.ref_version)
        return user if self.user_can_authenticate(user) else None
