"""Secrets out of logs: credentials in URLs (`scheme://user:password@host`, proxies included) and the values of
signed-URL query parameters are masked before a log line is written anywhere."""

from __future__ import annotations

import logging
import re

_USERINFO = re.compile(r"(?P<scheme>\b[a-zA-Z][a-zA-Z0-9+.-]*://)[^/\s@?#]+@")
_SECRET_PARAMETER = re.compile(
    r"(?i)(?P<name>[?&](?:token|access_token|auth|key|sig|signature|password|passwd|secret|"
    r"x-amz-signature|x-amz-credential|x-amz-security-token|policy|key-pair-id)=)[^&\s#'\"]+"
)
MASK = "***"


def redact(text: str) -> str:
    text = _USERINFO.sub(rf"\g<scheme>{MASK}@", text)
    return _SECRET_PARAMETER.sub(rf"\g<name>{MASK}", text)


class RedactingFilter(logging.Filter):
    """Formats the record once, masked; handlers then write the masked text."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = redact(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True


def redact_logs() -> None:
    """Mask secrets in every line the root logger's handlers write."""
    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, RedactingFilter) for f in handler.filters):
            handler.addFilter(RedactingFilter())
