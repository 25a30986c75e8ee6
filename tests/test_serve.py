"""The server's fixes to Streamlit 1.67 (workbench.ui.serve), on Streamlit's own objects."""

from __future__ import annotations

import socket

from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.runtime.forward_msg_queue import ForwardMsgQueue

from workbench.ui import serve


def _reply(request_id: str) -> ForwardMsg:
    msg = ForwardMsg()
    msg.backend_operation_response.request_id = request_id
    msg.backend_operation_response.deferred_file.url = f"/media/{request_id}.ics"
    return msg


def _delta() -> ForwardMsg:
    msg = ForwardMsg()
    msg.delta.new_element.markdown.body = "Koledar"
    msg.metadata.delta_path[:] = [0, 0]
    return msg


def test_a_file_made_on_the_click_reaches_the_browser_through_a_rerun(monkeypatch):
    """The answer to a download button's file request is still sent when a rerun starts
    before the queue goes out (without the fix the button spins for three minutes)."""
    monkeypatch.setattr(ForwardMsgQueue, "clear", ForwardMsgQueue.clear)  # undone after
    serve.keep_download_replies()
    serve.keep_download_replies()  # twice (a second server start) wraps it once
    queue = ForwardMsgQueue()
    queue.enqueue(_delta())
    queue.enqueue(_reply("r1"))
    queue.clear(retain_lifecycle_msgs=True)  # what a starting rerun does
    sent = queue.flush()
    assert [m.backend_operation_response.request_id for m in sent] == ["r1"]
    assert not any(m.HasField("delta") for m in sent)  # the old page's output still goes
    assert queue.flush() == []  # sent once, not again


def test_without_the_fix_a_rerun_drops_that_answer():
    """The fix is needed: Streamlit's own clearing loses the answer (if this starts to
    fail, Streamlit has fixed it and keep_download_replies can go)."""
    assert not getattr(ForwardMsgQueue.clear, "keeps_replies", False)
    queue = ForwardMsgQueue()
    queue.enqueue(_reply("r2"))
    queue.clear(retain_lifecycle_msgs=True)
    assert queue.flush() == []


def test_every_tcp_connection_sends_small_messages_at_once(monkeypatch):
    import asyncio.base_events

    monkeypatch.setattr(asyncio.base_events, "_set_nodelay", asyncio.base_events._set_nodelay)
    serve.no_nagle()
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        asyncio.base_events._set_nodelay(sock)
        assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)


def test_uvicorn_is_told_to_keep_the_socket_s_own_peer_address(monkeypatch):
    """Without it uvicorn believes X-Forwarded-For from 127.0.0.1 (single sign-on could be
    forged from the host: tests/test_server_attacks.py)."""
    from streamlit.web.server.starlette import starlette_server

    monkeypatch.setattr(starlette_server, "_get_uvicorn_config_kwargs",
                        starlette_server._get_uvicorn_config_kwargs)  # undone after
    serve.peer_address_only()
    serve.peer_address_only()  # a second server start wraps it once
    kwargs = starlette_server._get_uvicorn_config_kwargs()
    assert kwargs["proxy_headers"] is False and kwargs["access_log"] is False
    import uvicorn

    assert not uvicorn.Config(app=None, **kwargs).proxy_headers


def test_a_file_made_on_a_click_is_its_maker_s_alone_and_only_for_seconds(monkeypatch):
    import time

    from workbench.ui import web

    clock = [1000.0]
    monkeypatch.setattr(time, "monotonic", lambda: clock[0])
    web.file_made("f1", "session:7")
    assert web.may_fetch("f1", "session:7")
    assert not web.may_fetch("f1", "session:8") and not web.may_fetch("f1", None)
    assert not web.may_fetch("f2", "session:7")  # not made on a click: nobody's
    clock[0] += web.FILE_SECONDS - 1
    assert web.may_fetch("f1", "session:7")
    clock[0] += 1
    assert not web.may_fetch("f1", "session:7")
    web.file_made("f3", "sso:ana.kos")  # an expired entry is forgotten at the next file
    assert "f1" not in web._FILES and web.may_fetch("f3", "sso:ana.kos")
