"""Draws the site's favicon (a white "C" on the accent blue) into web/static/web/favicon.ico.

Run once after changing the design: `.venv/bin/python scripts/make_favicon.py`. The icon is
drawn, not downloaded, so the repository holds no third-party artwork.
"""

from pathlib import Path

from PIL import Image, ImageDraw

ACCENT = (31, 111, 235, 255)  # --accent in web/static/web/cadenza.css
TARGET = Path(__file__).resolve().parent.parent / "src/cadenza/web/static/web/favicon.ico"


def draw(size: int) -> Image.Image:
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    pen.rounded_rectangle((0, 0, size - 1, size - 1), radius=size // 5, fill=ACCENT)
    inset = size // 5
    width = max(2, size // 7)
    pen.arc((inset, inset, size - inset, size - inset), 45, 315, fill="white", width=width)
    return image


if __name__ == "__main__":
    draw(64).save(TARGET, sizes=[(16, 16), (32, 32), (48, 48), (64, 64)])
    print(f"wrote {TARGET} ({TARGET.stat().st_size} bytes)")
