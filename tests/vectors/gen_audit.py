#!/usr/bin/env python3
"""Writes audit.json: Benaloh audit files (docs/protocol.md s.16, protocol 2:
the ballot unsigned, the yes/no question packed), good ones and tampered
ones, each with the verdict every checker must give.

Independent of the C code and of the booth's JavaScript on purpose, like
gen_crypto.py: the primitives come from urnaref.py beside this file (hashes
with hashlib, ristretto255 (RFC 9496) in plain Python integers, checked there
against the RFC's multiples of the generator, canonical JSON); the election,
the ballots, their proofs and the tampering are here. Every "random" scalar
is drawn from SHA-512 of a label, so the output is the same on every run.
Read by tests/unit/test_audit.c (audit_check, what `urna audit-ballot` runs)
and by web/tests/audit.test.mjs and web/tests/run.mjs (the booth's
auditCheck, in Node and on the audit page).

Run from any folder: python3 tests/vectors/gen_audit.py > tests/vectors/audit.json

A vector is {"name", "description", "verdict", "file"} (the audit file's
text) or "file_hex" (its bytes, when they are not UTF-8), and "selections"
when the verdict is "ok". A verdict is "ok" or the class of the first check
that fails, named as the error codes are (src/record/error.c): malformed,
bad_encoding, bad_proof, mismatch (an audited ballot carries no signature,
so no file is a bad_signature; one that does is malformed). `urna audit-ballot` exits
0 for ok, 2 for malformed and 1 for every other class.
"""
import copy, hashlib, json, os, sys

sys.dont_write_bytecode = True  # no __pycache__ left in tests/vectors
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from urnaref import (G, H, Hs, L, b32, b64, canon, encode, hash32, make_ballot as ref_ballot, packed_base, padd,
                     pmul, sc, sign_ballot, unb64)


class Draws:
    """Deterministic scalars: SHA-512 of a label and a counter, mod l."""
    def __init__(self, label):
        self.label, self.n = label, 0

    def __call__(self):
        self.n += 1
        d = hashlib.sha512(b'urna audit vectors/' + self.label.encode() + b'/' + str(self.n).encode()).digest()
        return int.from_bytes(d, 'little') % L or 1


REFERENDUM, REGION = 'park-2026', 'north'
MANIFEST = {
    'id': REGION, 'name': {'en': 'North', 'ru': 'Север'},
    'questions': [
        {'text': {'en': 'Should the city build the park?', 'ru': 'Строить ли городу парк?'},
         'choices': [{'en': 'Yes', 'ru': 'Да'}, {'en': 'No', 'ru': 'Нет'}], 'min': 1, 'max': 1},
        {'text': {'en': 'Which features? (up to two)', 'ru': 'Что в парке? (не более двух)'},
         'choices': [{'en': 'Pond', 'ru': 'Пруд'}, {'en': 'Playground', 'ru': 'Детская площадка'},
                     {'en': 'Orchard', 'ru': 'Сад'}], 'min': 0, 'max': 2},
    ],
}
MANIFEST_TEXT = canon(MANIFEST)
# h_R: hash32 of the referendum entry's body; the audit file holds only the
# hash (s.16), so any body serves.
H_R = hash32(canon({'id': REFERENDUM, 'title': {'en': 'Park'}}).encode())
k_elec = Draws('election key')()
K = pmul(k_elec, G)
K_B = encode(K)
# s.5, s.12: a credential of 16 bytes and its check, x = Hs("credential", ...).
cred_raw = hashlib.sha512(b'urna audit vectors/credential').digest()[:16]
cred_raw += H('credential-check', cred_raw)[:4]
CRED = b32(cred_raw)
x_cred = Hs('credential', REFERENDUM.encode(), REGION.encode(), CRED.encode())
X_B = encode(pmul(x_cred, G))


ELECTORATE = 1000  # M = 1024: question 1 (yes/no, min 1) is packed, its values 1 and M
M = packed_base(ELECTORATE)


def make_ballot(label, sel, manifest_text=MANIFEST_TEXT, h_R=H_R):
    """An unsigned ballot (s.14, as the booth audits it, s.16) of selections
    sel and its randomness in the file's form, every proof bound to h_R, h_E
    = hash32(manifest_text), K and the credential (s.11)."""
    return ref_ballot(Draws(label), json.loads(manifest_text), ELECTORATE, REFERENDUM, REGION, h_R, K, X_B, sel,
                      manifest_text=manifest_text)


def tracker(ballot): return b64(hash32(canon({k: v for k, v in ballot.items() if k != 'signature'}).encode()))


def audit_doc(ballot, rand, manifest_text=MANIFEST_TEXT, electorate=ELECTORATE):
    """s.16: the document the booth writes."""
    return {'ballot': ballot, 'election_key': b64(K_B), 'electorate': electorate, 'manifest': manifest_text,
            'randomness': rand, 'referendum': REFERENDUM, 'referendum_hash': b64(H_R), 'region': REGION,
            'tracker': tracker(ballot), 'version': 2}


SEL = [[0, 1], [1, 0, 1]]  # No (packed: v = M), Pond and Orchard
BALLOT, RAND = make_ballot('ballot', SEL)
GOOD = audit_doc(BALLOT, RAND)
H_E = hash32(MANIFEST_TEXT.encode())
NOT_A_POINT = b64(b'\x01' + bytes(31))   # s = 1 is negative: no ristretto255 encoding
L_BYTES = b64(L.to_bytes(32, 'little'))  # l itself: not a scalar below l


def tampered(*changes, retrack=False):
    """A copy of the good document with each change applied in turn; with
    retrack, the tracker made to match the changed ballot."""
    d = copy.deepcopy(GOOD)
    for f in changes:
        f(d)
    if retrack:
        d['tracker'] = tracker(d['ballot'])
    return d


def ans(d, q): return d['ballot']['answers'][q]
def ch(d, q, k): return d['ballot']['answers'][q]['choices'][k]
def rv(d, q, k): return d['randomness'][q][k]


def setk(o, k, v):
    o[k] = v


def delk(o, k):
    del o[k]


def swap(l, i, j):
    l[i], l[j] = l[j], l[i]


def plus1(s): return b64(sc(int.from_bytes(unb64(s), 'little') + 1))


vectors = []


def vec(name, verdict, description, doc=None, text=None, raw=None, selections=None):
    v = {'name': name, 'description': description, 'verdict': verdict}
    if raw is not None:
        v['file_hex'] = raw.hex()
    else:
        v['file'] = text if text is not None else canon(doc)
    if selections is not None:
        v['selections'] = selections
    vectors.append(v)


# ---- ok ----
vec('ok', 'ok', 'the audit file as the booth writes it (canonical JSON): No (packed, v = M) and Pond, Orchard',
    GOOD, selections=SEL)
SEL_BLANK = [[1, 0], [0, 0, 0]]
b2, r2 = make_ballot('blank ballot', SEL_BLANK)
vec('ok-blank', 'ok', 'a Yes (packed, v = 1) and a blank second question (min 0)', audit_doc(b2, r2), selections=SEL_BLANK)
vec('ok-indented', 'ok', 'as `urna vote --audit` writes it: indented, keys sorted, non-ASCII as \\u escapes',
    text=json.dumps(GOOD, indent=1, sort_keys=True), selections=SEL)
shuffled = {k: GOOD[k] for k in reversed(sorted(GOOD))}
shuffled['ballot'] = {k: BALLOT[k] for k in reversed(sorted(BALLOT))}
vec('ok-key-order', 'ok', 'keys in another order, the ballot\'s too, and spaces: the ballot is checked in its canonical form',
    text=json.dumps(shuffled, ensure_ascii=False, indent=2), selections=SEL)
vec('ok-electorate-same-base', 'ok', 'electorate 1023 for 1000: the same base M = 1024, so the same proofs (the '
    'electorate counts only through M)', tampered(lambda d: setk(d, 'electorate', 1023)), selections=SEL)
BLANK_MANIFEST = copy.deepcopy(MANIFEST)
BLANK_MANIFEST['questions'][0]['min'] = 0
BLANK_TEXT = canon(BLANK_MANIFEST)
SEL_PB = [[0, 0], [0, 1, 0]]
b4, r4 = make_ballot('packed blank', SEL_PB, BLANK_TEXT)
vec('ok-packed-blank', 'ok', 'question 1 with a blank vote (min 0): blank (packed, v = 0, values 0, 1, M)',
    audit_doc(b4, r4, BLANK_TEXT), selections=SEL_PB)

# ---- malformed: the document's shape ----
good_text = canon(GOOD)
vec('not-json', 'malformed', 'the file cut in half', text=good_text[:len(good_text) // 2])
vec('not-an-object', 'malformed', 'an array holding the audit document', text='[' + good_text + ']')
bad_utf8 = good_text.encode().replace('Север'.encode(), b'\xff\xfe', 1)
vec('not-utf8', 'malformed', 'bytes that are not UTF-8 inside the manifest text', raw=bad_utf8)
for key in ('randomness', 'tracker', 'election_key', 'electorate', 'referendum_hash', 'version'):
    vec('missing-' + key.replace('_', '-'), 'malformed', 'no "%s"' % key, tampered(lambda d: delk(d, key)))
vec('extra-field', 'malformed', 'a key s.16 does not define', tampered(lambda d: setk(d, 'comment', 'hello')))
vec('extra-field-randomness', 'malformed', 'a randomness entry with a third key',
    tampered(lambda d: setk(rv(d, 0, 0), 'w', 0)))
vec('extra-field-ballot', 'malformed', 'a ballot with a key s.14 does not define',
    tampered(lambda d: setk(d['ballot'], 'note', 'x')))
vec('version-1', 'malformed', '"version": 1: a protocol-1 file, whose proofs do not verify under protocol 2',
    tampered(lambda d: setk(d, 'version', 1)))
vec('version-string', 'malformed', '"version": "2"', tampered(lambda d: setk(d, 'version', '2')))
vec('referendum-not-id', 'malformed', '"referendum" is not an id (s.10)', tampered(lambda d: setk(d, 'referendum', 'Park 2026')))
vec('manifest-not-json', 'malformed', 'the manifest text is not JSON', tampered(lambda d: setk(d, 'manifest', MANIFEST_TEXT[:-1])))
bad_manifest = copy.deepcopy(MANIFEST)
bad_manifest['questions'][1]['min'] = 3
vec('manifest-invalid', 'malformed', 'a manifest whose question has min > max',
    tampered(lambda d: setk(d, 'manifest', canon(bad_manifest))))
vec('manifest-object', 'malformed', 'the manifest as a JSON object, not its text', tampered(lambda d: setk(d, 'manifest', MANIFEST)))
vec('electorate-zero', 'malformed', 'an electorate of 0: no packing base', tampered(lambda d: setk(d, 'electorate', 0)))
vec('electorate-string', 'malformed', 'the electorate as text', tampered(lambda d: setk(d, 'electorate', '1000')))
vec('electorate-too-large', 'malformed', 'an electorate of 2^32, above 2^32 - 1', tampered(lambda d: setk(d, 'electorate', 2**32)))


def with_manifest(label, text):
    """A whole audit file, ballot proved, for this manifest text."""
    b, r = make_ballot(label, SEL, manifest_text=text)
    return audit_doc(b, r, manifest_text=text)


# The manifest is the board's bytes, so canonical JSON (s.13) and what jansson
# reads: each of these comes with a ballot made for its h_E, so that only
# that rule refuses it.
vec('manifest-not-canonical', 'malformed', 'a manifest text with a space (not the board\'s bytes), ballot made for it',
    with_manifest('spaced manifest', MANIFEST_TEXT.replace('"id":', '"id": ', 1)))
vec('manifest-duplicate-key', 'malformed', 'a manifest text with "id" twice, ballot made for it',
    with_manifest('duplicate manifest', MANIFEST_TEXT.replace('"id":"north"', '"id":"north","id":"north"', 1)))
vec('manifest-nul', 'malformed', 'a question text holding \\u0000 (jansson refuses it), ballot made for it',
    with_manifest('nul manifest', MANIFEST_TEXT.replace('park?"', 'park?\\u0000"', 1)))
vec('manifest-lone-surrogate', 'malformed', 'a question text holding a lone \\ud800 (not Unicode), ballot made for it',
    with_manifest('surrogate manifest', MANIFEST_TEXT.replace('park?"', 'park?\\ud800"', 1)))
# JSON that JSON.parse takes and jansson does not.
vec('duplicate-key', 'malformed', '"tracker" twice, a wrong one first',
    text=good_text.replace('"tracker":', '"tracker":"%s","tracker":' % b64(bytes(32)), 1))
vec('real-number', 'malformed', '"version": 2.0', text=good_text.replace('"version":2}', '"version":2.0}'))
vec('v-real', 'malformed', 'a revealed value 1.0', text=good_text.replace('"v":1}', '"v":1.0}', 1))
deep = canon(dict(GOOD, tracker='AAAA', ballot='DEEP')).replace('"DEEP"', '[' * 2049 + ']' * 2049)
vec('too-deep', 'malformed', 'arrays nested 2049 deep for the ballot (jansson reads 2048), and a short tracker: '
    'the JSON is refused before the tracker is read', text=deep)
vec('randomness-short', 'malformed', 'question 2 has three choices, its randomness two',
    tampered(lambda d: d['randomness'][1].pop()))
vec('randomness-one-question', 'malformed', 'one randomness list for two questions',
    tampered(lambda d: d['randomness'].pop()))
vec('randomness-packed-two', 'malformed', 'question 1 is packed (one ciphertext): two randomness entries for it',
    tampered(lambda d: d['randomness'][0].append(copy.deepcopy(rv(d, 0, 0)))))
vec('v-2', 'malformed', 'a packed question\'s revealed value 2 (its values are 1 and M)',
    tampered(lambda d: setk(rv(d, 0, 0), 'v', 2)))
vec('v-0-no-blank', 'malformed', 'a packed question\'s revealed value 0: blank, which min 1 does not allow',
    tampered(lambda d: setk(rv(d, 0, 0), 'v', 0)))
vec('v-M-plus-1', 'malformed', 'a packed question\'s revealed value M + 1 (both choices)',
    tampered(lambda d: setk(rv(d, 0, 0), 'v', M + 1)))
vec('v-choice-2', 'malformed', 'a revealed value of 2 for a choice (0 or 1)', tampered(lambda d: setk(rv(d, 1, 1), 'v', 2)))
vec('v-boolean', 'malformed', 'a revealed value true', tampered(lambda d: setk(rv(d, 1, 1), 'v', True)))
vec('r-number', 'malformed', 'a randomness that is a number', tampered(lambda d: setk(rv(d, 1, 0), 'r', 5)))
vec('ballot-not-object', 'malformed', 'the ballot as its text, not an object', tampered(lambda d: setk(d, 'ballot', canon(BALLOT))))
SIGNED = sign_ballot(Draws('signature'), BALLOT, x_cred, K_B, H_R, H_E)
vec('ballot-signed', 'malformed', 'the ballot signed by its credential, so castable: an audited ballot is never '
    'signed (s.16; its tracker is the same)', tampered(lambda d: setk(d, 'ballot', SIGNED)))
vec('ballot-one-answer', 'malformed', 'a ballot answering one of the two questions',
    tampered(lambda d: d['ballot']['answers'].pop(), retrack=True))
vec('ballot-sum-branches', 'malformed', 'a sum proof with one branch too few for min..max',
    tampered(lambda d: ans(d, 1)['proof'].pop(), retrack=True))
vec('ballot-packed-branches', 'malformed', 'a packed proof with one branch too few for its values (1, M)',
    tampered(lambda d: ans(d, 0)['proof'].pop(), retrack=True))
vec('ballot-not-packed', 'malformed', 'question 1 answered one ciphertext a choice (its max is 1 of 2: packed, s.6)',
    tampered(lambda d: setk(d['ballot']['answers'], 0, {'choices': [ch(d, 1, 0), ch(d, 1, 1)], 'proof': ans(d, 1)['proof'][:1]}),
             retrack=True))

# ---- bad_encoding ----
vec('r-not-base64url', 'bad_encoding', 'a randomness that is not base64url', tampered(lambda d: setk(rv(d, 1, 0), 'r', 'not base64url!')))
vec('r-not-below-l', 'bad_encoding', 'a randomness equal to l (scalars must be below l)', tampered(lambda d: setk(rv(d, 1, 0), 'r', L_BYTES)))
vec('election-key-not-point', 'bad_encoding', 'an election key that is no ristretto255 encoding',
    tampered(lambda d: setk(d, 'election_key', NOT_A_POINT)))
vec('election-key-identity', 'bad_encoding', 'the identity as election key', tampered(lambda d: setk(d, 'election_key', b64(bytes(32)))))
vec('tracker-short', 'bad_encoding', 'a tracker of 3 bytes', tampered(lambda d: setk(d, 'tracker', 'AAAA')))
vec('referendum-hash-short', 'bad_encoding', 'a referendum_hash of 3 bytes', tampered(lambda d: setk(d, 'referendum_hash', 'AAAA')))
vec('referendum-hash-not-base64url', 'bad_encoding', 'a referendum_hash that is not base64url',
    tampered(lambda d: setk(d, 'referendum_hash', 'not base64url!')))
vec('alpha-not-point', 'bad_encoding', 'the packed ciphertext\'s alpha that is no point',
    tampered(lambda d: setk(ans(d, 0), 'alpha', NOT_A_POINT)))
vec('proof-c-not-below-l', 'bad_encoding', 'a proof challenge equal to l',
    tampered(lambda d: setk(ch(d, 1, 2)['proof'][0], 'c', L_BYTES)))
vec('credential-identity', 'bad_encoding', 'the identity as the ballot\'s credential',
    tampered(lambda d: setk(d['ballot'], 'credential', b64(bytes(32)))))

# ---- bad_proof: the ballot is unsigned, so a change anything binds fails a proof ----
vec('proof-changed', 'bad_proof', 'a 0-or-1 proof\'s z plus one',
    tampered(lambda d: setk(ch(d, 1, 1)['proof'][1], 'z', plus1(ch(d, 1, 1)['proof'][1]['z']))))
vec('packed-proof-changed', 'bad_proof', 'the packed proof\'s z plus one',
    tampered(lambda d: setk(ans(d, 0)['proof'][1], 'z', plus1(ans(d, 0)['proof'][1]['z']))))
vec('sum-proof-changed', 'bad_proof', 'a sum proof\'s c plus one',
    tampered(lambda d: setk(ans(d, 1)['proof'][2], 'c', plus1(ans(d, 1)['proof'][2]['c']))))
vec('ciphertexts-swapped', 'bad_proof', 'two choices\' ciphertexts and proofs swapped (their randomness too)',
    tampered(lambda d: swap(ans(d, 1)['choices'], 0, 1), lambda d: swap(d['randomness'][1], 0, 1), retrack=True))
OTHER_TEXT = copy.deepcopy(MANIFEST)
OTHER_TEXT['questions'][0]['text']['en'] = 'Should the city sell the park?'
OTHER_TEXT = canon(OTHER_TEXT)
vec('manifest-changed', 'bad_proof', 'a question\'s text changed: h_E differs, and every proof binds it',
    tampered(lambda d: setk(d, 'manifest', OTHER_TEXT)))
vec('credential-changed', 'bad_proof', 'the ballot\'s credential replaced by 3G: the proofs bind it',
    tampered(lambda d: setk(d['ballot'], 'credential', b64(encode(pmul(3, G)))), retrack=True))
OTHER_H_R = hash32(b'another referendum entry')
vec('election-key-changed', 'bad_proof', 'another election key: the proofs bind K (s.11, protocol 2)',
    tampered(lambda d: setk(d, 'election_key', b64(encode(pmul(5, G))))))
vec('referendum-hash-changed', 'bad_proof', 'another referendum hash: the proofs bind h_R (s.11, protocol 2), so a '
    'ballot of one referendum does not check as another\'s (same region, key and credential)',
    tampered(lambda d: setk(d, 'referendum_hash', b64(OTHER_H_R))))
vec('electorate-changed', 'bad_proof', 'the Yes ballot (v = 1) with electorate 1024 for 1000: base M = 2048, not '
    '1024, so the packed proof (over 1, M) fails', audit_doc(b2, r2, electorate=1024))
vec('electorate-changed-v', 'malformed', 'the No ballot (v = 1024) with electorate 1024 for 1000: v is no value '
    'under M = 2048', tampered(lambda d: setk(d, 'electorate', 1024)))
b5, r5 = ref_ballot(Draws('forged two'), MANIFEST, ELECTORATE, REFERENDUM, REGION, H_R, K, X_B, SEL, forge={0: 2})
r5[0][0]['v'] = 1  # an allowed value, so that the file's shape holds
vec('packed-value-2', 'bad_proof', 'question 1 encrypts 2 (two votes for Yes), with a proof over 1, 2 in place of '
    '1, M: no proof over the allowed values holds', audit_doc(b5, r5))

# ---- mismatch: the file against itself ----
vec('tracker-changed', 'mismatch', 'a tracker that is not the ballot\'s hash32', tampered(lambda d: setk(d, 'tracker', b64(hash32(b'x')))))
vec('region-not-ballots', 'mismatch', 'the file says region south, the ballot north', tampered(lambda d: setk(d, 'region', 'south')))
vec('referendum-not-ballots', 'mismatch', 'the file names another referendum', tampered(lambda d: setk(d, 'referendum', 'other-2026')))
SOUTH = copy.deepcopy(MANIFEST)
SOUTH['id'] = 'south'
vec('manifest-other-region', 'mismatch', 'the manifest of region south for a ballot of north', tampered(lambda d: setk(d, 'manifest', canon(SOUTH))))

# ---- mismatch: the openings ----
vec('wrong-r', 'mismatch', 'question 2 choice 1: another r (alpha is not rG)', tampered(lambda d: setk(rv(d, 1, 0), 'r', b64(sc(12345)))))
vec('wrong-v', 'mismatch', 'question 2 choice 2: v 1 where the ciphertext holds 0 (beta is not rK + vG)',
    tampered(lambda d: setk(rv(d, 1, 1), 'v', 1)))
vec('selection-changed', 'mismatch', 'question 1 shown as Yes (v = 1) where the ballot holds No (v = M)',
    tampered(lambda d: setk(rv(d, 0, 0), 'v', 1)))
vec('r-swapped', 'mismatch', 'question 2: the randomness of choices 1 and 3 swapped',
    tampered(lambda d: swap(d['randomness'][1], 0, 2)))
b3, r3 = make_ballot('another ballot', SEL)
vec('randomness-of-another-ballot', 'mismatch', 'a valid ballot with the randomness of another ballot of the same selections',
    tampered(lambda d: setk(d, 'randomness', r3)))
vec('ballot-of-another-audit', 'mismatch', 'another valid ballot (and its tracker) with this file\'s randomness',
    tampered(lambda d: setk(d, 'ballot', b3), lambda d: setk(d, 'tracker', tracker(b3))))

# Every name once; the good document checks out here too (openings, tracker).
assert len({v['name'] for v in vectors}) == len(vectors)
for q, rs in enumerate(RAND):
    for k, o in enumerate(rs):
        ct = ans(GOOD, q) if len(rs) == 1 and 'choices' not in ans(GOOD, q) else ch(GOOD, q, k)
        r = int.from_bytes(unb64(o['r']), 'little')
        assert unb64(ct['alpha']) == encode(pmul(r, G))
        assert unb64(ct['beta']) == encode(padd(pmul(r, K), pmul(o['v'], G)))
assert RAND[0][0]['v'] == M and 'signature' not in BALLOT

out = {
    'description': 'Benaloh audit files (docs/protocol.md s.16, protocol 2: the ballot unsigned, question 1 '
                   'packed) and the verdict each must get: "ok" (with the '
                   'selections) or the class of the first check that fails (s.16 lists them in order). '
                   '"file" is the file\'s text, "file_hex" its bytes. Generated by tests/vectors/gen_audit.py '
                   '(hashlib and a plain-Python ristretto255, deterministic); read by tests/unit/test_audit.c '
                   '(audit_check, which urna audit-ballot runs) and web/tests (the booth\'s auditCheck). '
                   'urna audit-ballot exits 0 for ok, 2 for malformed, 1 for the other classes.',
    'referendum': REFERENDUM, 'region': REGION, 'credential': CRED,
    'vectors': vectors,
}
print(json.dumps(out, indent=1, ensure_ascii=False))
