"""Start the workbench's web server: ``python -m workbench.ui.serve [script.py] [options]``.

It is ``streamlit run app.py [options]`` with the workbench's HTTP routes added (the
session cookie: ``workbench.ui.web``) and one fix. Streamlit 1.67 binds its
listening socket with protocol number 0, and asyncio (Python <= 3.13) turns off
Nagle's algorithm only on sockets that report ``IPPROTO_TCP``, so every rerun's
second and later messages wait for the browser's delayed ACK: about 40 ms per
rerun on Linux, measured by ``python -m bench`` (the same bug in uvicorn's own
binding: https://github.com/Kludex/uvicorn/issues/3149). ``no_nagle`` makes
asyncio set ``TCP_NODELAY`` on every TCP socket, as it means to.

And a second: a download button whose file is made on the click asks the server for it
and shows a spinner until the answer comes. Streamlit 1.67 puts that answer in the
session's outgoing queue, and a rerun starting before the queue is sent (the coordinator
presses a tab right after the button) clears the queue of all but its lifecycle
messages: the answer is lost, the button spins for three minutes and no file comes.
``keep_download_replies`` keeps those answers through that clearing.

And a third: uvicorn believes ``X-Forwarded-For`` on connections from 127.0.0.1 and puts
its address in place of the socket's, so with single sign-on a client on the host could
name the trusted proxy's address and be believed. ``peer_address_only`` turns that
rewriting off: the client address the workbench sees is the socket's own peer.

And a fourth: a download refused at its click (the session ended meanwhile:
``workbench.ui.session.at_the_click``) says so in the user's language under the button
(``refusals_said``), not in Streamlit's English words.

The process serves the database (``WORKBENCH_DB``) from its start: it holds the lock
``restore`` checks (``workbench.serving``) until it ends, even before anyone opened a page.
"""

from __future__ import annotations

import asyncio.base_events
import logging
import os
import socket
import sys
from pathlib import Path

ASGI_APP = Path(__file__).resolve().parent / "asgi_app.py"  # a script and the workbench's routes


SCRIPT_ENV = "WORKBENCH_SCRIPT"  # the script asgi_app serves (app.py unless set)


def _set_nodelay(sock: socket.socket) -> None:
    if sock.family in (socket.AF_INET, socket.AF_INET6) and sock.type == socket.SOCK_STREAM:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


def no_nagle() -> None:
    """Every TCP connection asyncio accepts from now on sends small messages at once."""
    asyncio.base_events._set_nodelay = _set_nodelay


def keep_download_replies() -> None:
    """A rerun's clearing of the outgoing queue keeps the answers to file requests."""
    from streamlit.runtime.forward_msg_queue import ForwardMsgQueue

    clear = ForwardMsgQueue.clear
    if getattr(clear, "keeps_replies", False):
        return

    def clear_keeping_replies(self, retain_lifecycle_msgs: bool = False,
                              fragment_ids_this_run: list[str] | None = None) -> None:
        replies = [msg for msg in self._queue
                   if msg.WhichOneof("type") == "backend_operation_response"]
        clear(self, retain_lifecycle_msgs, fragment_ids_this_run)
        if retain_lifecycle_msgs:  # a rerun's clearing, not a flush (which sends them)
            self._queue.extend(msg for msg in replies if msg not in self._queue)

    clear_keeping_replies.keeps_replies = True
    ForwardMsgQueue.clear = clear_keeping_replies


def refusals_said() -> None:
    """A download refused at the click (``workbench.ui.web.Refused``) answers with the
    refusal's own words, which the button shows under itself, instead of Streamlit's
    English "Failed to generate file for download" and a stack trace in the log. Anything
    else is answered as Streamlit 1.67 does."""
    from streamlit.proto.ForwardMsg_pb2 import (
        BackendOperationResponse,
        DeferredFileResponsePayload,
    )
    from streamlit.runtime.backend_operation_handler import DeferredFileHandler

    from workbench import config, i18n
    from workbench.ui import web

    if getattr(DeferredFileHandler.handle, "says_refusals", False):
        return

    async def handle_saying_refusals(self, request, session_id):
        file_id = request.deferred_file.file_id
        try:
            url = await asyncio.to_thread(self._get_media_file_mgr().execute_deferred, file_id)
        except Exception as err:
            if isinstance(err.__cause__, web.Refused):
                return BackendOperationResponse(request_id=request.request_id,
                                                error_msg=str(err.__cause__))
            logging.getLogger("streamlit").exception("download %s failed", file_id)
            return BackendOperationResponse(request_id=request.request_id, error_msg=i18n.translate(
                "download.failed", config.get("language")))
        return BackendOperationResponse(request_id=request.request_id,
                                        deferred_file=DeferredFileResponsePayload(url=url))

    handle_saying_refusals.says_refusals = True
    DeferredFileHandler.handle = handle_saying_refusals


def peer_address_only() -> None:
    """uvicorn never replaces the connection's peer address with a forwarded one."""
    from streamlit.web.server.starlette import starlette_server

    kwargs = starlette_server._get_uvicorn_config_kwargs
    if getattr(kwargs, "peer_only", False):
        return

    def without_proxy_headers() -> dict:
        return {**kwargs(), "proxy_headers": False}

    without_proxy_headers.peer_only = True
    starlette_server._get_uvicorn_config_kwargs = without_proxy_headers


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0].endswith(".py"):  # another script (the bench's empty page), served
        os.environ[SCRIPT_ENV] = str(Path(args.pop(0)).resolve())  # the same way
    no_nagle()
    keep_download_replies()
    refusals_said()
    peer_address_only()
    from streamlit.web import cli

    from workbench import config, serving

    serving.start_serving()  # from its start, idle or not: restore refuses while it runs
    # The origins workbench.ui.web.Guard lets open the websocket, Streamlit must not refuse.
    for origin in sorted(config.allowed_origins()):
        args += ["--server.corsAllowedOrigins", origin]
    sys.argv = ["streamlit", "run", str(ASGI_APP), *args]
    cli.main(prog_name="streamlit")


if __name__ == "__main__":
    main()
