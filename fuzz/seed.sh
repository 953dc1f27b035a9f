#!/usr/bin/env bash
# Seeds each fuzz target's corpus (fuzz/corpus/TARGET, not committed) from the shipped
# examples, the evaluation set and the strings of the unit tests, at run time. Adding to
# an existing corpus is harmless: libFuzzer names inputs by their hash.
#
# Usage: fuzz/seed.sh
set -euo pipefail
cd "$(dirname "$0")"
root=..
corpus=corpus
mkdir -p "$corpus"/{import_twitter_json,import_twitter_csv,import_linkedin_csv,title,company,geo,account_json,proto_convert}

python3 - "$root" "$corpus" <<'PY'
import glob, hashlib, os, re, sys

root, corpus = sys.argv[1], sys.argv[2]

def put(target, data):
    if isinstance(data, str):
        data = data.encode()
    name = hashlib.sha1(data).hexdigest()
    with open(os.path.join(corpus, target, name), "wb") as f:
        f.write(data)

def lines(path):
    with open(path, "rb") as f:
        return f.read().split(b"\n")

# Importers: a few rows at a time (libFuzzer prefers small inputs), and each whole file.
def csv_seeds(target, files):
    for path in files:
        rows = lines(path)
        header, body = rows[0], [r for r in rows[1:] if r]
        for i in range(0, min(len(body), 120), 3):
            put(target, b"\n".join([header] + body[i:i + 3]) + b"\n")
for target, pattern in [
    ("import_linkedin_csv", "**/*linkedin*.csv"),
    ("import_twitter_csv", "**/*twitter*.csv"),
]:
    files = sorted(glob.glob(os.path.join(root, "examples", pattern), recursive=True)
                   + glob.glob(os.path.join(root, "eval", pattern), recursive=True))
    csv_seeds(target, files)
for path in sorted(glob.glob(os.path.join(root, "examples", "*.jsonl"))
                   + glob.glob(os.path.join(root, "eval", "**", "*.jsonl"), recursive=True)):
    rows = [r for r in lines(path) if r]
    for i in range(0, min(len(rows), 120), 2):
        put("import_twitter_json", b"\n".join(rows[i:i + 2]) + b"\n")

# Readers: the strings the unit tests read, and the profile texts of the examples.
def test_strings(path):
    text = open(path, encoding="utf-8").read()
    return {s for s in re.findall(r'"((?:[^"\\\n]|\\.){1,120})"', text)}
for target, source in [
    ("title", "src/engine/reading/title.rs"),
    ("geo", "src/engine/reading/geo.rs"),
    ("company", "src/engine/reading/company_match.rs"),
]:
    strings = sorted(test_strings(os.path.join(root, source))
                     | test_strings(os.path.join(root, "src/engine/hard_cases.rs")))
    for i, s in enumerate(strings):
        if target == "company":
            # First line: listed names and domains, `;`-separated; then the looked-up texts.
            put(target, f"{strings[(i * 7) % len(strings)]};acme.com;Acme Inc\n{s}\n{s}\nhttps://www.{s}.com\n{s}")
        elif target == "geo":
            put(target, f"{strings[(i * 5) % len(strings)]}\n{s}")
        else:
            put(target, s)

# Accounts in proto3 JSON.
for path in sorted(glob.glob(os.path.join(root, "examples", "account.json"))
                   + glob.glob(os.path.join(root, "eval", "**", "*.json"), recursive=True)):
    put("account_json", open(path, "rb").read())

# Protobuf requests, encoded here by hand (selector byte, then the message), from the
# LinkedIn examples' rows.
def varint(n):
    out = bytearray()
    n &= (1 << 64) - 1
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)
def field(number, value):
    if isinstance(value, int):
        return varint(number << 3) + varint(value)
    if isinstance(value, str):
        value = value.encode()
    return varint(number << 3 | 2) + varint(len(value)) + value
def timestamp(seconds):
    return field(1, seconds)
import csv
rows = list(csv.DictReader(open(os.path.join(root, "examples", "followers_linkedin.csv"), encoding="utf-8-sig")))[:40]
for i, row in enumerate(rows):
    profile = (field(1, 1) + field(2, f"li-{i}") + field(4, row["Full Name"])
               + field(5, row["Headline"]) + field(6, row["Job Title"]) + field(7, row["Company"])
               + field(11, row["Location"]) + field(15, 100 + i) + field(10, 500)
               + field(22, timestamp(1_700_000_000 + i * 86_400)) + field(28, timestamp(1_760_000_000)))
    account = field(1, "northwind")
    put("proto_convert", bytes([0]) + account + field(2, profile)
        + field(3, field(1, f"e{i}") + field(2, 1 + i % 11) + field(3, timestamp(1_760_000_000))))
    put("proto_convert", bytes([1]) + account + field(2, profile) + field(3, f"c{i}"))
    put("proto_convert", bytes([11]) + profile)
    put("proto_convert", bytes([3]) + account + field(2, 1) + field(3, f"li-{i}")
        + field(4, field(1, f"e{i}") + field(2, 2) + field(3, timestamp(1_760_000_000))))
    put("proto_convert", bytes([4]) + account + field(2, 1) + field(3, f"li-{i}") + field(4, 1 + i % 12)
        + field(5, "sales") + field(6, "knows them") + field(7, timestamp(1_790_000_000)))
for selector in range(12):
    put("proto_convert", bytes([selector]) + field(1, "northwind") + field(2, 1) + field(3, "x"))
put("proto_convert", bytes([8]) + field(1, field(1, "northwind") + field(2, 1)))
put("proto_convert", bytes([8]) + field(2, b"id,name,screen_name\n1,a,b\n"))
PY
for t in "$corpus"/*; do printf '%s: %s seeds\n' "$(basename "$t")" "$(ls "$t" | wc -l)"; done
