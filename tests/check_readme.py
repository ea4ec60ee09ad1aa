#!/usr/bin/python3
"""Runs every command of README.md's "Using it" as written, read from README.md
itself, in a fresh directory that holds only what a clone has (docs/, data/) and
the built program at build/stipple. Each must exit 0.

usage: check_readme.py STIPPLE SOURCE_DIR WORK_DIR
"""
import os
import pathlib
import re
import shutil
import subprocess
import sys

stipple, root, work = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]), pathlib.Path(sys.argv[3])
readme = (root / "README.md").read_text()
section = re.search(r"^## Using it\n(.*?)^## ", readme, re.S | re.M)
assert section, "README.md has no \"Using it\" section"
block = re.search(r"^```\n(.*?)^```", section.group(1), re.S | re.M)
assert block, "\"Using it\" has no command block"
commands = [line for line in block.group(1).splitlines() if line.strip()]
assert len(commands) >= 10, f"only {len(commands)} commands found"

shutil.rmtree(work, ignore_errors=True)
(work / "build").mkdir(parents=True)
os.symlink(stipple.resolve(), work / "build/stipple")
for d in ("docs", "data"):
    shutil.copytree(root / d, work / d)

failed = 0
for command in commands:
    r = subprocess.run(["bash", "-o", "pipefail", "-c", command], cwd=work, capture_output=True, text=True)
    if r.returncode != 0:
        failed += 1
        print(f"FAILED ({r.returncode}): {command}\n  {r.stderr.strip()}")
# Nothing a command wrote went into the shipped folders.
for d in ("docs", "data"):
    diff = subprocess.run(["diff", "-rq", str(root / d), str(work / d)], capture_output=True, text=True)
    if diff.returncode != 0:
        failed += 1
        print(f"a command changed {d}/:\n{diff.stdout}")
print(f"README \"Using it\": {len(commands) - failed} of {len(commands)} commands ran")
sys.exit(1 if failed else 0)
