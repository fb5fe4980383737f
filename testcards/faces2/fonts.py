"""The fonts of the second card-face generator: Debian's Japanese fonts other than the one the
project's own renders use, and DejaVu for digits and Latin letters.

The tuning part of the generator never uses `HELD_OUT_FONTS`: the held-out part reads glyph
shapes the rules were never tuned on.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from PIL import ImageFont

from testcards.errors import FontNotFoundError

#: name → (Debian package, path)
JAPANESE = {
    "vl-gothic": ("fonts-vlgothic", "/usr/share/fonts/truetype/vlgothic/VL-Gothic-Regular.ttf"),
    "vl-pgothic": ("fonts-vlgothic", "/usr/share/fonts/truetype/vlgothic/VL-PGothic-Regular.ttf"),
    "ipaex-gothic": ("fonts-ipaexfont-gothic",
                     "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf"),
    "ipaex-mincho": ("fonts-ipaexfont-mincho",
                     "/usr/share/fonts/opentype/ipaexfont-mincho/ipaexm.ttf"),
}
LATIN = {
    "dejavu-sans": ("fonts-dejavu-core", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    "dejavu-sans-condensed": ("fonts-dejavu-extra",
                              "/usr/share/fonts/truetype/dejavu/DejaVuSansCondensed.ttf"),
    "dejavu-serif": ("fonts-dejavu-core", "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"),
    "dejavu-mono": ("fonts-dejavu-core", "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"),
}
HELD_OUT_FONTS = frozenset({"ipaex-mincho", "dejavu-serif"})


def path(name: str) -> str:
    package, file = {**JAPANESE, **LATIN}[name]
    if not Path(file).is_file():
        raise FontNotFoundError(f"the second card-face generator needs the font {name}: install "
                                f"the Debian package {package} (scripts/install-debs.sh --test)")
    return file


@lru_cache(maxsize=256)
def font(name: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path(name), max(size, 6))


def choices(*, held_out: bool) -> tuple[list[str], list[str]]:
    """(Japanese fonts, Latin fonts) a face of this part may use."""
    japanese = [name for name in JAPANESE if held_out or name not in HELD_OUT_FONTS]
    latin = [name for name in LATIN if held_out or name not in HELD_OUT_FONTS]
    return japanese, latin
