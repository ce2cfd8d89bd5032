"""Urna's reference primitives in plain Python, for the vector generators.

Shared by gen_crypto.py and gen_audit.py (which import it; it writes
nothing itself) and independent of the C code and of the booth's JavaScript
on purpose: hashes with hashlib, encodings with base64/base32 and json, and
ristretto255 (RFC 9496) in plain Python integers. Importing it checks the
group against RFC 9496 Appendix A.1 (0B, 1B, 2B, 15B) and fails on a wrong
answer; `python3 tests/vectors/urnaref.py` runs just those checks.

What it holds (docs/protocol.md s.2, s.11, s.13): the field and group
constants P, L, D; points in extended coordinates with IDENTITY, G, padd,
pneg, psub, pmul and the canonical encoding encode; the hash H with its
domain tag b'urna/v1/' + tag + NUL and length-prefixed items, Hs (an integer
mod l) and hash32; u32, sc (a scalar's 32 bytes), b64/unb64 (unpadded
base64url), b32 (unpadded base32); canon (canonical JSON, s.13); and the
protocol-2 challenges of s.11, each hashing its whole statement
(range_challenge, packed_challenge, sig_challenge, pok_challenge,
decrypt_challenge) with the provers that use them (range_prove, oneof_prove,
schnorr, decrypt_prove), which take their random scalars from a draw() the
caller gives; decode (RFC 9496 s.4.3.1); and whole ballots as the C code and
the booth make them, draw for draw (s.6, s.14: packed questions with
packed_base, is_packed, packed_values; make_ballot, sign_ballot, tracker).
"""
import base64, hashlib, json, struct

P = 2**255 - 19
L = 2**252 + 27742317777372353535851937790883648493
D = (-121665 * pow(121666, P - 2, P)) % P
SQRT_M1 = pow(2, (P - 1) // 4, P)


def neg(x): return x % P & 1


def sqrt_ratio_m1(u, v):
    r = (u * pow(v, 3, P)) * pow(u * pow(v, 7, P), (P - 5) // 8, P) % P
    check = v * r * r % P
    correct, flipped = check == u % P, check == (-u) % P
    flipped_i = check == (-u * SQRT_M1) % P
    if flipped or flipped_i:
        r = r * SQRT_M1 % P
    if neg(r):
        r = P - r
    return correct or flipped, r


INVSQRT_A_MINUS_D = sqrt_ratio_m1(1, (-1 - D) % P)[1]

# Points in extended coordinates (X, Y, Z, T), x = X/Z, y = Y/Z, xy = T/Z.
IDENTITY = (0, 1, 1, 0)


def padd(p, q):
    x1, y1, z1, t1 = p
    x2, y2, z2, t2 = q
    a = (y1 - x1) * (y2 - x2) % P
    b = (y1 + x1) * (y2 + x2) % P
    c = 2 * D * t1 * t2 % P
    d = 2 * z1 * z2 % P
    e, f, g, h = b - a, d - c, d + c, b + a
    return e * f % P, g * h % P, f * g % P, e * h % P


def pneg(p): return (-p[0]) % P, p[1], p[2], (-p[3]) % P
def psub(p, q): return padd(p, pneg(q))


def pmul(k, p):
    """k times p, k taken mod l."""
    acc = IDENTITY
    k %= L
    while k:
        if k & 1:
            acc = padd(acc, p)
        p = padd(p, p)
        k >>= 1
    return acc


def base_point():
    y = 4 * pow(5, P - 2, P) % P
    ok, x = sqrt_ratio_m1((y * y - 1) % P, (D * y * y + 1) % P)
    assert ok
    x = x if not neg(x) else P - x
    return x, y, 1, x * y % P


def encode(p):
    """RFC 9496 s.4.3.2: the 32 bytes of a point."""
    x0, y0, z0, t0 = p
    u1 = (z0 + y0) * (z0 - y0) % P
    u2 = x0 * y0 % P
    _, invsqrt = sqrt_ratio_m1(1, u1 * u2 * u2 % P)
    den1, den2 = invsqrt * u1 % P, invsqrt * u2 % P
    z_inv = den1 * den2 * t0 % P
    ix0, iy0 = x0 * SQRT_M1 % P, y0 * SQRT_M1 % P
    enchanted = den1 * INVSQRT_A_MINUS_D % P
    rotate = neg(t0 * z_inv)
    x, y = (iy0, ix0) if rotate else (x0, y0)
    den_inv = enchanted if rotate else den2
    if neg(x * z_inv):
        y = P - y
    s = den_inv * (z0 - y) % P
    if neg(s):
        s = P - s
    return s.to_bytes(32, 'little')


def decode(b):
    """RFC 9496 s.4.3.1: the point of 32 bytes; ValueError unless canonical."""
    s = int.from_bytes(b, 'little')
    if len(b) != 32 or s >= P or neg(s):
        raise ValueError('not a canonical encoding')
    ss = s * s % P
    u1, u2 = (1 - ss) % P, (1 + ss) % P
    u2_sqr = u2 * u2 % P
    v = (-(D * u1 * u1) - u2_sqr) % P
    was_square, invsqrt = sqrt_ratio_m1(1, v * u2_sqr % P)
    den_x = invsqrt * u2 % P
    den_y = invsqrt * den_x * v % P
    x = 2 * s * den_x % P
    if neg(x):
        x = P - x
    y = u1 * den_y % P
    t = x * y % P
    if not was_square or neg(t) or y == 0:
        raise ValueError('not a point')
    return x, y, 1, t


G = base_point()
# RFC 9496 Appendix A.1: 0B, 1B, 2B, 15B.
assert encode(IDENTITY) == bytes(32)
assert encode(G).hex() == 'e2f2ae0a6abc4e71a884a961c500515f58e30b6aa582dd8db6a65945e08d2d76'
assert encode(pmul(2, G)).hex() == '6a493210f7499cd17fecb510ae0cea23a110e8d5b901f8acadd3095c73a3b919'
assert encode(pmul(15, G)).hex() == 'e0c418f7c8d9c4cdd7395b93ea124f3ad99021bb681dfc3302a9d99a2e53e64e'
assert all(encode(decode(encode(pmul(k, G)))) == encode(pmul(k, G)) for k in (0, 1, 2, 15, 2**200 + 7))


def item(b): return struct.pack('<I', len(b)) + b
def H(tag, *items): return hashlib.sha512(b'urna/v1/' + tag.encode() + b'\0' + b''.join(item(i) for i in items)).digest()
def Hs(tag, *items): return int.from_bytes(H(tag, *items), 'little') % L
def hash32(b): return H('bytes', b)[:32]
def u32(v): return struct.pack('<I', v)
def u64(v): return struct.pack('<Q', v)
def sc(v): return (v % L).to_bytes(32, 'little')
def b64(b): return base64.urlsafe_b64encode(b).decode().rstrip('=')
def unb64(s): return base64.urlsafe_b64decode(s + '=' * (-len(s) % 4))
def b32(b): return base64.b32encode(b).decode().rstrip('=')


def canon(v):
    """s.13: what jansson writes with JSON_COMPACT | JSON_SORT_KEYS."""
    return json.dumps(v, sort_keys=True, separators=(',', ':'), ensure_ascii=False)


def tracker(ballot):
    """s.14 (protocol 2): hash32 of the unsigned ballot's canonical bytes, the
    ballot (bytes, text or an object) without "signature"."""
    if isinstance(ballot, (bytes, str)):
        ballot = json.loads(ballot)
    return hash32(canon({k: v for k, v in ballot.items() if k != 'signature'}).encode())


# ---- s.11, protocol version 2: every challenge hashes its whole statement.
# Points are given as their 32 bytes; the generator G is hashed first.
G_B = encode(G)


def range_challenge(K, h_R, h_E, X, q, c, lo, hi, alpha, beta, commits):
    """Hs("range/2", G, K, h_R, h_E, X, u32 question, u32 choice, u32 lo, u32 hi,
    alpha, beta, A_lo, B_lo, ..., A_hi, B_hi); commits is [(A, B), ...]."""
    items = [G_B, K, h_R, h_E, X, u32(q), u32(c), u32(lo), u32(hi), alpha, beta]
    for A, B in commits:
        items += [A, B]
    return Hs('range/2', *items)


def sig_challenge(K, h_R, h_E, X, msg, A):
    """Hs("signature/2", G, K, h_R, h_E, X, hash32(unsigned ballot), A)."""
    return Hs('signature/2', G_B, K, h_R, h_E, X, msg, A)


def pok_challenge(h_R, i, C, box_key, A):
    """Hs("pok/2", G, h_R, u32 i, u32 k, C_i0, ..., C_i(k-1), box_key, A)."""
    return Hs('pok/2', G_B, h_R, u32(i), u32(len(C)), *C, box_key, A)


def decrypt_challenge(K, h_R, h_E, j, X_j, A, B, D, U, V):
    """Hs("decrypt/2", G, K, h_R, h_E, u32 j, X_j, A, B, D_j, U, V)."""
    return Hs('decrypt/2', G_B, K, h_R, h_E, u32(j), X_j, A, B, D, U, V)


def range_prove(draw, K, h_R, h_E, X, q, c, alpha, beta, r, v, lo, hi, challenge=range_challenge):
    """s.6: the disjunctive proof that (alpha, beta) (points) encrypts v in
    lo..hi under K (a point), knowing r. Returns [(A, B, c, z)] with A, B
    points and c, z integers mod l. challenge: range_challenge's arguments
    to c (another only to make proofs that must fail)."""
    br, w = [], None
    for j in range(lo, hi + 1):
        if j == v:
            w = draw()
            br.append([pmul(w, G), pmul(w, K), None, None])
        else:
            cj, zj = draw(), draw()
            shifted = psub(beta, pmul(j, G))
            br.append([psub(pmul(zj, G), pmul(cj, alpha)), psub(pmul(zj, K), pmul(cj, shifted)), cj, zj])
    cv = challenge(encode(K), h_R, h_E, X, q, c, lo, hi, encode(alpha), encode(beta),
                   [(encode(b[0]), encode(b[1])) for b in br])
    for b in br:
        if b[2] is not None:
            cv -= b[2]
    real = br[v - lo]
    real[2] = cv % L
    real[3] = (w + real[2] * r) % L
    return [tuple(b) for b in br]


def schnorr(draw, x, challenge):
    """A Schnorr answer: A = wG, z = w + c x with c = challenge(A bytes)."""
    w = draw()
    A = encode(pmul(w, G))
    return A, (w + challenge(A) * x) % L


def decrypt_prove(draw, x, K, h_R, h_E, j, A, B):
    """s.8: D = x A with the Chaum-Pedersen proof (U, V, z) that
    log_G X_j = log_A D, X_j = xG; A, B points. Returns (D, U, V, z), bytes
    but z."""
    w = draw()
    D, U, V = encode(pmul(x, A)), encode(pmul(w, G)), encode(pmul(w, A))
    c = decrypt_challenge(K, h_R, h_E, j, encode(pmul(x, G)), encode(A), encode(B), D, U, V)
    return D, U, V, (w + c * x) % L


# ---- s.6 (protocol 2): packed questions, and ballots as the C code and the
# booth build them, draw for draw.


def packed_base(electorate):
    """M: the smallest power of two above the region's electorate (1 <= e < 2^32)."""
    assert 1 <= electorate < 2**32
    M = 2
    while M <= electorate:
        M *= 2
    return M


def is_packed(question):
    """s.6: max = 1 and at most two choices: one ciphertext."""
    return question['max'] == 1 and len(question['choices']) <= 2


def packed_values(question, M):
    """The allowed plaintexts, ascending: 0 (blank, when min = 0), 1 (choice 1), M (choice 2)."""
    return ([0] if question['min'] == 0 else []) + [1] + ([M] if len(question['choices']) == 2 else [])


def packed_challenge(K, h_R, h_E, X, q, vals, alpha, beta, commits):
    """Hs("packed/2", G, K, h_R, h_E, X, u32 question, u32 n, u64 v_0, ...,
    u64 v_(n-1), alpha, beta, A_0, B_0, ..., A_(n-1), B_(n-1))."""
    items = [G_B, K, h_R, h_E, X, u32(q), u32(len(vals))] + [u64(v) for v in vals] + [alpha, beta]
    for A, B in commits:
        items += [A, B]
    return Hs('packed/2', *items)


def oneof_prove(draw, K, r, idx, vals, challenge):
    """s.6, the disjunctive prover exactly as the C code (src/crypto/proof.c)
    and the booth make it: t_0..t_(n-1), then c_0..c_(n-1) drawn; A_i = t_i G,
    B_i = t_i K + c_i (v_i - v) G with v = vals[idx]; c_idx = c - the others,
    c = challenge(commitments as bytes); z_i = t_i + c_i r. Returns
    [(A, B, c, z)], A, B points."""
    n, v = len(vals), vals[idx]
    t = [draw() for _ in range(n)]
    c = [draw() for _ in range(n)]
    A = [pmul(t[i], G) for i in range(n)]
    B = [padd(pmul(t[i], K), pmul(c[i] * (vals[i] - v) % L, G)) for i in range(n)]
    ch = challenge([(encode(A[i]), encode(B[i])) for i in range(n)])
    c[idx] = (ch - sum(c[i] for i in range(n) if i != idx)) % L
    return [(A[i], B[i], c[i], (t[i] + c[i] * r) % L) for i in range(n)]


def proof_json(br):
    return [{'A': b64(encode(A)), 'B': b64(encode(B)), 'c': b64(sc(c)), 'z': b64(sc(z))} for A, B, c, z in br]


def make_ballot(draw, manifest, electorate, referendum, region, h_R, K, X, sel, x=None, forge=None, manifest_text=None):
    """s.14: the canonical ballot for selections sel (one 0/1 list per
    question) under key K (a point), credential X (bytes) and h_R, h_E =
    hash32(canon(manifest)), drawing every scalar from draw in the order of
    ballot.h's ballot_make_from; signed with x (an integer) when given.
    forge = {q: v}: packed question q encrypts v instead, proved over its
    allowed values with the last replaced by v (a cheating booth's ballot:
    the proof holds for that list only). manifest_text: the manifest's bytes
    when they are not canon(manifest) (h_E is their hash32). Returns (ballot,
    randomness) with randomness in the audit file's form (s.16)."""
    h_E = hash32((manifest_text if manifest_text is not None else canon(manifest)).encode())
    KB, M = encode(K), packed_base(electorate)
    answers, rand = [], []
    for q, (question, s) in enumerate(zip(manifest['questions'], sel)):
        if is_packed(question):
            vals = packed_values(question, M)
            v = 0 if sum(s) == 0 else 1 if s[0] else M
            if forge and q in forge:
                vals[-1] = v = forge[q]
            r = draw()
            alpha, beta = pmul(r, G), padd(pmul(r, K), pmul(v, G))
            br = oneof_prove(draw, K, r, vals.index(v), vals, lambda cm: packed_challenge(
                KB, h_R, h_E, X, q, vals, encode(alpha), encode(beta), cm))
            answers.append({'alpha': b64(encode(alpha)), 'beta': b64(encode(beta)), 'proof': proof_json(br)})
            rand.append([{'r': b64(sc(r)), 'v': v}])
            continue
        choices, rs, sa, sb, rsum = [], [], IDENTITY, IDENTITY, 0
        for k, v in enumerate(s):
            r = draw()
            alpha, beta = pmul(r, G), padd(pmul(r, K), pmul(v, G))
            br = oneof_prove(draw, K, r, v, [0, 1], lambda cm: range_challenge(
                KB, h_R, h_E, X, q, k, 0, 1, encode(alpha), encode(beta), cm))
            choices.append({'alpha': b64(encode(alpha)), 'beta': b64(encode(beta)), 'proof': proof_json(br)})
            rs.append({'r': b64(sc(r)), 'v': v})
            sa, sb, rsum = padd(sa, alpha), padd(sb, beta), (rsum + r) % L
        lo, hi = question['min'], question['max']
        br = oneof_prove(draw, K, rsum, sum(s) - lo, list(range(lo, hi + 1)), lambda cm: range_challenge(
            KB, h_R, h_E, X, q, 0xffffffff, lo, hi, encode(sa), encode(sb), cm))
        answers.append({'choices': choices, 'proof': proof_json(br)})
        rand.append(rs)
    ballot = {'answers': answers, 'credential': b64(X), 'referendum': referendum, 'region': region}
    if x is not None:
        ballot = sign_ballot(draw, ballot, x, KB, h_R, h_E)
    return ballot, rand


def sign_ballot(draw, ballot, x, K, h_R, h_E):
    """s.6: Schnorr with credential key x over the tracker (hash32 of the
    unsigned ballot), bound to K (bytes), h_R, h_E and X."""
    unsigned = {k: v for k, v in ballot.items() if k != 'signature'}
    X = unb64(unsigned['credential'])
    A, z = schnorr(draw, x, lambda A_: sig_challenge(K, h_R, h_E, X, tracker(unsigned), A_))
    return dict(unsigned, signature={'A': b64(A), 'z': b64(sc(z))})


if __name__ == '__main__':
    print('urnaref: RFC 9496 A.1 checks pass')
