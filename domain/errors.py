"""The one error type a rep is shown, and the cleaning every typed text gets first."""


class UserError(ValueError):
    def __init__(self, message: str, refresh: bool = False, field: str | None = None, **params):
        super().__init__(message)
        self.message = message
        self.params = params
        self.refresh = refresh  # the rep acted on something stale: show them the current state
        self.field = field  # the modal input it is about, when it comes from a form

    def text(self, _) -> str:
        """The message in the rep's language (_ is a bot.i18n.Translator)."""
        return _(self.message, **self.params)


_CONTROL = dict.fromkeys(c for c in range(32) if c not in (9, 10))
_CONTROL[0x7F] = None


def clean(text: str) -> str:
    """Drop control characters (NUL and the like; tabs and newlines stay): no database stores NUL,
    and no rep means one."""
    return text.translate(_CONTROL)
