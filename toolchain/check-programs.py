#!/usr/bin/env python3
"""Check that every program the tests, the demo and the benchmarks run comes from a Debian
package that toolchain/ installs, so a newcomer's first `make test` cannot fail on a program
that only the developers' machines happen to have.

  toolchain/check-programs.py [--top DIR] [--toolchain DIR]

Two checks, each problem printed on its own line, exit 1 when there is any:
1. Every program in programs.txt is looked up on the system PATH and its file with `dpkg -S`;
   the owning package must be in the package lists its use names (packages.txt for test and
   demo, plus bench-packages.txt for bench, font-packages.txt for font), a dependency of one of
   them, or part of the pristine Debian 12 base. A program that is not installed fails for
   test and demo; for bench and font its package must at least be in that list.
2. tests/, toolchain/ and the Makefile are scanned for the programs they run (argument lists
   in Python and C, absolute /usr/bin paths, the first word of shell commands); a program
   found there that programs.txt does not name is a problem too.
--top is the tree to scan (default: this repository), --toolchain the folder holding
programs.txt and the package lists (default: the one beside this script).
"""
import argparse
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SYSTEM_PATH = ["/usr/sbin", "/usr/bin", "/sbin", "/bin"]  # no /usr/local: a package's or nothing
BASE = {"build-essential", "git", "ca-certificates", "pkg-config", "procps", "apt"}
LISTS = {"test": ["packages.txt"], "demo": ["packages.txt"],
         "bench": ["packages.txt", "bench-packages.txt"], "font": ["font-packages.txt"]}
SKIP_USES = {"dev", "ours", "not"}

SHELL_WORDS = set("""
: . [ [[ ]] { } ! alias bg bind break builtin caller case cd command compgen complete continue
declare dirs disown do done echo elif else enable esac eval exec exit export false fc fg fi for
function getopts hash help history if in jobs kill let local logout mapfile popd printf pushd
pwd read readarray readonly return select set shift shopt source suspend test then time times
trap true type typeset ulimit umask unalias unset until wait while
""".split())


def read_list(path):
    """Package names of a list file ('#' comments, any whitespace)."""
    with open(path, encoding="utf-8") as f:
        return {w for line in f for w in line.split("#", 1)[0].split()}


def read_programs(path):
    """programs.txt -> {program: (package, use, line number)}."""
    progs = {}
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            cols = line.split("#", 1)[0].split()
            if cols:
                progs[cols[0]] = (cols[1], cols[2] if len(cols) > 2 else "test", n)
    return progs


def installed_packages():
    """{package: (essential, [alternative groups of dependencies])} of installed packages,
    and {virtual name: {providers}}."""
    fmt = "${Package}\t${db:Status-Abbrev}\t${Essential}\t${Provides}\t${Pre-Depends}, ${Depends}\n"
    out = subprocess.run(["dpkg-query", "-W", "-f", fmt], capture_output=True, text=True,
                         check=True).stdout
    strip = lambda s: s.split("(")[0].strip().split(":")[0]
    pkgs, provides = {}, {}
    for line in out.splitlines():
        name, status, essential, prov, deps = (line.split("\t") + [""] * 5)[:5]
        if not status.startswith("ii"):
            continue
        groups = [[strip(a) for a in g.split("|") if strip(a)] for g in deps.split(",")]
        pkgs[name] = (essential == "yes", [g for g in groups if g])
        for p in prov.split(","):
            if strip(p):
                provides.setdefault(strip(p), set()).add(name)
    return pkgs, provides


def closure(roots, pkgs, provides):
    """Installed packages the roots bring in through Depends and Pre-Depends."""
    seen, todo = set(), list(roots)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        for group in pkgs.get(name, (False, []))[1]:
            for alt in group:  # whichever alternative is installed satisfies it
                todo += [alt] if alt in pkgs else sorted(provides.get(alt, ()))
    return seen


def twins(path):
    """PATH, its target, and their /bin <-> /usr/bin twins (merged /usr): dpkg knows one."""
    cands = {path, os.path.realpath(path)}
    for p in list(cands):
        for a, b in (("/usr/bin/", "/bin/"), ("/usr/sbin/", "/sbin/")):
            if p.startswith(a):
                cands.add(b + p[len(a):])
            elif p.startswith(b):
                cands.add(a + p[len(b):])
    return cands


def owners_of(paths):
    """{path: {packages}} from one `dpkg -S` (each call reads the whole database)."""
    r = subprocess.run(["dpkg", "-S", *sorted(paths)], capture_output=True, text=True)
    found = {}
    for line in r.stdout.splitlines():  # "pkg1, pkg2: /path"
        if ": " in line and not line.startswith("diversion"):
            pk, _, path = line.partition(": ")
            found.setdefault(path.strip(), set()).update(
                x.strip().split(":")[0] for x in pk.split(","))
    return found


def find_program(name):
    if name.startswith("/"):
        return name if os.access(name, os.X_OK) else None
    for d in SYSTEM_PATH:
        p = os.path.join(d, name)
        if os.path.isfile(p) and os.access(p, os.X_OK):
            return p
    return None


def check_listed(toolchain):
    progs = read_programs(os.path.join(toolchain, "programs.txt"))
    pkgs, provides = installed_packages()
    base = BASE | {p for p, (ess, _) in pkgs.items() if ess}
    problems, cache = [], {}
    paths = {prog: find_program(prog) for prog in progs}
    owned = owners_of(set().union(*(twins(p) for p in paths.values() if p)))
    for prog, (package, use, n) in sorted(progs.items()):
        if use in SKIP_USES:
            continue
        if use not in LISTS:
            problems.append(f"programs.txt:{n}: {prog}: unknown use {use!r}")
            continue
        names = LISTS[use]
        listed = set().union(*(read_list(os.path.join(toolchain, f)) for f in names))
        if use not in cache:
            cache[use] = closure(listed | base, pkgs, provides)
        allowed, lists = cache[use], " / ".join(f"toolchain/{f}" for f in names)
        path = paths[prog]
        if path is None:
            if use in ("test", "demo") or package not in listed:
                problems.append(f"{prog}: not installed, and {package} (its package) is not "
                                f"in {lists}" if package not in listed else
                                f"{prog}: not installed although {package} is listed")
            continue
        own = set().union(*(owned.get(p, set()) for p in twins(path)))
        if not own:
            problems.append(f"{prog}: {path} belongs to no Debian package")
        elif not own & allowed:
            problems.append(f"{prog}: {path} comes from {', '.join(sorted(own))}, which "
                            f"{lists} do not install")
        elif package not in allowed:
            problems.append(f"programs.txt:{n}: {prog}: package {package} is not installed "
                            f"by {lists} ({path} comes from {', '.join(sorted(own))})")
    return problems


# ---- the scan: which programs do tests/, toolchain/ and the Makefile run? ----

# ["prog", "-x" / {"prog", "--y"; a program's name starts with a letter, "/" or "." (a list of
# numbers such as { "11", "-2" } is test data, not a command line)
ARGV_RE = re.compile(r'[\[{(]\s*"([A-Za-z./][A-Za-z0-9_.+/-]*)"\s*,\s*f?"-')
CALL_RE = re.compile(r'(?:subprocess\.\w+|Popen|exec[lv]p?e?)\(\s*\[?\s*"([A-Za-z0-9_.+/-]+)"')
ABS_RE = re.compile(r'"(/(?:usr/)?s?bin/[A-Za-z0-9_.+-]+)"')
SPLIT_RE = re.compile(r'\$\(|`|&&|\|\||[;|&(){}]|\b(?:then|do|else|xargs|exec|time|sudo|!)\s')


def shell_commands(text, makefile):
    """(line number, first word) of each simple command in a shell script or Makefile recipe."""
    heredoc, funcs, found = None, set(re.findall(r"^\s*([\w-]+)\s*\(\)", text, re.M)), []
    for n, line in enumerate(text.splitlines(), 1):
        if heredoc:
            heredoc = None if line.strip() == heredoc else heredoc
            continue
        if makefile:
            if not line.startswith("\t"):
                continue
            line = line.lstrip("\t@-")
        m = re.search(r"<<-?\s*['\"]?(\w+)", line)
        if m:
            heredoc = m.group(1)
        line = re.sub(r"(^|\s)#.*", "", line)
        if makefile:  # make's own $(VAR) and $(fn ...) are no commands; $$ is the shell's $
            var = r"\$\((?:[^()$]|\$[^(])*\)"
            while re.search(var, line):
                line = re.sub(var, "$V", line)
            line = line.replace("$$", "$")
        line = re.sub(r"\$\{[^}]*\}|\$?\(\(.*?\)\)", "$V", line)  # ${x:-y}, $((1 + 2)), ((i--))
        line = re.sub(r"=\([^)]*\)", "=V", line)  # arrays: a=(x y), b+=("$z")
        line = re.sub(r"'[^']*'|\"[^\"]*\"", "''", line)  # quoted text is an argument
        for part in SPLIT_RE.split(line):
            words = [w for w in part.split() if not re.match(r"^\w+\+?=", w)]
            if not words:
                continue
            w = words[0]
            if (w in SHELL_WORDS or w in funcs or not re.match(r"^[A-Za-z/][\w.+/-]*$", w)
                    or "/" in w and not w.startswith(("/usr/", "/bin/", "/sbin/"))):
                continue
            found.append((n, os.path.basename(w)))
    return found


def scan(top):
    """{program: first 'file:line' that runs it}."""
    used = {}
    files = [os.path.join(top, "Makefile")]
    for d in ("tests", "toolchain"):
        for root, _, names in os.walk(os.path.join(top, d)):
            files += [os.path.join(root, f) for f in sorted(names)]
    for path in files:
        ext = os.path.splitext(path)[1]
        if (not os.path.isfile(path) or ext not in (".py", ".c", ".h", ".sh", "")
                or os.path.samefile(path, os.path.abspath(__file__))):
            continue  # (this file's patterns would match themselves)
        try:
            with open(path, encoding="utf-8") as f:
                text = f.read()
        except UnicodeDecodeError:
            continue
        rel = os.path.relpath(path, top)
        hits = []
        if ext in (".py", ".c", ".h"):
            for rx in (ARGV_RE, CALL_RE, ABS_RE):
                for m in rx.finditer(text):
                    hits.append((text.count("\n", 0, m.start()) + 1, os.path.basename(m.group(1))))
        elif ext == ".sh" or os.path.basename(path) == "Makefile" or text.startswith("#!/bin/"):
            hits = shell_commands(text, os.path.basename(path) == "Makefile")
        for n, prog in hits:
            used.setdefault(prog, f"{rel}:{n}")
    return used


def check_scan(top, toolchain):
    listed = read_programs(os.path.join(toolchain, "programs.txt"))
    return [f"{where}: runs {prog}, which toolchain/programs.txt does not list"
            for prog, where in sorted(scan(top).items()) if prog not in listed]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--top", default=os.path.dirname(HERE))
    ap.add_argument("--toolchain", default=HERE)
    args = ap.parse_args()
    problems = check_scan(args.top, args.toolchain) + check_listed(args.toolchain)
    for p in problems:
        print(p)
    print(f"check-programs: {len(read_programs(os.path.join(args.toolchain, 'programs.txt')))} "
          f"programs listed, {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
