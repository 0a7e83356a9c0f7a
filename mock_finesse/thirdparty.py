"""The third-party libraries Finesse serves to gadgets at ``/desktop/thirdparty/…`` (Finesse 12.x).

Cisco's 12.6 samples load Bootstrap by path (``/desktop/thirdparty/bootstrap/5.3.1/css/bootstrap.css``,
``…/js/bootstrap.bundle.min.js``: TaskManagement 12.6.2 ``_readme.txt``, reference finesse.md §1.3); older 12.x
gadgets use Bootstrap 3.2.0 under the same layout (inferred). The files are Bootstrap's own ``dist`` folder from
the npm registry's ``bootstrap`` package, which ``./harness setup`` unpacks into ``THIRDPARTY_DIR/<library>/
<version>/`` (none is committed). A library that is not there answers 404 naming the package and
``./harness setup`` (never the server's folder).
"""

import pathlib

from flask import Blueprint, Response, current_app, send_from_directory

from .errors import NotFound

bp = Blueprint("thirdparty", __name__)

# library → version → the npm package whose dist/ folder it is
LIBRARIES = {"bootstrap": {"3.2.0": "bootstrap@3.2.0", "5.3.1": "bootstrap@5.3.1"}}


def library_dir(library: str, version: str) -> pathlib.Path:
    """Where ``./harness setup`` unpacks one library version (it may not exist)."""
    return pathlib.Path(current_app.config["THIRDPARTY_DIR"]) / library / version


@bp.get("/desktop/thirdparty/<library>/<version>/<path:filename>")
def thirdparty_file(library: str, version: str, filename: str) -> Response:
    """One file of a served library; 404 naming the npm package when the library is not unpacked here."""
    package = LIBRARIES.get(library, {}).get(version)
    if package is None:
        served = ", ".join(f"/desktop/thirdparty/{lib}/{v}/" for lib, versions in LIBRARIES.items() for v in versions)
        raise NotFound(f"The mock Finesse serves {served} only.", data=f"{library}/{version}")
    folder = library_dir(library, version)
    if not folder.is_dir():
        # The answer names the package and the command only: where the folder is stays on the server.
        raise NotFound(
            f"{package} is not installed in this mock Finesse: ./harness setup fetches it (npm pack {package}).",
            data=package,
        )
    return send_from_directory(folder, filename)
