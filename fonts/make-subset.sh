#!/usr/bin/env bash
# Regenerate fonts/NotoSansSC-DJTV.otf: Noto Sans CJK SC (face 2 of Debian's
# NotoSansCJK-Regular.ttc, SIL OFL 1.1) cut down to the characters in charset.py: GB2312, the
# CJK Unified Ideographs block and Extension A (about 8 MB; see README.md for the costs).
# Keeping only kern/palt/vert layout features renders identically to the full face.
# Output is deterministic.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
"$here/../toolchain/install-deps.sh" "$here/../toolchain/font-packages.txt"
src=/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
/usr/bin/python3 "$here/charset.py" > "$tmp/chars.txt"
pyftsubset "$src" --font-number=2 --text-file="$tmp/chars.txt" \
    --layout-features='kern,palt,vert' --output-file="$tmp/out.otf"
mv "$tmp/out.otf" "$here/NotoSansSC-DJTV.otf"
echo "wrote $here/NotoSansSC-DJTV.otf ($(stat -c %s "$here/NotoSansSC-DJTV.otf") bytes)"
