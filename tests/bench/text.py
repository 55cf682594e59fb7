#!/usr/bin/env python3
"""`make bench`, text: the first draw of a 40-name list with everything cold, and the memory
the fonts add, for the shipped font and two peers in the same run.

  tests/bench/text.py --build build [--reps 7]

Each run is a fresh process of build/bench/text_bench (tests/bench/text_bench.c): the UI's
own text path on SDL's software renderer at 1920x1080, font sizes, glyphs, text cache and
fontconfig all cold (the files themselves are in the page cache after the first run). 40 names
in two columns at 40 px: GB2312 names, names beyond GB2312 (王喆 李堃 镕 玥 昇 赟 …) and eight
with Extension B characters (𠮷 …), which come from the fallback face.

Figures (medians of --reps runs, the fonts interleaved within each repetition):
  text.first_ms            ms from the first ui_text() to the presented frame (goal <= 50)
  text.first_cpu_ms        the CPU time the process spent in it (all threads): on a shared
                           machine the wall time is mostly waiting for a core
  font.rss_mb              VmRSS after the draw minus VmRSS before the fonts were opened,
                           minus the text textures (a GPU would hold those) (goal <= 20)
  font.rss_anon_mb         the anonymous part of it: without the font files' mapped pages,
                           which are the page cache's (shared, dropped under pressure)
  *.gb2312_cut             the same with the 1.9 MB GB2312 subset shipped before issue 14
                           (from git history; more names then come from the fallback face)
  *.full_ttc               the same with Debian's whole NotoSansCJK-Regular.ttc (19.5 MB;
                           every name from the one face)"""
import argparse
import json
import os
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
FULL_TTC = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"


def figure(name, value, unit):
    print(f"BENCH {name} {value:.2f} {unit}", flush=True)


def gb2312_cut(build):
    """The first committed version of the shipped font (the GB2312 cut), or None."""
    out = os.path.join(build, "bench-fonts", "gb2312.otf")
    if os.path.exists(out):
        return out
    try:
        first = subprocess.run(["git", "-C", TOP, "log", "--reverse", "--format=%H", "--",
                                "fonts/NotoSansSC-DJTV.otf"], capture_output=True, text=True,
                               check=True).stdout.split()[0]
        data = subprocess.run(["git", "-C", TOP, "show", f"{first}:fonts/NotoSansSC-DJTV.otf"],
                              capture_output=True, check=True).stdout
    except (subprocess.CalledProcessError, IndexError, OSError):
        return None
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out, "wb") as f:
        f.write(data)
    return out


def one_run(binary, font):
    env = dict(os.environ, SDL_VIDEODRIVER="offscreen")
    proc = subprocess.run([binary, font], capture_output=True, text=True, env=env, timeout=120)
    if proc.returncode != 0:
        sys.exit(f"text_bench {font} failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build")
    ap.add_argument("--reps", type=int, default=7)
    args = ap.parse_args()
    build = os.path.abspath(args.build)
    binary = os.path.join(build, "bench", "text_bench")
    fonts = {"": os.path.join(TOP, "fonts", "NotoSansSC-DJTV.otf")}
    cut = gb2312_cut(build)
    if cut:
        fonts[".gb2312_cut"] = cut
    if os.path.exists(FULL_TTC):
        fonts[".full_ttc"] = FULL_TTC
    runs = {k: [] for k in fonts}
    print(f"# load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores", flush=True)
    for _ in range(args.reps):
        for key, path in fonts.items():
            runs[key].append(one_run(binary, path))
    print(f"# text: {args.reps} runs per font, each a fresh process; 40 names, "
          f"{runs[''][0]['missing']} characters no face has", flush=True)
    for key in fonts:
        size = os.path.getsize(fonts[key]) / 1048576
        first = [r["first_ms"] for r in runs[key]]
        cpu = [r["cpu_ms"] for r in runs[key]]
        rss = [r["rss_mb"] for r in runs[key]]
        anon = [r["anon_mb"] for r in runs[key]]
        print(f"# {fonts[key]} ({size:.1f} MB): first_ms {sorted(first)}, rss_mb {sorted(rss)}, "
              f"textures {runs[key][0]['textures_mb']:.2f} MB", flush=True)
        figure(f"text.first_ms{key}", statistics.median(first), "ms")
        figure(f"text.first_cpu_ms{key}", statistics.median(cpu), "ms")
        figure(f"font.rss_mb{key}", statistics.median(rss), "MB")
        figure(f"font.rss_anon_mb{key}", statistics.median(anon), "MB")


if __name__ == "__main__":
    main()
