"""Build the front end (js/ -> petlens/static/*.js) whenever the package is built.

``pip install .`` or ``pip install -e .`` from a fresh clone needs Node.js and npm on PATH;
nothing else. The bundles are build outputs and are not committed.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class FrontEndBuildHook(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version, build_data):
        js = Path(self.root) / "js"
        if not (js / "package.json").is_file():
            return  # building from an sdist that already carries petlens/static
        npm = shutil.which("npm")
        if npm is None:
            raise RuntimeError("petlens builds its front end with npm: install Node.js 20+ "
                               "(with npm) and try again")
        if not (js / "node_modules").is_dir():
            subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"],
                           cwd=js, check=True)
        subprocess.run([npm, "run", "build", "--silent"], cwd=js, check=True)
        build_data["artifacts"].append("petlens/static/*.js")
