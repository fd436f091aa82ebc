"""Just enough of the Kubernetes protobuf encoding to read a ``Namespace`` body.

``kubectl create namespace`` sends ``Content-Type: application/vnd.kubernetes.protobuf``
(and does not fall back to JSON on 415): the body is the magic ``k8s\\x00`` followed by a
``runtime.Unknown`` message (``typeMeta`` = 1, ``raw`` = 2) whose ``raw`` is the
``Namespace`` (``metadata`` = 1: ``ObjectMeta`` with ``name`` = 1, ``generateName`` = 2,
``labels`` = 11 as map entries ``key`` = 1, ``value`` = 2).  Field numbers are those of
k8s.io/api/core/v1/generated.proto and apimachinery's generated.proto.
"""

from __future__ import annotations

from typing import Dict, List, Tuple

MAGIC = b"k8s\x00"


def _varint(data: bytes, pos: int) -> Tuple[int, int]:
    value, shift = 0, 0
    while True:
        if pos >= len(data) or shift > 63:
            raise ValueError("truncated varint")
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return value, pos


def fields(data: bytes) -> Dict[int, List[bytes]]:
    """Length-delimited fields of a message by number (other wire types are skipped).
    Raises ``ValueError`` on malformed input."""
    found: Dict[int, List[bytes]] = {}
    pos = 0
    while pos < len(data):
        key, pos = _varint(data, pos)
        number, wire = key >> 3, key & 7
        if wire == 0:
            _, pos = _varint(data, pos)
        elif wire == 1:
            pos += 8
        elif wire == 5:
            pos += 4
        elif wire == 2:
            size, pos = _varint(data, pos)
            if pos + size > len(data):
                raise ValueError("truncated field")
            found.setdefault(number, []).append(data[pos:pos + size])
            pos += size
        else:
            raise ValueError(f"unsupported wire type {wire}")
    return found


def _text(values: List[bytes]) -> str:
    return values[-1].decode() if values else ""


def namespace(body: bytes) -> dict:
    """The JSON form (``apiVersion``, ``kind``, ``metadata.name/generateName/labels``) of a
    protobuf-encoded ``Namespace``.  Raises ``ValueError`` if it is not one."""
    if not body.startswith(MAGIC):
        raise ValueError("missing the k8s protobuf magic")
    unknown = fields(body[len(MAGIC):])
    type_meta = fields(unknown.get(1, [b""])[-1])
    obj = fields(unknown.get(2, [b""])[-1])
    meta = fields(obj.get(1, [b""])[-1])
    labels = {}
    for entry in meta.get(11, []):
        pair = fields(entry)
        labels[_text(pair.get(1, []))] = _text(pair.get(2, []))
    metadata = {"name": _text(meta.get(1, [])), "generateName": _text(meta.get(2, []))}
    if labels:
        metadata["labels"] = labels
    return {"apiVersion": _text(type_meta.get(1, [])) or "v1", "kind": _text(type_meta.get(2, [])) or "Namespace",
            "metadata": metadata}
