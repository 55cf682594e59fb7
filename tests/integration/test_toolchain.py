"""The toolchain installs everything the tests, the demo and the benchmarks run: every program
they call comes from a Debian package in toolchain/'s lists (toolchain/check-programs.py), and
the check itself notices a package taken out of a list or a program nobody listed. Also: a
test that cannot set up its network namespace goes back to the host's loopback and says why
it skips multicast, instead of failing every live case."""
import os
import shutil
import subprocess
import sys
import tempfile

import harness

CHECK = os.path.join(harness.TOP, "toolchain", "check-programs.py")
TOOLCHAIN = os.path.join(harness.TOP, "toolchain")


def check(*args):
    return subprocess.run([sys.executable, CHECK, *args], capture_output=True, text=True,
                          timeout=120)


def toolchain_copy(drop=()):
    """toolchain/'s lists in a scratch folder, without the packages named in drop."""
    d = tempfile.mkdtemp(prefix="djtv-toolchain-")
    for name in os.listdir(TOOLCHAIN):
        if name.endswith(".txt"):
            with open(os.path.join(TOOLCHAIN, name), encoding="utf-8") as f:
                lines = [ln for ln in f if ln.split("#")[0].strip() not in drop]
            with open(os.path.join(d, name), "w", encoding="utf-8") as f:
                f.writelines(lines)
    return d


def test_every_program_run_comes_from_a_package_the_toolchain_installs():
    r = check()
    assert r.returncode == 0, r.stdout + r.stderr
    assert "0 problem(s)" in r.stdout, r.stdout


def test_the_check_fails_when_a_package_leaves_the_list():
    d = toolchain_copy(drop=("iproute2", "ffmpeg"))
    try:
        r = check("--toolchain", d)
    finally:
        shutil.rmtree(d)
    assert r.returncode == 1, r.stdout + r.stderr
    lines = r.stdout.splitlines()
    for prog, pkg in (("ip", "iproute2"), ("ffmpeg", "ffmpeg"), ("ffprobe", "ffmpeg")):
        assert any(ln.startswith(f"{prog}: ") and pkg in ln for ln in lines), (prog, r.stdout)
    assert not any(ln.startswith("python3: ") for ln in lines), r.stdout


def test_the_check_flags_a_program_that_programs_txt_does_not_list():
    top = tempfile.mkdtemp(prefix="djtv-scan-")
    try:
        os.makedirs(os.path.join(top, "tests"))
        os.makedirs(os.path.join(top, "toolchain"))
        with open(os.path.join(top, "Makefile"), "w") as f:
            f.write("x:\n\t@$(CC) -o $@ $(dir $@) && %s --all\n" % "frob-make")
        with open(os.path.join(top, "tests", "t.py"), "w") as f:
            f.write('import subprocess\nsubprocess.run(["ffmpeg", "-v", "error"])\n'
                    'subprocess.run(["%s", "--now"])\n' % "frob-py")
        with open(os.path.join(top, "tests", "t.c"), "w") as f:
            f.write('char *argv[] = {"/usr/bin/%s", "x", NULL};\n' % "frob-c")
        with open(os.path.join(top, "toolchain", "t.sh"), "w") as f:
            f.write('#!/bin/sh\nf() { :; }\nx=$(%s -q "$1" | sort)\nf\n'
                    'cat <<EOF\nnot-a-command here\nEOF\necho "frob-in-text"\n' % "frob-sh")
        r = check("--top", top)
    finally:
        shutil.rmtree(top)
    assert r.returncode == 1, r.stdout
    flagged = {ln.split(" runs ")[1].split(",")[0] for ln in r.stdout.splitlines() if " runs " in ln}
    assert flagged == {"frob-make", "frob-py", "frob-c", "frob-sh"}, r.stdout
    assert "tests/t.py:3: runs frob-py" in r.stdout, r.stdout


def test_live_player_tests_keep_the_host_loopback_when_the_namespace_fails():
    """ip missing: test_player_live must come back to the host's network, play UDP there and
    report multicast as skipped with the reason (it used to fail every live case)."""
    if os.geteuid() != 0:
        raise harness.Skip("only root can make a network namespace, so there is no way back "
                           "to test")
    binary = os.path.join(harness.BUILD, "tests", "client", "test_player_live")
    env = dict(os.environ, PLAYER_TEST_IP="/nonexistent/ip",
               PLAYER_TEST_ONLY="test_udp_unicast_fast_start,test_udp_multicast")
    r = subprocess.run([binary], capture_output=True, text=True, timeout=120, env=env,
                       cwd=harness.TOP)
    assert r.returncode == 0, r.stdout + r.stderr
    lines = r.stdout.splitlines()
    assert "ok - test_udp_unicast_fast_start" in lines, r.stdout
    skip = [ln for ln in lines if ln.startswith("ok - test_udp_multicast # SKIP ")]
    assert skip and "/nonexistent/ip" in skip[0] and "iproute2" in skip[0], r.stdout


def test_the_repository_cites_nothing_outside_it():
    """A newcomer clones only this repository: no file may send them to ../shared or to the
    research notes that live beside it."""
    files = subprocess.run(["git", "ls-files"], cwd=harness.TOP, capture_output=True, text=True,
                           check=True).stdout.split()
    bad = []
    pattern = ("../" + "shared/", "shared/" + "research", "shared/" + "DOMAIN", "research/" + "server-",
               "research/" + "peers-", "research/" + "toolchain-")
    for name in files:
        path = os.path.join(harness.TOP, name)
        try:
            with open(path, encoding="utf-8") as f:
                for n, line in enumerate(f, 1):
                    if any(p in line for p in pattern):
                        bad.append(f"{name}:{n}: {line.strip()}")
        except (UnicodeDecodeError, FileNotFoundError, IsADirectoryError):
            continue
    assert not bad, "\n".join(bad)
