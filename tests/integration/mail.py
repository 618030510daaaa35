"""A file email backend that takes its time per message, like a real SMTP server does, so a
test can kill the worker while a batch is being sent."""

import os
import time

from django.core.mail.backends import filebased


class SlowFileBackend(filebased.EmailBackend):
    def send_messages(self, email_messages):
        time.sleep(float(os.environ.get("CONNECT_TEST_MAIL_DELAY", "0")) * len(email_messages))
        return super().send_messages(email_messages)


SEPARATOR = b"\n" + b"-" * 79 + b"\n"


def messages_in(folder) -> list[bytes]:
    """Every complete message the file backend wrote into `folder` (a message cut short by a
    killed worker has no separator after it and is not counted)."""
    found = []
    for path in sorted(os.listdir(folder)):
        with open(os.path.join(folder, path), "rb") as handle:
            chunks = handle.read().split(SEPARATOR)
        found.extend(chunk for chunk in chunks[:-1] if chunk.strip())
    return found
