"""The optional C extension; everything else about the package is in pyproject.toml.

ingest._pdfium_fast does the per-character pdfium loops of ingest/pdf_pdfium.py. It is
optional: without a C compiler the package still installs and the reader uses its ctypes path,
which gives the same characters. It calls pdfium through the addresses pypdfium2 has already
loaded, so it needs no pdfium headers or library to build.
"""
from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext


class _BuildExt(build_ext):
    def build_extensions(self) -> None:
        if self.compiler.compiler_type != "msvc":
            # no fused multiply-add: the character positions must be the floats the Python
            # path computes, operation for operation
            for ext in self.extensions:
                ext.extra_compile_args.append("-ffp-contract=off")
        super().build_extensions()


setup(
    ext_modules=[Extension("ingest._pdfium_fast", ["ingest/_pdfium_fast.c"], optional=True)],
    cmdclass={"build_ext": _BuildExt},
)
