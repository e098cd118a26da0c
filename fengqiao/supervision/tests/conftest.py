"""Fixtures of the supervision tests: the people a 督办 reaches and a local robot server."""

import json
import threading
import urllib.parse
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from fengqiao.accounts.models import User
from fengqiao.accounts.roles import Role


@dataclass
class People:
    township_head: User  # 静河镇矛调中心主任 (also registers the cases)
    county_head: User  # 湘阴县矛调中心主任
    leader: User  # 包案领导 at the county
    mediator: User  # a mediator at the township centre (no supervision rights)
    outsider: User  # 石塘镇矛调中心主任 (another township)


@pytest.fixture
def people(tree, make_actor, township_clerk) -> People:
    return People(
        township_head=township_clerk,
        county_head=make_actor(Role.CENTRE_DIRECTOR, tree.county_centre),
        leader=make_actor(Role.CASE_LEADER, tree.county_centre),
        mediator=make_actor(Role.MEDIATOR, tree.township_centre),
        outsider=make_actor(Role.CENTRE_DIRECTOR, tree.other_township_centre),
    )


class Robot(BaseHTTPRequestHandler):
    """A stand-in 企业微信 / 钉钉 robot: records each POST and answers with the next planned
    (HTTP status, errcode)."""

    plan: list[tuple[int, int]] = []
    received: list[tuple[str, dict]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        Robot.received.append((self.path, json.loads(body)))
        status, errcode = Robot.plan.pop(0) if Robot.plan else (200, 0)
        payload = json.dumps({"errcode": errcode, "errmsg": "ok" if errcode == 0 else "bad"})
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(payload.encode())

    def log_message(self, *args: object) -> None:
        return


@pytest.fixture
def robot_server():
    Robot.plan, Robot.received = [], []
    server = HTTPServer(("127.0.0.1", 0), Robot)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def query(path: str) -> dict[str, str]:
    return {k: v[0] for k, v in urllib.parse.parse_qs(urllib.parse.urlsplit(path).query).items()}
