"""The optional C extensions; everything else about the package is in pyproject.toml.

ingest._pdfium_fast does the per-character pdfium loops of ingest/pdf_pdfium.py, and
ingest._lines_fast the line builder's loops of ingest/pdf_chars.py. Both are optional: without
a C compiler the package still installs and the reader uses the Python code, which gives the
same results. _pdfium_fast calls pdfium through the addresses pypdfium2 has already loaded, so
it needs no pdfium headers or library to build.
"""
from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext


class _BuildExt(build_ext):
    def build_extensions(self) -> None:
        if self.compiler.compiler_type != "msvc":
            # no fused multiply-add: the character positions and the line builder's tests
            # must be the floats the Python path computes, operation for operation
            for ext in self.extensions:
                ext.extra_compile_args.append("-ffp-contract=off")
                ext.libraries.append("m")       # rint() for round(); on Windows it is in the CRT
        super().build_extensions()


setup(
    ext_modules=[
        Extension("ingest._pdfium_fast", ["ingest/_pdfium_fast.c"], optional=True),
        Extension("ingest._lines_fast", ["ingest/_lines_fast.c"], optional=True),
    ],
    cmdclass={"build_ext": _BuildExt},
)
