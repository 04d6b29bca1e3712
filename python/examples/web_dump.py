"""Upload a file, get its JSON document: POST the file's bytes to http://127.0.0.1:PORT/?name=FILE."""

import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import groovekit


class DumpHandler(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        data = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        name = parse_qs(urlparse(self.path).query).get("name", [None])[0]  # optional: the file's name
        try:
            status, body = 200, groovekit.dump_bytes(data, format="json", name=name)
        except groovekit.Error as e:  # what is wrong and where (offset or line/col), no path
            status, body = 400, json.dumps({"error": e.message, "offset": e.offset, "line": e.line, "col": e.col})
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body.encode())


if __name__ == "__main__":
    server = ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1]) if len(sys.argv) > 1 else 8000), DumpHandler)
    print(f"listening on http://127.0.0.1:{server.server_port}/", flush=True)
    server.serve_forever()
