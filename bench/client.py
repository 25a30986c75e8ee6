"""A minimal Streamlit client: one browser session, spoken in Streamlit's own protocol.

It connects to a real ``streamlit run`` server's websocket, asks for script runs
the way the browser does (with the page, the address and the widget states), keeps
the messages a browser caches (so reruns get references, as they do in a browser),
and measures each run: wall time from request to "script finished", the messages
and bytes the server sent, and the largest single message. A run also says what it
showed: the keys of its widgets, the options of its choices, the data of its custom
components, and the errors on the page (error boxes, exceptions).
"""

from __future__ import annotations

import json
import socket
import time
from dataclasses import dataclass, field

from streamlit.proto.Alert_pb2 import Alert
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.util import calc_hash
from websockets.sync.client import connect

FINISHED = {ForwardMsg.ScriptFinishedStatus.FINISHED_SUCCESSFULLY,
            ForwardMsg.ScriptFinishedStatus.FINISHED_WITH_COMPILE_ERROR}
WIDGETS = ("text_input", "button", "selectbox", "checkbox", "radio", "text_area",
           "number_input", "segmented_control", "button_group")


@dataclass
class Run:
    seconds: float
    messages: int
    bytes: int
    largest: int
    elements: int
    texts: list[str] = field(default_factory=list)
    keys: set[str] = field(default_factory=set)     # the widgets this run showed
    errors: list[str] = field(default_factory=list)  # error boxes and exceptions shown


class Session:
    """One session; ``run`` is one script run (a rerun, a page switch, a click)."""

    def __init__(self, url: str, timeout: float = 120,
                 headers: dict[str, str] | None = None) -> None:
        host = url.split("//", 1)[1]
        name, port = host.rsplit(":", 1)
        # As browsers do: no Nagle delay on the socket (else ~40 ms per small message).
        sock = socket.create_connection((name, int(port)), timeout=timeout)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.ws = connect(f"ws://{host}/_stcore/stream", sock=sock, subprotocols=["streamlit"],
                          origin=url, open_timeout=timeout, max_size=None,
                          additional_headers=headers)
        self.timeout = timeout
        self.cached: set[str] = set()
        self.widgets: dict[str, str] = {}  # user key (or label) -> widget id
        self.options: dict[str, list[str]] = {}  # key -> a choice's options as shown
        self.data: dict[str, object] = {}  # key -> the JSON data a custom component got
        self.page = ""
        self.query = ""

    def close(self) -> None:
        self.ws.close()

    def run(self, page: str | None = None, query: str | None = None,
            values: dict[str, object] | None = None, trigger: str | None = None,
            event: tuple[str, str, object] | None = None) -> Run:
        """Ask for a run of ``page`` with ``query`` and these widget ``values`` (by key);
        ``trigger`` names a button (key or label) that was clicked; ``event`` is a custom
        component's (key, event, value), as its ``setTriggerValue(event, value)`` sends it."""
        if page is not None:
            self.page = page
        if query is not None:
            self.query = query
        msg = BackMsg()
        state = msg.rerun_script
        state.query_string = self.query
        state.page_name = self.page
        state.page_script_hash = calc_hash(self.page) if self.page else ""
        state.cached_message_hashes.extend(sorted(self.cached))
        for key, value in (values or {}).items():
            widget = state.widget_states.widgets.add()
            widget.id = self.widgets[key]
            if isinstance(value, bool):
                widget.bool_value = value
            elif isinstance(value, int):
                widget.int_value = value
            else:
                widget.string_value = str(value)
        if trigger is not None:
            widget = state.widget_states.widgets.add()
            widget.id = self.widgets[trigger]
            widget.trigger_value = True
        if event is not None:
            key, name, value = event
            widget = state.widget_states.widgets.add()
            widget.id = f"$$STREAMLIT_INTERNAL_KEY_{self.widgets[key]}__events"
            widget.json_trigger_value = json.dumps([{"event": name, "value": value}])
        started = time.perf_counter()
        self.ws.send(msg.SerializeToString())
        return self._until_finished(started)

    def _until_finished(self, started: float) -> Run:
        count = size = largest = elements = 0
        run = Run(0, 0, 0, 0, 0)
        while True:
            data = self.ws.recv(timeout=self.timeout)
            count += 1
            size += len(data)
            largest = max(largest, len(data))
            msg = ForwardMsg()
            msg.ParseFromString(data)
            if msg.metadata.cacheable and msg.hash:
                self.cached.add(msg.hash)
            kind = msg.WhichOneof("type")
            if kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                elements += 1
                self._learn(msg.delta.new_element, run)
            elif kind == "ref_hash":
                elements += 1
            elif kind == "script_finished" and msg.script_finished in FINISHED:
                run.seconds = time.perf_counter() - started
                run.messages, run.bytes, run.largest = count, size, largest
                run.elements = elements
                return run

    def _learn(self, element, run: Run) -> None:
        kind = element.WhichOneof("type")
        if kind in WIDGETS:
            widget = getattr(element, kind)
            wid = getattr(widget, "id", "")
            key = wid.split("-", 2)[2] if wid.startswith("$$ID-") and wid.count("-") >= 2 \
                else ""
            if key and key != "None":
                self.widgets[key] = wid
                run.keys.add(key)
                if kind in ("selectbox", "radio"):
                    self.options[key] = list(widget.options)
            label = getattr(widget, "label", "")
            if label:
                self.widgets.setdefault(label, wid)
        elif kind in ("heading", "markdown", "alert"):
            run.texts.append(getattr(element, kind).body)
            if kind == "alert" and element.alert.format == Alert.ERROR:
                run.errors.append(element.alert.body)
        elif kind == "exception":
            run.errors.append(f"{element.exception.type}: {element.exception.message}")
        elif kind == "bidi_component":
            component = element.bidi_component
            key = component.id.split("-", 2)[2] if component.id.count("-") >= 2 else ""
            if key:
                self.widgets[key] = component.id
                run.keys.add(key)
                if component.WhichOneof("data") == "json":
                    self.data[key] = json.loads(component.json)

    def sign_in(self, username: str, password: str, page: str = "", query: str = "") -> Run:
        self.run(page, query)
        return self.run(values={"login_username": username, "login_password": password},
                        trigger=self._submitter())

    def _submitter(self) -> str:
        # The form's submit button is keyed "FormSubmitter:<form>-<label>".
        return next(k for k in self.widgets if k.startswith("FormSubmitter:login_form"))
