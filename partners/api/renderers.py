"""JSON for the partner API, encoded by orjson.

The API's lists are its busiest answers, and encoding 50 events with Python's json module costs
about as much as reading them. This renderer gives the JSON DRF's JSONRenderer gives (compact,
UTF-8, U+2028 and U+2029 escaped so the body is also valid JavaScript; for what the API sends,
the same bytes), with orjson doing the encoding: what orjson does not encode as DRF would
(times, decimals, lazy text, sets, anything else) goes to DRF's own encoder, and a
pretty-printing request (`; indent=…` in Accept) or a body orjson refuses (an integer beyond 64
bits, nesting deeper than 254) to DRF's renderer itself. Where the two differ: a float is
written in its shortest form (0.00001 where DRF writes 1e-05, the same number), and NaN and the
infinities, which JSON cannot say, come out as null, where DRF's strict renderer would fail the
request; the API sends neither.
"""

import orjson
from rest_framework import renderers
from rest_framework.utils.encoders import JSONEncoder

_OPTIONS = (
    orjson.OPT_NON_STR_KEYS  # as json.dumps: an int key becomes a string
    | orjson.OPT_PASSTHROUGH_DATETIME  # datetimes, dates and times in DRF's format
    | orjson.OPT_PASSTHROUGH_DATACLASS  # as DRF (refused, not silently turned into objects)
)
_drf_default = JSONEncoder().default


class JSONRenderer(renderers.JSONRenderer):
    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        if self.get_indent(accepted_media_type, renderer_context or {}) is not None:
            return super().render(data, accepted_media_type, renderer_context)
        try:
            body = orjson.dumps(data, default=_drf_default, option=_OPTIONS)
        except orjson.JSONEncodeError as error:
            if isinstance(error.__cause__, TypeError):
                raise error.__cause__ from None  # DRF's encoder refused it: as DRF would
            return super().render(data, accepted_media_type, renderer_context)
        if b"\xe2\x80\xa8" in body or b"\xe2\x80\xa9" in body:
            body = body.replace(b"\xe2\x80\xa8", b"\\u2028").replace(b"\xe2\x80\xa9", b"\\u2029")
        return body
