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

The process serves the database (``WORKBENCH_DB``) from its start: it holds the lock
``restore`` checks (``workbench.serving``) until it ends, even before anyone opened a page.
"""

from __future__ import annotations

import asyncio.base_events
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


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0].endswith(".py"):  # another script (the bench's empty page), served
        os.environ[SCRIPT_ENV] = str(Path(args.pop(0)).resolve())  # the same way
    no_nagle()
    keep_download_replies()
    from workbench import serving

    serving.start_serving()  # from its start, idle or not: restore refuses while it runs
    from streamlit.web import cli

    sys.argv = ["streamlit", "run", str(ASGI_APP), *args]
    cli.main(prog_name="streamlit")


if __name__ == "__main__":
    main()
