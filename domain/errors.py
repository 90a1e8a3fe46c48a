"""The one error type a rep is shown: a catalog message id and its parameters."""


class UserError(ValueError):
    def __init__(self, message: str, refresh: bool = False, **params):
        super().__init__(message)
        self.message = message
        self.params = params
        self.refresh = refresh  # the rep acted on something stale: show them the current state

    def text(self, _) -> str:
        """The message in the rep's language (_ is a bot.i18n.Translator)."""
        return _(self.message, **self.params)
