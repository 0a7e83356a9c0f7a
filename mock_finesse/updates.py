"""The ``<Update>`` notifications of agent changes: the User (plus its team summary for supervisors) and Media.

Dialog notifications are in ``dialogs.py``; both fan out through the backend's hub.
"""

from . import xmlshapes
from .models import Agent, FinesseBackend, Media


def publish_user(backend: FinesseBackend, agent: Agent, request_id: str = "") -> None:
    """User PUT on ``/finesse/api/User/{id}``, plus the summary on the team node for supervisors."""
    source = f"/finesse/api/User/{agent.id}"
    data = xmlshapes.user_element(backend, agent, tag="user")
    backend.hub.publish([agent.id], source, xmlshapes.update(data, "PUT", source, request_id))
    team_node = f"/finesse/api/Team/{agent.profile['teamId']}/Users"
    supervisors = backend.supervisors_of(agent.profile["teamId"])
    if supervisors:
        summary = xmlshapes.team_user_element(backend, agent, tag="user")
        backend.hub.publish(supervisors, team_node, xmlshapes.update(summary, "PUT", source, request_id))


def publish_media(backend: FinesseBackend, agent: Agent, media: Media, request_id: str = "") -> None:
    """PUT of the agent's ``<Media>`` on ``/finesse/api/User/{id}/Media``."""
    source = f"/finesse/api/User/{agent.id}/Media/{media.mrd['id']}"
    data = xmlshapes.media_element(backend, agent.id, media)
    backend.hub.publish(
        [agent.id], f"/finesse/api/User/{agent.id}/Media", xmlshapes.update(data, "PUT", source, request_id)
    )
