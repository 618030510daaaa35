"""What an hours statement says, its verification code and its fingerprint.

A statement's content is a small JSON-able dict (who, which organization, which period, the
verified hours per project with their dates and verifiers, the total). It is fixed when the
statement is issued: the row keeps the content and the SHA-256 of its canonical form bound to
the statement's code, so the public verification page can say whether what it shows is what was
issued, and the PDF prints the same fingerprint for a reader to compare.

The code is 16 characters of Crockford's base32 (80 random bits from `secrets`): unguessable,
easy to read aloud and to type (case, spaces, dashes and the letters O, I and L are forgiven).
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
from decimal import ROUND_HALF_UP, Decimal

CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 16
CONTENT_VERSION = 1
_CODE_RE = re.compile(rf"^[{CODE_ALPHABET}]{{{CODE_LENGTH}}}$")
_FORGIVEN = str.maketrans({"O": "0", "I": "1", "L": "1", "U": "V"})


def new_code() -> str:
    """A fresh random statement code (stored without separators)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalize_code(text: str) -> str | None:
    """The stored form of a code someone typed or followed, or None if it cannot be one."""
    cleaned = re.sub(r"[\s\-]", "", text or "").upper().translate(_FORGIVEN)
    return cleaned if _CODE_RE.match(cleaned) else None


def display_code(code: str) -> str:
    """The code in groups of four, as printed: ABCD-EFGH-JKMN-PQRS."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def canonical(content: dict) -> bytes:
    """One byte string per content: sorted keys, no spaces, UTF-8."""
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def content_hash(*, code: str, content: dict) -> str:
    """SHA-256 (hex) of the content bound to its code, so neither can be swapped alone."""
    return hashlib.sha256(canonical({"code": code, "content": content})).hexdigest()


def fingerprint(digest: str) -> str:
    """The first 80 bits of the hash, as printed on the statement and shown on the page."""
    short = digest[:20].upper()
    return " ".join(short[i : i + 4] for i in range(0, len(short), 4))


def hours_text(minutes: int) -> str:
    """Minutes as hours with two decimals (half up), as statements and exports give them."""
    return str((Decimal(int(minutes)) / 60).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))
