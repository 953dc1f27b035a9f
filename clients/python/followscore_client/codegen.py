"""Generates the Python gRPC stubs from followscore's proto files with grpcio-tools.

Standalone (no imports from the package) so that setup.py can load it by path while the
package is being built. The generated service module imports its messages as
`followscore.v1.followscore_pb2`; the import is rewritten to a relative one so that the
stubs live inside this package and need nothing on sys.path.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

PROTO_FILE = "followscore/v1/followscore.proto"
MODULES = ("followscore_pb2.py", "followscore_pb2.pyi", "followscore_pb2_grpc.py")


def find_proto_dir(start: Path) -> Path:
    """The nearest `proto/` folder holding followscore's API, looking upwards from `start`."""
    for folder in [start, *start.parents]:
        candidate = folder / "proto"
        if (candidate / PROTO_FILE).is_file():
            return candidate
    raise FileNotFoundError(
        f"no proto/{PROTO_FILE} above {start}; set FOLLOWSCORE_PROTO_DIR to followscore's proto folder"
    )


def generate(proto_dir: Path, out_dir: Path) -> None:
    """Writes followscore_pb2(.pyi) and followscore_pb2_grpc into `out_dir`."""
    import grpc_tools
    from grpc_tools import protoc

    well_known = Path(grpc_tools.__file__).resolve().parent / "_proto"
    with tempfile.TemporaryDirectory() as tmp:
        code = protoc.main(
            [
                "grpc_tools.protoc",
                f"-I{proto_dir}",
                f"-I{well_known}",
                f"--python_out={tmp}",
                f"--pyi_out={tmp}",
                f"--grpc_python_out={tmp}",
                str(Path(proto_dir) / PROTO_FILE),
            ]
        )
        if code != 0:
            raise RuntimeError(f"grpc_tools.protoc failed on {proto_dir / PROTO_FILE} ({code})")
        generated = Path(tmp) / Path(PROTO_FILE).parent
        out_dir.mkdir(parents=True, exist_ok=True)
        for name in MODULES:
            text = (generated / name).read_text(encoding="utf-8")
            text = re.sub(
                r"^from followscore\.v1 import followscore_pb2 as",
                "from . import followscore_pb2 as",
                text,
                flags=re.MULTILINE,
            )
            (out_dir / name).write_text(text, encoding="utf-8")
        (out_dir / "__init__.py").write_text(
            '"""Generated from followscore\'s proto files at build time; not committed."""\n',
            encoding="utf-8",
        )


def main() -> None:
    here = Path(__file__).resolve().parent
    generate(find_proto_dir(here), here / "_generated")
    print(f"stubs written to {here / '_generated'}")


if __name__ == "__main__":
    main()
