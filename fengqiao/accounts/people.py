"""Who counts as a person in pickers (assignee, leader, task owner, person responsible).

Channel service accounts (``渠道接口（静河镇）``, created without a password) act for 110, 12345 and
the other interfaces; they cannot sign in, so they must never be offered as someone who owns a
task or handles a case (issue #21).
"""

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db.models import Q


def people_q(path: str = "") -> Q:
    """Accounts a person signs in with; ``path`` reaches the user ("user__" from a membership)."""
    return ~Q(**{f"{path}password__startswith": UNUSABLE_PASSWORD_PREFIX})
