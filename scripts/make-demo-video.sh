#!/bin/sh
# Make the demo organization's media: the video lecture and the downloadable checklist.
#
#   scripts/make-demo-video.sh
#
# Writes, into src/cadenza/demo/assets/ (shipped in the package; `cadenza demo` copies them
# into the media storage and never downloads anything):
#
#   sepsis-hour-1-bundle.webm        20 s, 640x360, 15 fps, VP9 + Opus, a few tens of KB: a
#                                    title card, then the five steps of the Hour-1 bundle
#                                    appearing one by one, with a soft chime at each step.
#   sepsis-screening-checklist.pdf   a one-page A4 checklist (PDF 1.4, Helvetica, no fonts
#                                    embedded), written by the small generator below.
#
# Needs ffmpeg built with libfreetype (drawtext), libvpx and libopus, the DejaVu fonts and
# python3. If you change the video's length, change VIDEO_DURATION_SECONDS in
# src/cadenza/demo/content.py too (the test in tests/demo checks they agree).
set -eu

cd "$(dirname "$0")/.."
DEST=src/cadenza/demo/assets
DURATION=20
FONT=/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf
FONT_BOLD=/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf
mkdir -p "$DEST"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# One text file per caption: drawtext reads them verbatim, so no filter escaping is needed.
printf 'Sepsis Hour-1 Bundle' >"$work/title.txt"
printf 'Riverside General Hospital - clinical education' >"$work/subtitle.txt"
printf 'Within one hour of recognising sepsis:' >"$work/heading.txt"
printf '1. Measure lactate; remeasure if above 2 mmol/L' >"$work/step1.txt"
printf '2. Take blood cultures before antibiotics' >"$work/step2.txt"
printf '3. Give broad-spectrum antibiotics' >"$work/step3.txt"
printf '4. 30 mL/kg crystalloid for low BP or lactate >= 4' >"$work/step4.txt"
printf '5. Vasopressors to keep MAP >= 65 mmHg' >"$work/step5.txt"
printf 'Start the clock at triage.' >"$work/closing.txt"

text() { # text FILE FONT SIZE COLOUR X Y FROM UNTIL
	printf "drawtext=fontfile=%s:textfile=%s:fontsize=%s:fontcolor=%s:x=%s:y=%s:enable='between(t,%s,%s)'" \
		"$2" "$work/$1" "$3" "$4" "$5" "$6" "$7" "$8"
}

video_filter=$(
	printf '%s,' \
		"drawbox=x=0:y=0:w=iw:h=8:color=0xd1495b:t=fill" \
		"$(text title.txt "$FONT_BOLD" 40 white '(w-text_w)/2' 130 0 4)" \
		"$(text subtitle.txt "$FONT" 20 0xc9d6e3 '(w-text_w)/2' 190 0 4)" \
		"$(text heading.txt "$FONT_BOLD" 24 white 40 36 4 "$DURATION")" \
		"$(text step1.txt "$FONT" 20 white 40 92 4 "$DURATION")" \
		"$(text step2.txt "$FONT" 20 white 40 138 7 "$DURATION")" \
		"$(text step3.txt "$FONT" 20 white 40 184 10 "$DURATION")" \
		"$(text step4.txt "$FONT" 20 white 40 230 13 "$DURATION")" \
		"$(text step5.txt "$FONT" 20 white 40 276 16 "$DURATION")"
	text closing.txt "$FONT_BOLD" 20 0xffd166 40 322 18 "$DURATION"
)

# A short 660 Hz chime at the title and as each step appears (t = 0, 4, 7, 10, 13, 16).
chime="0.15*sin(2*PI*660*t)*(lt(t,0.25)+gte(t,4)*lt(mod(t-4,3),0.25)*lt(t,16.5))"

ffmpeg -hide_banner -loglevel error -y \
	-f lavfi -i "color=c=0x16324f:s=640x360:r=15:d=$DURATION" \
	-f lavfi -i "aevalsrc=exprs='$chime':s=48000:d=$DURATION" \
	-vf "$video_filter" \
	-c:v libvpx-vp9 -b:v 0 -crf 42 -g 30 -row-mt 1 -deadline good -pix_fmt yuv420p \
	-c:a libopus -b:a 24k -ac 1 \
	-map_metadata -1 -fflags +bitexact -t "$DURATION" \
	"$DEST/sepsis-hour-1-bundle.webm"

python3 - "$DEST/sepsis-screening-checklist.pdf" <<'PYTHON'
"""A one-page PDF written by hand: five objects, Helvetica, an exact cross-reference table."""
import sys

lines = [
    (20, "Sepsis screening checklist"),
    (11, "Riverside General Hospital - emergency department and wards"),
    (11, ""),
    (13, "Screen (any two SIRS criteria, or qSOFA of 2 or more):"),
    (11, "[ ]  Temperature above 38.0 C or below 36.0 C"),
    (11, "[ ]  Heart rate above 90 per minute"),
    (11, "[ ]  Respiratory rate 22 per minute or more (qSOFA) / above 20 (SIRS)"),
    (11, "[ ]  Altered mental state (qSOFA)"),
    (11, "[ ]  Systolic blood pressure 100 mmHg or less (qSOFA)"),
    (11, "[ ]  White cell count above 12 or below 4 x 10^9/L"),
    (11, ""),
    (13, "Hour-1 bundle - start the clock at recognition:"),
    (11, "[ ]  1. Measure lactate; remeasure if above 2 mmol/L      time: ______"),
    (11, "[ ]  2. Blood cultures before antibiotics                 time: ______"),
    (11, "[ ]  3. Broad-spectrum antibiotics                        time: ______"),
    (11, "[ ]  4. 30 mL/kg crystalloid if hypotensive or lactate >= 4 mmol/L"),
    (11, "[ ]  5. Vasopressors if MAP stays below 65 mmHg after fluids"),
    (11, ""),
    (11, "Escalate to the sepsis team on bleep 4242. Record every time in the chart."),
    (9, "Demo material for Cadenza. Not clinical guidance."),
]


def escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


ops = ["BT", "56 780 Td"]
leading_prev = 0
for size, text in lines:
    ops.append(f"/F1 {size} Tf")
    if leading_prev:
        ops.append(f"0 -{round(leading_prev * 1.6)} Td")
    ops.append(f"({escape(text)}) Tj")
    leading_prev = size
ops.append("ET")
content = "\n".join(ops).encode("latin-1")

objects = [
    b"<< /Type /Catalog /Pages 2 0 R >>",
    b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
    b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
    b"<< /Length " + str(len(content)).encode() + b" >>\nstream\n" + content + b"\nendstream",
    b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
]
out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
offsets = []
for number, body in enumerate(objects, start=1):
    offsets.append(len(out))
    out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
xref = len(out)
out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
for offset in offsets:
    out += f"{offset:010d} 00000 n \n".encode()
out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
with open(sys.argv[1], "wb") as f:
    f.write(out)
PYTHON

ls -l "$DEST"
