"""Builds the package with its gRPC stubs generated from followscore's proto/ files.

The stubs are never committed: `build_py` runs grpcio-tools (a build requirement) on the
proto files and puts the modules into the built package. The proto directory is
FOLLOWSCORE_PROTO_DIR when set, else ../../proto (this folder's place in the repository).
"""

import importlib.util
import os
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent


def _codegen():
    # Loaded by path: importing the package itself would look for the stubs being built.
    spec = importlib.util.spec_from_file_location(
        "followscore_codegen", HERE / "followscore_client" / "codegen.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class BuildWithStubs(build_py):
    def run(self) -> None:
        super().run()
        codegen = _codegen()
        proto_dir = Path(os.environ.get("FOLLOWSCORE_PROTO_DIR") or codegen.find_proto_dir(HERE))
        out_dir = Path(self.build_lib) / "followscore_client" / "_generated"
        codegen.generate(proto_dir, out_dir)


setup(cmdclass={"build_py": BuildWithStubs})
