"""The generated wire types (`pb`) and service stub (`pb_grpc`).

Built into the package at install time (setup.py); an install without them (editable, or
a source checkout on sys.path) generates them here on first import, from the proto folder
found above the package or named by FOLLOWSCORE_PROTO_DIR.
"""

from __future__ import annotations

import os
from pathlib import Path

_HERE = Path(__file__).resolve().parent

if not (_HERE / "_generated" / "followscore_pb2_grpc.py").is_file():
    from . import codegen

    _proto = os.environ.get("FOLLOWSCORE_PROTO_DIR")
    codegen.generate(Path(_proto) if _proto else codegen.find_proto_dir(_HERE), _HERE / "_generated")

from ._generated import followscore_pb2 as pb  # noqa: E402
from ._generated import followscore_pb2_grpc as pb_grpc  # noqa: E402

__all__ = ["pb", "pb_grpc"]
