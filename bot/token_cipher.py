"""Slack tokens encrypted at rest, with cryptography's Fernet (AES-128-CBC and HMAC-SHA256).

SALESBOT_ENCRYPTION_KEYS holds one or more Fernet keys, comma-separated: the first encrypts, every
one decrypts (MultiFernet), so a key is rotated by putting a new one first, restarting (which
re-encrypts every stored token with it: bot/installations.reseal), then dropping the old one.
A value that no key opens and that looks like a Slack token (`xox…`) is a row written before
encryption: it is used as it is and encrypted on its next write or at the next start.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cryptography.fernet import Fernet, MultiFernet

# cryptography is imported where a cipher is made or used, not with this module: a bot serving one
# workspace never needs it, and its OpenSSL bindings are 7 MB of the process's memory.


class CipherError(ValueError):
    """The keys are unusable, or a stored value is neither ours nor a plaintext token."""


def new_key() -> str:
    """A fresh key for SALESBOT_ENCRYPTION_KEYS (README, Configuration, says how to make one)."""
    from cryptography.fernet import Fernet

    return Fernet.generate_key().decode()


class TokenCipher:
    def __init__(self, keys: str):
        from cryptography.fernet import Fernet, MultiFernet

        try:
            fernets = [Fernet(k.strip().encode()) for k in keys.split(",") if k.strip()]
        except ValueError as exc:
            raise CipherError(
                "SALESBOT_ENCRYPTION_KEYS must be Fernet keys (32 url-safe base64-encoded bytes), "
                "comma-separated"
            ) from exc
        if not fernets:
            raise CipherError("SALESBOT_ENCRYPTION_KEYS is empty")
        self._fernet: MultiFernet = MultiFernet(fernets)
        self._newest: Fernet = fernets[0]

    def seal(self, value: str | None) -> str | None:
        """Encrypted with the first key; a value already sealed with it is left as it is."""
        if value is None:
            return None
        if self.is_current(value):
            return value
        return self._fernet.encrypt(self.open(value).encode()).decode()  # type: ignore[union-attr]

    def open(self, value: str | None) -> str | None:
        from cryptography.fernet import InvalidToken

        if value is None:
            return None
        try:
            return self._fernet.decrypt(value.encode()).decode()
        except InvalidToken:
            if value.startswith("xox"):
                return value  # written before tokens were encrypted
            raise CipherError("a stored token opens with none of SALESBOT_ENCRYPTION_KEYS") from None

    def is_current(self, value: str) -> bool:
        from cryptography.fernet import InvalidToken

        try:
            self._newest.decrypt(value.encode())
            return True
        except InvalidToken:
            return False
