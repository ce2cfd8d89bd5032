"""urnasign.py: protocol-2 board entries in Python, apart from the C code
(docs/protocol.md s.15.1, s.17), for the integration tests: a role's key
file, the 64 bytes an author signs, board lines taken apart and put back
together, and the hash chain recomputed. Hashing and canonical JSON from
tests/vectors/urnaref.py; Ed25519 from libsodium through ctypes (no Python
package needed).

An author signs
  H("entry/2", h_R, kind, region, by, u32 n, hash32(body))
h_R the hash32 of the referendum line's body bytes, region "" for kinds
without one, n the number of the author's earlier lines on the board.

As a command:
  entry KEYFILE BOARD BY KIND REGION BODY [N]
prints the request a role would post to /api/referendums/ID/entries; BOARD
a board.jsonl file (or - for stdin): h_R is its first line's, N (by
default) its count of BY's lines; REGION "-" for none; BODY a JSON text,
posted as its canonical form.
  verify BOARD
checks every signed line of BOARD against the keys its referendum line
names: exit 0 ("N signed lines verify"), or 1 naming the seqs that do not.
"""
import ctypes, ctypes.util, json, os, sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'vectors'))
from urnaref import H, b64, canon, hash32, u32, unb64  # noqa: E402

_na = ctypes.CDLL(ctypes.util.find_library('sodium') or 'libsodium.so.23')
assert _na.sodium_init() >= 0


class Key:
    """An Ed25519 key pair: from a key file of urna keygen (its seed) or fresh."""

    def __init__(self, path=None, seed=None):
        if path is not None:
            k = json.load(open(path))
            seed, self.role, self.name = unb64(k['seed']), k['role'], k['name']
        else:
            self.role = self.name = None
        if seed is None:
            seed = os.urandom(32)
        pk, sk = ctypes.create_string_buffer(32), ctypes.create_string_buffer(64)
        assert _na.crypto_sign_seed_keypair(pk, sk, seed) == 0
        self.pk, self._sk = pk.raw, sk.raw
        if path is not None:
            assert b64(self.pk) == k['public_key'], '%s: its public key is not its seed\'s' % path

    def sign(self, m):
        sig = ctypes.create_string_buffer(64)
        assert _na.crypto_sign_detached(sig, None, m, ctypes.c_ulonglong(len(m)), self._sk) == 0
        return sig.raw


def verify(pk, sig, m):
    return _na.crypto_sign_verify_detached(sig, m, ctypes.c_ulonglong(len(m)), pk) == 0


def entry_msg(h_R, kind, region, by, n, body):
    """The 64 bytes author BY signs as its entry number N (body: its bytes)."""
    return H('entry/2', h_R, kind.encode(), (region or '').encode(), by.encode(), u32(n), hash32(body))


# ---- board lines: {"seq","prev","time","kind"[,"region"][,"by","sig"],"body":BODY}


def split(raw):
    """A line (bytes) as (its envelope, a dict in its order without body, and
    its body's bytes, kept as they are)."""
    i = raw.index(b',"body":')
    head = json.loads(raw[:i] + b'}')
    return head, raw[i + 8:-1]


def join(head, body):
    """The line of envelope HEAD (in its order) and BODY (bytes)."""
    text = json.dumps(head, separators=(',', ':'), ensure_ascii=False)
    return text[:-1].encode() + b',"body":' + body + b'}'


def read_board(path):
    data = sys.stdin.buffer.read() if path == '-' else open(path, 'rb').read()
    return [l for l in data.split(b'\n') if l]


def h_R(lines):
    return hash32(split(lines[0])[1])


def authored(lines, by, upto=None):
    """How many lines of BY come before line UPTO (default: all)."""
    return sum(1 for l in lines[:upto] if split(l)[0].get('by') == by)


def rechain(lines):
    """The lines with seq and prev made right again (a copy)."""
    out, prev = [], bytes(32)
    for i, l in enumerate(lines):
        head, body = split(l)
        head['seq'], head['prev'] = i, b64(prev)
        out.append(join(head, body))
        prev = hash32(out[-1])
    return out


def sign_line(lines, i, key, by=None):
    """Line I signed again with KEY as BY (default its own "by"), as that
    author's entry number on this board: a copy of the line."""
    head, body = split(lines[i])
    if by is not None:
        head['by'] = by
    m = entry_msg(h_R(lines), head['kind'], head.get('region'), head['by'], authored(lines, head['by'], i), body)
    head['sig'] = b64(key.sign(m))
    return join(head, body)


def role_keys(lines):
    """{by: public key} of the roles the referendum line names."""
    b = json.loads(split(lines[0])[1])
    keys = {'organizer': unb64(b['organizer']['key']), 'server': unb64(b['server']['key'])}
    for k, a in enumerate(b['authorities']):
        keys['authority-%d' % (k + 1)] = unb64(a['key'])
    for i, t in enumerate(b['trustees']['members']):
        keys['trustee-%d' % (i + 1)] = unb64(t['key'])
    return keys


def check_signatures(lines):
    """The seqs of the lines whose "sig" is not their "by"'s over them (every
    line but a ballot is signed), and how many were checked."""
    keys, hr, bad, n = role_keys(lines), h_R(lines), [], 0
    for i, l in enumerate(lines):
        head, body = split(l)
        if head['kind'] == 'ballot':
            continue
        by, n = head.get('by'), n + 1
        m = by and entry_msg(hr, head['kind'], head.get('region'), by, authored(lines, by, i), body)
        if not (by in keys and 'sig' in head and verify(keys[by], unb64(head['sig']), m)):
            bad.append(i)
    return bad, n


def request(key, lines, by, kind, region, body, n=None):
    """The request {"kind","region"?,"by","sig","body"} that BY posts."""
    bb = canon(body).encode()
    if n is None:
        n = authored(lines, by)
    req = {'kind': kind, 'by': by, 'sig': b64(key.sign(entry_msg(h_R(lines), kind, region, by, n, bb))), 'body': body}
    if region:
        req['region'] = region
    return req


def creation(key, ref, regions):
    """The request of POST /api/referendums: referendum body REF and the
    region manifests REGIONS, signed with KEY as the organizer's entries
    0, 1, ... (h_R: REF's own bytes)."""
    rb = canon(ref).encode()
    hr = hash32(rb)
    entries = [{'kind': 'referendum', 'by': 'organizer', 'body': ref,
                'sig': b64(key.sign(entry_msg(hr, 'referendum', None, 'organizer', 0, rb)))}]
    for n, m in enumerate(regions, 1):
        msg = entry_msg(hr, 'region', m['id'], 'organizer', n, canon(m).encode())
        entries.append({'kind': 'region', 'region': m['id'], 'by': 'organizer', 'body': m, 'sig': b64(key.sign(msg))})
    return {'entries': entries}


if __name__ == '__main__':
    a = sys.argv[1:]
    if len(a) == 2 and a[0] == 'verify':
        bad, n = check_signatures(read_board(a[1]))
        if bad:
            sys.exit('lines whose signature does not verify: %s' % bad)
        print('%d signed lines verify' % n)
        sys.exit(0)
    if len(a) not in (7, 8) or a[0] != 'entry':
        sys.exit(__doc__)
    keyfile, board, by, kind, region, body = a[1:7]
    lines = read_board(board)
    n = int(a[7]) if len(a) == 8 else None
    body = open(body[1:]).read() if body.startswith('@') else body
    print(canon(request(Key(keyfile), lines, by, kind, None if region == '-' else region, json.loads(body), n)))
