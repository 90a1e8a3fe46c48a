"""What a Slack id looks like: capital letters and digits (U0123ABCD, C0SALES, T0LOCAL)."""

from __future__ import annotations

import re

SLACK_ID = re.compile(r"[A-Z0-9]{2,32}")


def is_slack_id(value: object) -> bool:
    return isinstance(value, str) and SLACK_ID.fullmatch(value) is not None
