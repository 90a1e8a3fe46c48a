"""The one error type a rep is shown, and the cleaning every typed text gets first."""

from __future__ import annotations


class UserError(ValueError):
    """`UserError(N_("No field `{field}`."), field=name)`: every keyword is a parameter of the
    message, whatever its name; the error's own settings are methods (`.on_field()`, `.stale()`),
    so no message can lose a parameter to them."""

    def __init__(self, message: str, /, **params):
        super().__init__(message)
        self.message = message
        self.params = params
        self.refresh = False  # the rep acted on something stale: show them the current state
        self.field: str | None = None  # the modal input it is about, when it comes from a form

    def on_field(self, field: str | None) -> UserError:
        self.field = field
        return self

    def stale(self) -> UserError:
        self.refresh = True
        return self

    def text(self, _) -> str:
        """The message in the rep's language (_ is a bot.i18n.Translator)."""
        return _(self.message, **self.params)


_CONTROL = dict.fromkeys(c for c in range(32) if c not in (9, 10))
_CONTROL[0x7F] = None


def clean(text: str) -> str:
    """Drop control characters (NUL and the like; tabs and newlines stay): no database stores NUL,
    and no rep means one."""
    return text.translate(_CONTROL)
