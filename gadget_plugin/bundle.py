"""``customer-context bundle``: the gadget as a folder and a zip for Finesse's /3rdpartygadget/files/<folder>/."""

import os
import pathlib
import shutil
import zipfile
from typing import TypedDict

from . import gadget_spec

THIRD_PARTY_PREFIX = "/3rdpartygadget/files"


class Built(TypedDict):
    """What ``build`` wrote, and the line for the desktop layout."""

    folder: pathlib.Path
    zip: pathlib.Path
    layout: str


def build(
    spec_path: str | os.PathLike[str],
    proxy_url: str,
    out_dir: str | os.PathLike[str],
    folder: str = "CustomerContext",
    transport: str | None = None,
    asset_dir: pathlib.Path = gadget_spec.ASSET_DIR,
) -> Built:
    """Validate, then write ``out_dir/<folder>/`` and ``out_dir/<folder>.zip``; returns the layout line."""
    source = pathlib.Path(spec_path).read_text()
    gadget_spec.validate(source, asset_dir)
    rendered = gadget_spec.render(
        source, proxy_url, finesse_url=None, hashed_names=False, asset_dir=asset_dir, transport=transport
    )
    gadget_spec.validate(rendered, asset_dir)
    target = pathlib.Path(out_dir) / folder
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(asset_dir, target, ignore=shutil.ignore_patterns(".*", "__pycache__"))
    (target / "gadget.xml").write_bytes(rendered)
    archive = target.with_suffix(".zip")
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        for path in sorted(target.rglob("*")):
            if path.is_file():
                zipped.write(path, pathlib.Path(folder) / path.relative_to(target))
    return {"folder": target, "zip": archive, "layout": layout_line(folder)}


def layout_line(folder: str) -> str:
    """The ``<gadget>`` element to paste into a team's desktop layout."""
    return f"<gadget>{THIRD_PARTY_PREFIX}/{folder}/gadget.xml</gadget>"
