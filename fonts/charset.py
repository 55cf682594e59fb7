#!/usr/bin/env python3
"""Print the characters the shipped font subset must cover, one string on stdout:
printable ASCII, every GB2312 character (6763 hanzi plus its symbols and CJK punctuation),
the whole CJK Unified Ideographs block (U+4E00-U+9FFF) and Extension A (U+3400-U+4DBF), so
that members' names beyond GB2312 (喆 堃 镕 珺 昇 玥 赟 犇 垚 彧 ...) need no fallback face,
full-width forms, and the few UI symbols the TV app draws (arrows, bullets, check marks).
Code points the source face has no glyph for are simply left out by pyftsubset."""
import sys

chars = set(chr(c) for c in range(0x20, 0x7F))
# GB2312 is EUC-CN: two bytes, each 0xA1..0xFE; rows 0xA1-0xA9 symbols, 0xB0-0xF7 hanzi.
for hi in range(0xA1, 0xF8):
    for lo in range(0xA1, 0xFF):
        try:
            chars.add(bytes([hi, lo]).decode("gb2312"))
        except UnicodeDecodeError:
            pass
chars.update(chr(c) for c in range(0x4E00, 0xA000))   # CJK Unified Ideographs
chars.update(chr(c) for c in range(0x3400, 0x4DC0))   # CJK Unified Ideographs Extension A
chars.update(chr(c) for c in range(0x3000, 0x3040))   # CJK symbols and punctuation
chars.update(chr(c) for c in range(0xFF01, 0xFF5F))   # full-width ASCII forms
chars.update("◀▶▲▼◆●○■□★☆✓×÷·•…—–‘’“”《》【】「」『』°℃¥￥€")
sys.stdout.write("".join(sorted(chars)))
