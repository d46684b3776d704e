"""Import reportlab without loading Pillow until a picture is drawn.

``reportlab.lib.utils`` — imported by every reportlab module — runs ``from PIL import Image``
at its top, and ``PIL.Image`` imports its EXIF tag tables (large ``IntEnum`` classes): about
0.04–0.06 s of CPU in every process that writes a PDF, although reportlab only touches
``Image`` inside functions (reading a picture, ``isinstance`` checks on one). Before reportlab
is first imported, ``PIL.Image`` is registered as a module loaded by the standard library's
:class:`importlib.util.LazyLoader`: the name is bound at once, and the module's code runs on the
first attribute read — when a figure is drawn, or when any other code uses Pillow. Nothing is
replaced: it is Pillow's own module, executed later (docs/adr-0020, Session 4, audit report).
"""

from __future__ import annotations

import importlib.util
import sys

__all__ = ["defer_pillow"]


def defer_pillow() -> None:
    """Register ``PIL.Image`` to load on first use, unless reportlab or Pillow is loaded
    already (then there is nothing to save) or Pillow is not installed."""
    if "PIL.Image" in sys.modules or "reportlab.lib.utils" in sys.modules:
        return
    spec = importlib.util.find_spec("PIL.Image")
    if spec is None or spec.loader is None:
        return
    loader = importlib.util.LazyLoader(spec.loader)
    spec.loader = loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["PIL.Image"] = module
    loader.exec_module(module)
    vars(sys.modules["PIL"])["Image"] = module  # as « import PIL.Image » binds it
