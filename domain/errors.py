"""The one error type a rep is shown: a catalog message id and its parameters."""


class UserError(ValueError):
    def __init__(self, message: str, **params):
        super().__init__(message)
        self.message = message
        self.params = params
