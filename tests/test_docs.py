"""The README's shell examples run as written, in order, in a scratch folder (sqlite-utils' test_docs idea)."""

import os
import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).parent.parent
README = (REPO / "README.md").read_text()


def _examples():
    for block in re.findall(r"```sh\n(.*?)```", README, flags=re.S):
        for line in block.splitlines():
            cmd = line.split("  #")[0].strip()
            if "samestory" in cmd and not cmd.startswith("make"):
                yield cmd


def test_readme_examples_run(tmp_path):
    examples = list(_examples())
    assert len(examples) >= 5
    for name in ("demo", "tests"):
        (tmp_path / name).symlink_to(REPO / name)
    bindir = str(Path(sys.executable).parent)
    env = {**os.environ, "PATH": bindir + os.pathsep + os.environ.get("PATH", "")}
    for cmd in examples:
        out = subprocess.run(cmd, shell=True, cwd=tmp_path, env=env, capture_output=True, text=True)
        assert out.returncode == 0, f"{cmd}: {out.stderr}"
        assert (out.stdout + out.stderr).strip(), f"{cmd} printed nothing"
