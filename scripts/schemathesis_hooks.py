"""schemathesis hooks for scripts/schemathesis-check.

The server allows each API token 600 requests a minute. Rather than slow the run down to that,
each request takes the next of several read+write tokens for the same user (WAYMARK_TOKENS,
comma-separated), so the limit is never the thing under test.
"""

import itertools
import os

import schemathesis

_tokens = itertools.cycle(os.environ["WAYMARK_TOKENS"].split(","))


@schemathesis.auth(refresh_interval=None)
class RotatingBearerToken:
    def get(self, case, context):
        return next(_tokens)

    def set(self, case, data, context):
        case.headers = case.headers or {}
        case.headers["Authorization"] = f"Bearer {data}"
