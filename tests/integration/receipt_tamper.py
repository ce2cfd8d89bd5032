"""receipt_tamper.py BOARD_IN SERVER_KEY OUT_DB (delete TRACKER | retime SEQ):
what an operator who holds the server's database and key can do to a record
(issue 10, point 3). delete: the ballot with this tracker (base64url) goes,
the lines after it are renumbered, its region's tally and result "cast" are
lowered by one. retime: line SEQ's time is one second later (an earlier
entry changed, the ballots after it where they were). Then the hash chain
is recomputed and every checkpoint re-signed with the server's own key
(SERVER_KEY: libsodium's 64-byte Ed25519 secret key, DB.key). The board is
written into a fresh SQLite database OUT_DB in the store's schema, so that
`urna export --db OUT_DB` writes the record folder and its results files
with Urna's own writer. Deleting a ballot that is not counted (re-voted)
keeps the tally's sums and the decryptions valid: the record then passes
`urna verify`, and only the voter's signed receipt shows what was removed.
Hashing from tests/vectors/urnaref.py; Ed25519 from python3-cryptography."""
import json, os, sqlite3, struct, sys
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'vectors'))
from urnaref import H, b64, canon, hash32, unb64
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

board_in, key_file, out_db, op, arg = sys.argv[1:6]
raw = [l for l in open(board_in, 'rb').read().split(b'\n') if l]
lines = [json.loads(l) for l in raw]
ref = lines[0]['body']['id']
sk = Ed25519PrivateKey.from_private_bytes(open(key_file, 'rb').read()[:32])


def body_bytes(line):
    return line[line.index(b'"body":') + 7:-1]


d, region = None, None
if op == 'delete':
    gone = [i for i, l in enumerate(raw) if lines[i]['kind'] == 'ballot' and hash32(body_bytes(l)) == unb64(arg)]
    assert len(gone) == 1, 'no ballot with tracker %s' % arg
    d = gone[0]
    region = lines[d]['region']
    del lines[d]
elif op == 'retime':
    lines[int(arg)]['time'] += 1
else:
    sys.exit('unknown operation ' + op)
out, prev = [], bytes(32)
for i, l in enumerate(lines):
    b = l['body']
    if l['kind'] in ('tally', 'result') and l.get('region') == region:
        b['cast'] -= 1
    if l['kind'] == 'checkpoint':
        s = b['seq'] - 1 if d is not None and b['seq'] >= d else b['seq']
        head = hash32(out[s])
        b.update(seq=s, head=b64(head), signature=b64(sk.sign(H('checkpoint', ref.encode(), struct.pack('<I', s), head))))
    text = '{"seq":%d,"prev":"%s","time":%d,"kind":"%s"%s,"body":%s}' % (
        i, b64(prev), l['time'], l['kind'], ',"region":"%s"' % l['region'] if 'region' in l else '', canon(b))
    out.append(text.encode())
    prev = hash32(out[-1])
db = sqlite3.connect(out_db)
db.execute('CREATE TABLE board (referendum TEXT NOT NULL, seq BIGINT NOT NULL, kind TEXT NOT NULL,'
           ' line TEXT NOT NULL, PRIMARY KEY (referendum, seq))')
db.executemany('INSERT INTO board VALUES (?, ?, ?, ?)', [(ref, i, lines[i]['kind'], t.decode()) for i, t in enumerate(out)])
db.commit()
print('%s %s: %d lines' % (op, arg, len(out)))
