"""Move routes: undo a move."""

from flask import g, jsonify
from flask.typing import ResponseReturnValue

from .. import moves
from . import api_blueprint, backend

bp = api_blueprint("api_moves")


@bp.route("/moves/<move_id>/undo", methods=["POST"])
def undo(move_id: str) -> ResponseReturnValue:
    """Put the activity back where the move took it from; returns ``{activity, move}``."""
    return jsonify(moves.undo(backend(), g.agent, move_id))
