"""The mock Finesse's default settings: the demo agents, teams, reason codes, wrap-up reasons, media routing
domains and phone books it starts with when no settings file says otherwise (``config.py`` layers and checks them).
"""

from typing import Any

from .records import MediaPropertiesLayout

LOCALES = {"en_US": "English", "hr_HR": "Hrvatski", "sr_RS": "Srpski"}

DEFAULT_AGENTS = [
    {
        "id": "1001",
        "password": "demo1001",
        "firstName": "Ana",
        "lastName": "Horvat",
        "extension": "3001",
        "teamId": "10",
    },
    {
        "id": "1002",
        "password": "demo1002",
        "firstName": "Marko",
        "lastName": "Kovač",
        "extension": "3002",
        "teamId": "10",
    },
    {
        "id": "1003",
        "password": "demo1003",
        "firstName": "Jelena",
        "lastName": "Petrović",
        "extension": "3003",
        "teamId": "20",
    },
    {
        "id": "2001",
        "password": "demo2001",
        "firstName": "Ivana",
        "lastName": "Babić",
        "extension": "4001",
        "teamId": "10",
        "roles": ["Agent", "Supervisor"],
        "supervisedTeams": ["10", "20"],
    },
]
DEFAULT_TEAMS = [{"id": "10", "name": "Customer Care"}, {"id": "20", "name": "Billing"}]
DEFAULT_REASON_CODES = [
    {"id": "1", "category": "NOT_READY", "code": "1", "label": "Break", "forAll": True, "systemCode": False},
    {"id": "2", "category": "NOT_READY", "code": "2", "label": "Lunch", "forAll": True, "systemCode": False},
    {"id": "3", "category": "NOT_READY", "code": "3", "label": "Team Meeting", "forAll": True, "systemCode": False},
    {"id": "4", "category": "NOT_READY", "code": "4", "label": "Training", "forAll": True, "systemCode": False},
    {"id": "11", "category": "LOGOUT", "code": "11", "label": "End of Shift", "forAll": True, "systemCode": False},
]
DEFAULT_WRAP_UP_REASONS = [
    {"id": "1", "label": "Sales Call"},
    {"id": "2", "label": "Support Request"},
    {"id": "3", "label": "Billing Question"},
    {"id": "4", "label": "Wrong Number"},
]
DEFAULT_MEDIA = [
    {"id": "5000", "name": "Cisco_Chat_MRD", "description": "Chat", "maxDialogLimit": 3},
    {"id": "5001", "name": "Cisco_Email_MRD", "description": "Email", "maxDialogLimit": 5},
]

# The system's default media properties layout, the one every team has (not a setting; shape from
# developer.cisco.com/docs/finesse/mediapropertieslayout; the chat/email entries follow the simulator).
MEDIA_PROPERTIES_LAYOUT: MediaPropertiesLayout = {
    "id": "1",
    "name": "Default Layout",
    "description": "The default media properties layout",
    "type": "DEFAULT",
    "header": [("Customer Name", "callVariable1")],
    "columns": [[("Customer Name", "callVariable1"), ("Email", "callVariable2")], [("Subject", "callVariable3")]],
}

DEFAULT_PHONEBOOKS = [
    {
        "id": "1",
        "name": "Company Directory",
        "type": "GLOBAL",
        "contacts": [
            {"firstName": "Help", "lastName": "Desk", "phoneNumber": "3900", "description": "IT help desk"},
            {"firstName": "Ivo", "lastName": "Marić", "phoneNumber": "+385911230000", "description": "Billing lead"},
        ],
    },
]  # TEAM books name teams, so none by default: PHONEBOOKS or PUT /_mock/phonebooks/{id} adds them

DEFAULTS: dict[str, Any] = {
    "SECRET_KEY": "",  # empty: the instance's own random key (INSTANCE_PATH/mock_finesse.secret_key)
    "INSTANCE_PATH": "",  # folder of the instance's secret key; empty: a new key each start (in memory)
    "ADMIN_USERNAME": "admin",
    "ADMIN_PASSWORD": "demoadmin",
    "XMPP_DOMAIN": "finesse.mock.local",
    "DEPLOYMENT_TYPE": "UCCE",
    "SSO_ENABLED": False,
    "SSO_TOKEN_TTL_SECONDS": 3600,
    "GADGET_FILES_DIR": "3rdpartygadget",
    "LAYOUTS_DIR": "",
    "PREFS_FILE": "",
    # Context Service Management (/cfadmin/contextservice): Control Hub's registration service, and the file
    # the connection data of Finesse's registration is written to (both empty: not configured).
    "CONTEXT_SERVICE_REGISTRATION_URL": "",
    "CONTEXT_SERVICE_CONNECTION_FILE": "",
    # Gadget container (container.py): spec/makeRequest timeout, makeRequest and gadget-source allow-lists
    # ("host:port"; specs also load from this server and the hosts of layout gadgets), setprefs size.
    "GADGET_FETCH_TIMEOUT": 5,
    "MAKEREQUEST_ALLOWLIST": [],
    "GADGET_SOURCE_ALLOWLIST": [],
    "GADGET_PREF_MAX_CHARS": 16384,
    # Another finesse.js (e.g. Cisco's own, which the user supplies) served at Finesse's library paths;
    # empty: ours (static/finesse/finesse.js).
    "FINESSE_JS": "",
    # The third-party libraries Finesse serves at /desktop/thirdparty/ (thirdparty.py), unpacked from the npm
    # registry by ./harness setup; empty: the project's .thirdparty folder.
    "THIRDPARTY_DIR": "",
    # Notifications over XMPP (xmpp/): "off" = Server-Sent Events only, "auto" = Prosody when it is installed,
    # "prosody" = Prosody or refuse to start. Its folder ("" = a temporary one) and ports (0 = free ones).
    "XMPP_SERVER": "off",
    "PROSODY_PATH": "",
    "XMPP_DIR": "",
    "XMPP_C2S_PORT": 0,
    "XMPP_HTTP_PORT": 0,
    # Seconds the desktop's XMPP client waits for a BOSH session to be up (session request, sign-in, bind) before
    # it counts the try as failed: it shows not connected, starts the waiting gadgets and tries again.
    "XMPP_CONNECT_TIMEOUT": 10,
    "AGENTS": DEFAULT_AGENTS,
    "TEAMS": DEFAULT_TEAMS,
    "REASON_CODES": DEFAULT_REASON_CODES,
    "WRAP_UP_REASONS": DEFAULT_WRAP_UP_REASONS,
    "MEDIA": DEFAULT_MEDIA,
    "PHONEBOOKS": DEFAULT_PHONEBOOKS,
}
