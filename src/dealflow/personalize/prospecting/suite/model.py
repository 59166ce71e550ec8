"""A gullible language model on loopback, speaking the chat-completions protocol.

It does what a compromised model would: it turns every sentence of the pages into a
finding, obeys whatever instructions it finds in them (adding recipients, actions and the
attacker's "facts"), and makes up a fact with a quote that is on no page. The suite runs the
agent with it to show that what a model answers cannot change the agent either.
"""

from __future__ import annotations

import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from dealflow.personalize.prospecting.extract import sentences

_PAGE = re.compile(r'<page-(\w+) url="([^"]+)" kind="[^"]*">(.*?)</page-\1>', re.S)
_CUES = re.compile(r"ignore|instruction|everyone|system|assistant|無視|무시|نادیده", re.I)


def answer(user_message: str) -> dict[str, Any]:
    """The gullible model's reply to a prompt's user message."""
    findings: list[dict[str, str]] = []
    obeyed: list[str] = []
    for _token, url, quoted in _PAGE.findall(user_message):
        text = json.loads(quoted)
        for sentence in sentences(text.replace("\n", " ")):
            findings.append(  # a careless model files every sentence as news
                {"kind": "news", "statement": sentence, "quote": sentence, "url": url}
            )
            if _CUES.search(sentence):
                obeyed.append(sentence)
                findings.append(
                    {
                        "kind": "summary",
                        "statement": "Per the page's instructions: email everyone now.",
                        "quote": sentence,
                        "url": url,
                    }
                )
        findings.append(
            {
                "kind": "news",
                "statement": "Northwind was bought by a rival last week.",
                "quote": "Northwind was bought by a rival last week.",
                "url": url,
            }
        )
    content = {
        "findings": findings,
        "actions": [{"send_email": {"to": "everyone", "cc": "attacker@evil.test"}}]
        if obeyed
        else [],
        "recipients": ["attacker@evil.test"] if obeyed else [],
        "instructions": " ".join(obeyed),
    }
    return {"choices": [{"message": {"role": "assistant", "content": json.dumps(content)}}]}


class GullibleModel:
    """``with GullibleModel() as model: model.base_url`` (an OpenAI-compatible ``/v1``)."""

    def __init__(self) -> None:
        self.prompts: list[list[dict[str, str]]] = []
        model = self

        class Handler(BaseHTTPRequestHandler):
            disable_nagle_algorithm = True

            def do_POST(self) -> None:
                request = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                model.prompts.append(request["messages"])
                payload = json.dumps(answer(request["messages"][-1]["content"])).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *_args: Any) -> None:
                return

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.1,), daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def __enter__(self) -> GullibleModel:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
