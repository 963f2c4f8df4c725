"""Prints each text the console provider "sends" as it is appended to its outbox file (one JSON
line per text, numbers already masked), for deploy/quickstart.sh. Standard library only.

Usage: python3 print_texts.py OUTBOX

Starts at the end of the file (texts of earlier runs are not repeated) and follows it, like
`tail -n0 -F` through a formatter, but as one process, so the quick start has one PID to stop.
Exits on SIGTERM after printing what was already written, and on its own when the process that
started it is gone, so it never outlives the quick start. SIGINT keeps its inherited disposition:
the quick start starts it in the background, where Ctrl-C is ignored, so the texts the service
sends while it shuts down are still printed.
"""

import errno
import json
import os
import signal
import sys
import time

POLL_SECONDS = 0.2


def format_text(line):
    try:
        text = json.loads(line)
        at = text.get("at", "")
        clock = at[11:19] if len(at) >= 19 else at  # "2024-05-01T03:12:09.123Z" -> "03:12:09"
        return f">>> SMS to {text.get('to', '?')} at {clock} UTC: {text.get('body', '')}"
    except (ValueError, AttributeError):
        return f">>> SMS (unreadable line): {line.strip()}"


class Follower:
    """Reads complete lines appended to a file; starts over if the file is truncated or replaced."""

    def __init__(self, path):
        self.path = path
        self.file = None
        self.inode = None
        self.partial = b""
        self._open(at_end=True)

    def _open(self, at_end):
        try:
            self.file = open(self.path, "rb")
        except FileNotFoundError:
            self.file = None
            return
        self.inode = os.fstat(self.file.fileno()).st_ino
        if at_end:
            self.file.seek(0, os.SEEK_END)
        self.partial = b""

    def new_lines(self):
        if self.file is None:
            self._open(at_end=False)  # created after we started: every line in it is new
            if self.file is None:
                return []
        try:
            st = os.stat(self.path)
            if st.st_ino != self.inode or st.st_size < self.file.tell():
                self.file.close()
                self._open(at_end=False)
                if self.file is None:
                    return []
        except FileNotFoundError:
            pass  # removed: keep reading the open file until a new one appears
        data = self.partial + self.file.read()
        lines = data.split(b"\n")
        self.partial = lines.pop()  # an unfinished last line waits for the next read
        return [line.decode(errors="replace") for line in lines if line.strip()]


def main(argv):
    if len(argv) != 2:
        print("usage: print_texts.py OUTBOX", file=sys.stderr)
        return 2
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    parent = os.getppid()
    follower = Follower(argv[1])
    while True:
        for line in follower.new_lines():
            print(format_text(line), flush=True)
        if stopping or os.getppid() != parent:
            return 0
        time.sleep(POLL_SECONDS)


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv))
    except KeyboardInterrupt:  # Ctrl-C when run by hand
        sys.exit(0)
    except OSError as e:
        if e.errno not in (errno.EPIPE, errno.EIO):  # the pipe or terminal we print to went away
            raise
        sys.exit(0)
