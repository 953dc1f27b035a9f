#!/usr/bin/env python3
"""Checks an strace of the server (see power-loss.sh): every acknowledgement written to a
client socket comes after a completed sync of the data the acknowledged request wrote.

The client sends one write at a time on one connection, so the data written between the
read of a request and its answer belongs to that request. For each answer (a socket write
large enough to carry a response, not a bare HTTP/2 control frame), every write to a
store file (sled's log, the keyrings) completed since the request was read must be
followed by a fsync or fdatasync of that file which started after the write completed and
completed before the answer started. The manifest's flush counter is written unsynced by
design (store/integrity.rs) and is not data.
"""
import re
import sys

trace_path, data_dir = sys.argv[1], sys.argv[2]
LINE = re.compile(
    r"^(?P<pid>\d+)\s+(?:(?P<name>\w+)\((?P<fd>\d+)<(?P<path>.*?)>(?=[,)\s]).*?(?P<tail><unfinished \.\.\.>|= (?P<ret>-?\d+).*)"
    r"|<\.\.\. (?P<rname>\w+) resumed>.*= (?P<rret>-?\d+).*)$"
)
DATA_WRITES = {"pwrite64", "pwritev", "pwritev2", "write", "writev"}
# sync_file_range is not a sync: it neither writes the file's metadata nor flushes the
# device's write cache ("there are no guarantees that the data will be available after a
# crash", sync_file_range(2)). sled 0.34 uses it for its flush on Linux.
SYNCS = {"fsync", "fdatasync"}
SOCKET_WRITES = {"write", "writev", "sendto", "sendmsg"}
SOCKET_READS = {"read", "recvfrom", "recvmsg"}
CONTROL_FRAME_MAX = 30  # HTTP/2 SETTINGS, PING, WINDOW_UPDATE frames (9-27 bytes here) are smaller than any answer

events = []  # (seq, kind, path, start_seq, end_seq, ret)
pending = {}  # (pid, name) -> (start_seq, fd, path)
seq = 0
for raw in open(trace_path, encoding="utf-8", errors="replace"):
    seq += 1
    m = LINE.match(raw.strip())
    if not m:
        continue
    if m.group("name"):
        name, path = m.group("name"), m.group("path")
        if m.group("tail").startswith("<unfinished"):
            pending[(m.group("pid"), name)] = (seq, path)
            continue
        events.append((name, path, seq, seq, int(m.group("ret"))))
    else:
        name = m.group("rname")
        start = pending.pop((m.group("pid"), name), None)
        if start is None:
            continue
        events.append((name, start[1], start[0], seq, int(m.group("rret"))))

def is_store_file(path):
    return path.startswith(data_dir) and not path.endswith("/FOLLOWSCORE")

def is_client_socket(path):
    return path.startswith("TCP:[") and "->" in path

events.sort(key=lambda e: e[2])
answers = 0
checked_writes = 0
violations = []
request_read_at = None
for i, (name, path, start, end, ret) in enumerate(events):
    if name in SOCKET_READS and is_client_socket(path) and ret > 0:
        if request_read_at is None:
            request_read_at = end
        continue
    if name in SOCKET_WRITES and is_client_socket(path) and ret > CONTROL_FRAME_MAX:
        if request_read_at is None:
            continue
        answers += 1
        for (wname, wpath, wstart, wend, wret) in events:
            if wname not in DATA_WRITES or not is_store_file(wpath) or wret <= 0:
                continue
            if not (request_read_at <= wend < start):
                continue
            checked_writes += 1
            synced = any(
                sname in SYNCS and spath == wpath and sstart > wend and send < start and sret == 0
                for (sname, spath, sstart, send, sret) in events
            )
            if not synced:
                violations.append(f"answer at line {start}: write to {wpath} ending at line {wend} not synced before it")
        request_read_at = None

print(f"answers checked: {answers}; store writes they covered: {checked_writes}; "
      f"syncs in trace: {sum(1 for e in events if e[0] in SYNCS)}")
if violations:
    print("VIOLATIONS:")
    print("\n".join(violations[:20]))
    sys.exit(1)
if answers == 0 or checked_writes == 0:
    print("nothing was checked: the trace is not what this checker expects")
    sys.exit(1)
print("every acknowledgement followed a completed sync of the data it covered")
