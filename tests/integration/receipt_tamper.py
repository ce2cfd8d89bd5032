"""receipt_tamper.py BOARD_IN SERVER_KEY OUT_DB (delete TRACKER | retime SEQ) [other-key]:
what an operator who holds the server's database and key can do to a record
(issue 10, point 3). delete: the ballot with this tracker (base64url) goes,
the lines after it are renumbered, its region's tally and result "cast" are
lowered by one. retime: line SEQ's time is one second later, and any line after it
of that same second too, so that time never decreases (an earlier entry
changed, the ballots after it where they were or a second later). Then the hash chain
is recomputed, and every line of the server's own whose body changed (each
checkpoint after the change, the tally and result) is signed again: the
checkpoint's signature over its head, and the entry signature every line
but a ballot carries (protocol 2, s.15.1), with the server's own key
(SERVER_KEY: its key file, urna keygen's JSON, DB.key). The other roles'
entries keep their signatures: an entry signature covers the referendum,
kind, region, author, the author's entry number and the body, not the
line's seq, time or prev, so deleting a ballot or moving a time leaves them
valid. With "other-key" the re-signing is done with a fresh Ed25519 key
instead: what someone without the server's key could do.
The board is written into a fresh SQLite database OUT_DB in the store's
schema, so that `urna export --db OUT_DB` writes the record folder and its
results files with Urna's own writer. Deleting a ballot that is not counted
(re-voted) keeps the tally's sums and the decryptions valid: with the
server's key the record then passes `urna verify`, and only the voter's
signed receipt shows what was removed; with another key `urna verify`
fails at the first line re-signed, whose seq this prints ("re-signed: SEQ
...", or "re-signed: none").
Hashing from tests/vectors/urnaref.py, signing from urnasign.py."""
import json, os, sqlite3, sys
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from urnasign import H, Key, b64, canon, entry_msg, hash32, join, split, u32, unb64
from urnaref import tracker

if len(sys.argv) not in (6, 7) or sys.argv[4] not in ('delete', 'retime') or sys.argv[6:] not in ([], ['other-key']):
    sys.exit(__doc__)
board_in, key_file, out_db, op, arg = sys.argv[1:6]
raw = [l for l in open(board_in, 'rb').read().split(b'\n') if l]
lines = [split(l) for l in raw]           # (envelope, body bytes)
ref = json.loads(lines[0][1])['id']
h_R = hash32(lines[0][1])
sk = Key(key_file) if len(sys.argv) == 6 else Key()

d, region = None, None
if op == 'delete':
    gone = [i for i, (h, b) in enumerate(lines) if h['kind'] == 'ballot' and tracker(b) == unb64(arg)]
    assert len(gone) == 1, 'no ballot with tracker %s' % arg
    d = gone[0]
    region = lines[d][0]['region']
    del lines[d]
else:  # later lines of the same second move with it, so that time never decreases
    t = lines[int(arg)][0]['time'] + 1
    for head, _ in lines[int(arg):]:
        head['time'] = max(head['time'], t)
out, prev, server_n, resigned = [], bytes(32), 0, []
for i, (head, body) in enumerate(lines):
    b = json.loads(body) if head['kind'] != 'ballot' else None
    changed = False
    if head['kind'] in ('tally', 'result') and head.get('region') == region:
        b['cast'] -= 1
        changed = True
    if head['kind'] == 'checkpoint':
        s = b['seq'] - 1 if d is not None and b['seq'] >= d else b['seq']
        h = hash32(out[s])
        if (s, b64(h)) != (b['seq'], b['head']):
            b.update(seq=s, head=b64(h), signature=b64(sk.sign(H('checkpoint', ref.encode(), u32(s), h))))
            changed = True
    if changed:
        body = canon(b).encode()
        assert head['by'] == 'server', head
        head['sig'] = b64(sk.sign(entry_msg(h_R, head['kind'], head.get('region'), 'server', server_n, body)))
        resigned.append(i)
    if head.get('by') == 'server':
        server_n += 1
    head['seq'], head['prev'] = i, b64(prev)
    out.append(join(head, body))
    prev = hash32(out[-1])
db = sqlite3.connect(out_db)
db.execute('CREATE TABLE board (referendum TEXT NOT NULL, seq BIGINT NOT NULL, kind TEXT NOT NULL,'
           ' line TEXT NOT NULL, PRIMARY KEY (referendum, seq))')
db.executemany('INSERT INTO board VALUES (?, ?, ?, ?)', [(ref, i, lines[i][0]['kind'], t.decode()) for i, t in enumerate(out)])
db.commit()
print('%s %s: %d lines' % (op, arg, len(out)))
print('re-signed: %s' % (' '.join(map(str, resigned)) or 'none'))
