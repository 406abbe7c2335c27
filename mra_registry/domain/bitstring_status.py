"""W3C Bitstring Status List v1.0: decoding a credential status list's ``encodedList`` and reading one entry's
bit (and encoding a list, for tests and uploads)."""
from __future__ import annotations

import base64
import zlib

MAX_STATUS_LIST_BYTES = 16 * 1024 * 1024  # 128 Mi entries: far above the spec's 16 KiB minimum


def decode_status_list(encoded: str) -> bytes:
    """The bitstring of an ``encodedList``: multibase base64url (prefix ``u``; accepted without it, as
    StatusList2021 wrote it) of the GZIP-compressed bits. Raises ``ValueError`` when it is not one."""
    if not isinstance(encoded, str) or not encoded:
        raise ValueError("the encoded list is empty")
    text = encoded[1:] if encoded.startswith("u") else encoded
    try:
        compressed = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
        bits = inflater.decompress(compressed, MAX_STATUS_LIST_BYTES)
    except (ValueError, zlib.error):
        raise ValueError("the encoded list is not base64url of a GZIP stream") from None
    if inflater.unconsumed_tail:
        raise ValueError(f"the list is longer than {MAX_STATUS_LIST_BYTES:,} bytes")
    if not bits:
        raise ValueError("the list holds no bits")
    return bits


def bit_is_set(bits: bytes, index: int) -> bool:
    """The status at ``index``: index 0 is the left-most (most significant) bit of the first byte."""
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def encode_status_list(set_indexes: tuple[int, ...] | list[int], length: int = 131_072) -> str:
    """A multibase base64url GZIP ``encodedList`` of ``length`` bits with ``set_indexes`` set (16 KiB, the
    spec's minimum, by default). GZIP's header time is zero, so equal lists encode equally."""
    bits = bytearray((length + 7) // 8)
    for index in set_indexes:
        bits[index // 8] |= 0x80 >> (index % 8)
    compressed = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    data = compressed.compress(bytes(bits)) + compressed.flush()
    return "u" + base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")
