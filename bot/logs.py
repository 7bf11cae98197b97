"""Log records without personal data: a filter that every handler of a server process gets."""

from __future__ import annotations

import logging

from bot import privacy


class RedactingLogFilter(logging.Filter):
    """Masks ID and mobile numbers and e-mail addresses in every log record that passes a handler: its
    message and arguments before they are put together, the result (JSON escapes read), and its traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            if isinstance(record.msg, str):
                record.msg = privacy.redact_log_text(record.msg)
            if isinstance(record.args, (tuple, dict)):
                record.args = privacy.redact(record.args)
            message = record.getMessage()
            redacted = privacy.redact_log_text(message)
            if redacted != message:
                record.msg, record.args = redacted, None
            if record.exc_info and not record.exc_text:
                record.exc_text = privacy.redact_log_text(logging.Formatter().formatException(record.exc_info))
            elif record.exc_text:
                record.exc_text = privacy.redact_log_text(record.exc_text)
        except Exception:  # a broken log call must not break the server
            return True
        return True


def install_log_redaction() -> None:
    """Adds the filter to the root handlers once; called when a server starts, never on import."""
    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, RedactingLogFilter) for f in handler.filters):
            handler.addFilter(RedactingLogFilter())
