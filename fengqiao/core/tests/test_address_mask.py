"""住址 masked down to its village or 组 (issue #14): the house number is what identifies."""

import pytest

from fengqiao.core.crypto import mask_address


@pytest.mark.parametrize(
    ("address", "masked"),
    [
        ("湖南省湘阴县静河镇青湖村3组15号", "湖南省湘阴县静河镇青湖村3组***"),
        ("静河镇工业园8号", "静河镇***"),
        ("长沙市岳麓区阳光小区3栋502", "长沙市岳麓区阳光小区***"),
        ("青湖村五组", "青湖村五组"),
        ("工业园8号", "工***"),  # no division word: a third is kept
        ("  ", ""),
    ],
)
def test_mask_address(address, masked):
    assert mask_address(address) == masked
