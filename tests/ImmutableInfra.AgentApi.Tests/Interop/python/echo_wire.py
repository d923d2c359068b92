"""Hand-written protobuf wire encoding of the test Echo messages (no protoc needed)."""

# EchoRequest: 1 text, 2 payload, 3 repeat, 4 fail_code, 5 fail_message, 6 delay_ms,
#              7 ignore_cancellation, 8 throw_plain, 9 reply_size
# EchoReply:   1 text, 2 payload, 3 index, 4 count

REQUEST_FIELDS = {1: "text", 2: "payload", 3: "repeat", 4: "fail_code", 5: "fail_message",
                  6: "delay_ms", 7: "ignore_cancellation", 8: "throw_plain", 9: "reply_size"}
REPLY_FIELDS = {1: "text", 2: "payload", 3: "index", 4: "count"}
STRING_FIELDS = {"text", "fail_message"}


def varint(value):
    out = bytearray()
    value &= (1 << 64) - 1
    while True:
        bits = value & 0x7F
        value >>= 7
        if value:
            out.append(bits | 0x80)
        else:
            out.append(bits)
            return bytes(out)


def _encode(fields, names):
    out = bytearray()
    for number, name in sorted(names.items()):
        value = fields.get(name)
        if value in (None, 0, b"", "", False):
            continue
        if isinstance(value, str):
            value = value.encode("utf-8")
        if isinstance(value, (bytes, bytearray)):
            out += varint((number << 3) | 2) + varint(len(value)) + value
        else:
            out += varint(number << 3) + varint(int(value))
    return bytes(out)


def _decode(data, names):
    result = {}
    i = 0
    while i < len(data):
        key, i = _read_varint(data, i)
        number, wire = key >> 3, key & 7
        name = names.get(number, str(number))
        if wire == 0:
            value, i = _read_varint(data, i)
        elif wire == 2:
            length, i = _read_varint(data, i)
            value = bytes(data[i:i + length])
            i += length
            if name in STRING_FIELDS:
                value = value.decode("utf-8")
        else:
            raise ValueError("unsupported wire type %d" % wire)
        result[name] = value
    return result


def _read_varint(data, i):
    shift = 0
    value = 0
    while True:
        b = data[i]
        i += 1
        value |= (b & 0x7F) << shift
        if not b & 0x80:
            return value, i
        shift += 7


def encode_request(**fields):
    return _encode(fields, REQUEST_FIELDS)


def decode_request(data):
    return _decode(data, REQUEST_FIELDS)


def encode_reply(**fields):
    return _encode(fields, REPLY_FIELDS)


def decode_reply(data):
    return _decode(data, REPLY_FIELDS)


def request_of_size(size):
    """An EchoRequest whose serialized size is exactly `size` bytes (payload only)."""
    n = size - 1 - len(varint(size))
    while 1 + len(varint(n)) + n < size:
        n += 1
    while 1 + len(varint(n)) + n > size:
        n -= 1
    data = encode_request(payload=b"\x00" * n)
    assert len(data) == size, (len(data), size)
    return data
