// crypto.test.mjs: the booth's ballots hold together (docs/protocol.md s.6,
// s.11, s.13, s.14, s.16): proofs and signature verify, tampering is caught,
// every proof is bound to h_R, h_E, K and the credential (protocol 2), a
// yes/no question is packed (one ciphertext of 0, 1 or M), the tracker is
// the unsigned ballot's, the Benaloh audit (of an unsigned ballot) opens
// every ciphertext, canonical JSON is jansson's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as U from '../js/urna-crypto.js';

await U.ready();

const manifest = {
	id: 'north',
	name: { en: 'North', ru: 'Север' },
	questions: [
		{ text: { en: 'Yes or no?', ru: 'Да или нет?' }, choices: [{ en: 'Yes' }, { en: 'No' }], min: 1, max: 1 },
		{ text: { en: 'Pick up to two' }, choices: [{ en: 'A' }, { en: 'B' }, { en: 'C' }], min: 0, max: 2 },
	],
};
const manifestText = U.canonicalJson(manifest);
const K = U.b64url(U.baseMul(U.scalarRandom()));
const cred = U.normaliseCredential(U.credentialNew());
const { x, X } = U.credentialKeys('demo', 'north', cred);
// The board's first line as served, and h_R from it.
const line = '{"seq":0,"prev":"' + 'A'.repeat(43) + '","time":1782853200,"kind":"referendum","by":"organizer","sig":"' + 'A'.repeat(86) + '","body":{"id":"demo","title":{"en":"Demo"}}}\n';
const hR = U.referendumHash(line, 'demo');

const ELECTORATE = 100; // M = 128

function build(selections) {
	const e = U.encryptBallot({ referendum: 'demo', region: 'north', referendumHash: hR, manifestBytes: U.utf8(manifestText), manifest, electionKey: K, electorate: ELECTORATE, X, selections });
	return { ...e, signed: U.signBallot(e.ballot, e.bind, x) };
}

test('s.13 canonical JSON sorts keys by bytes and is compact', () => {
	assert.equal(U.canonicalJson({ b: 1, a: [true, null, 'é'], B: { z: 'x', A: 2 } }), '{"B":{"A":2,"z":"x"},"a":[true,null,"é"],"b":1}');
	assert.equal(U.canonicalJson('\u0001'), '"\\u0001"');
	assert.equal(U.canonicalJson('\u001f'), '"\\u001F"');
});

test('s.6, s.14 a ballot verifies and every selection count is proved', () => {
	for (const sel of [[[1, 0], [0, 0, 0]], [[0, 1], [1, 0, 1]], [[1, 0], [0, 1, 0]]]) {
		const b = build(sel);
		assert.equal(U.verifyBallot(b.signed.ballot, manifest, hR, b.h_E, K, ELECTORATE), null);
		assert.equal(b.signed.ballot.answers[1].proof.length, 3);
		assert.equal(b.signed.ballot.answers[0].choices, undefined, 'yes/no: packed');
		assert.equal(b.signed.ballot.answers[0].proof.length, 2, 'values 1, M');
		assert.deepEqual(b.signed.tracker, b.tracker, 'the tracker is the unsigned ballot\'s');
		assert.equal(b.signed.trackerText, b.trackerText);
		assert.equal(b.signed.bytes, U.canonicalJson(JSON.parse(b.signed.bytes)));
		assert.equal(b.signed.trackerText.split('-').length, 13);
	}
	// the packed plaintext: beta - rK = vG, v = 1 or M
	for (const [sel, v] of [[[[1, 0], [0, 0, 0]], 1], [[[0, 1], [0, 0, 0]], 128]]) {
		const b = build(sel);
		const { r } = b.secrets.randomness[0][0];
		assert.equal(b.secrets.randomness[0][0].v, v);
		assert.deepEqual(U.sub(U.fromB64url(b.ballot.answers[0].beta, 32), U.mul(r, U.fromB64url(K, 32))), U.smallBase(v));
		// under another electorate's base the packed proof fails
		assert.match(U.verifyBallot(b.signed.ballot, manifest, hR, b.h_E, K, 128), /question 0 \(packed\): bad proof/);
		assert.equal(U.verifyBallot(b.signed.ballot, manifest, hR, b.h_E, K, 127), null, 'the same M');
	}
	assert.throws(() => build([[1, 1], [0, 0, 0]]), /select between 1 and 1/);
	assert.throws(() => build([[1, 0], [1, 1, 1]]), /select between 0 and 2/);
});

test('s.6 tampering is caught: a swapped ciphertext, another region, a bad signature', () => {
	const b = build([[1, 0], [0, 0, 0]]);
	const t = structuredClone(b.signed.ballot);
	[t.answers[1].choices[0], t.answers[1].choices[1]] = [t.answers[1].choices[1], t.answers[1].choices[0]];
	assert.match(U.verifyBallot(t, manifest, hR, b.h_E, K, ELECTORATE), /bad proof/);
	const p = structuredClone(b.signed.ballot);
	[p.answers[0].proof[0].c, p.answers[0].proof[1].c] = [p.answers[0].proof[1].c, p.answers[0].proof[0].c];
	assert.match(U.verifyBallot(p, manifest, hR, b.h_E, K, ELECTORATE), /question 0 \(packed\): bad proof/);
	assert.match(U.verifyBallot(b.signed.ballot, manifest, hR, U.hash32(U.utf8('other')), K, ELECTORATE), /bad proof/);
	const s = structuredClone(b.signed.ballot);
	s.region = 'south';
	assert.equal(U.verifyBallot(s, manifest, hR, b.h_E, K, ELECTORATE), 'bad signature');
});

test('s.11 protocol 2: h_R from the board\'s first line; the proofs and the signature bind h_R and K', () => {
	assert.deepEqual(hR, U.hash32(U.utf8('{"id":"demo","title":{"en":"Demo"}}')));
	assert.deepEqual(U.referendumHash(U.utf8(line)), hR);
	assert.throws(() => U.referendumHash(line, 'other'), { code: 'malformed' });
	assert.throws(() => U.referendumHash(line.replace('"seq":0', '"seq":1')), { code: 'malformed' });
	assert.throws(() => U.referendumHash(line.replace('referendum', 'region')), { code: 'malformed' });
	const b = build([[1, 0], [0, 1, 0]]);
	const otherR = U.hash32(U.utf8('another referendum'));
	const otherK = U.b64url(U.baseMul(U.scalarRandom()));
	// The signature is checked last here and binds both: the proofs fail first.
	assert.match(U.verifyBallot(b.signed.ballot, manifest, otherR, b.h_E, K, ELECTORATE), /bad proof/);
	assert.match(U.verifyBallot(b.signed.ballot, manifest, hR, b.h_E, otherK, ELECTORATE), /bad proof/);
	// Without its signature the proofs alone: another h_R fails each one.
	const { signature, ...unsigned } = b.signed.ballot;
	assert.ok(signature);
	assert.equal(U.verifyBallot(unsigned, manifest, hR, b.h_E, K, ELECTORATE), null);
	assert.match(U.verifyBallot(unsigned, manifest, otherR, b.h_E, K, ELECTORATE), /question 0 \(packed\): bad proof/);
	// The signature alone: it signs the tracker; another h_R or K fails it.
	const msg = U.hash32(U.utf8(U.canonicalJson(unsigned)));
	assert.deepEqual(msg, b.tracker);
	const sig = { A: U.fromB64url(signature.A, 32), z: U.fromB64url(signature.z, 32) };
	assert.equal(U.signatureVerify(b.bind, msg, sig), true);
	assert.equal(U.signatureVerify({ ...b.bind, h_R: otherR }, msg, sig), false);
	assert.equal(U.signatureVerify({ ...b.bind, K: U.fromB64url(otherK, 32) }, msg, sig), false);
	// The prover refuses to work without h_R, and signBallot without the bind.
	assert.throws(() => U.encryptBallot({ referendum: 'demo', region: 'north', manifestBytes: U.utf8(manifestText), manifest, electionKey: K, electorate: ELECTORATE, X, selections: [[1, 0], [0, 0, 0]] }), { code: 'malformed' });
	// and without the electorate there is no packing base
	assert.throws(() => U.encryptBallot({ referendum: 'demo', region: 'north', referendumHash: hR, manifestBytes: U.utf8(manifestText), manifest, electionKey: K, X, selections: [[1, 0], [0, 0, 0]] }), { code: 'malformed' });
	assert.throws(() => U.signBallot(unsigned, b.h_E, x), { code: 'malformed' });
});

test('s.11 protocol 2: a range proof whose key is chosen after its challenge is refused', () => {
	// With alpha = rG, A = aG, z = a + c r, K' = z^-1 (B + c (beta - G)) makes
	// both equations of a one-branch proof "holds 1" true for any beta; the
	// challenge hashes K, so under K' it is another one and the proof fails.
	const bind = { h_R: hR, h_E: U.hash32(U.utf8(manifestText)), K: U.fromB64url(K, 32), X };
	const r = U.scalarRandom();
	const a = U.scalarRandom();
	const ct = { alpha: U.baseMul(r), beta: U.baseMul(U.scalarRandom()) };
	const br = [{ A: U.baseMul(a), B: U.baseMul(U.scalarRandom()) }];
	br[0].c = U.rangeChallenge(bind, 0, 0, ct, br, 1, 1);
	br[0].z = U.sAdd(a, U.sMul(br[0].c, r));
	const Kf = U.mul(U.sInvert(br[0].z), U.add(br[0].B, U.mul(br[0].c, U.sub(ct.beta, U.smallBase(1)))));
	// Both equations hold under K'.
	assert.deepEqual(U.baseMul(br[0].z), U.add(br[0].A, U.mul(br[0].c, ct.alpha)));
	assert.deepEqual(U.mul(br[0].z, Kf), U.add(br[0].B, U.mul(br[0].c, U.sub(ct.beta, U.smallBase(1)))));
	assert.equal(U.rangeVerify({ ...bind, K: Kf }, 0, 0, ct, br, 1, 1), false);
	assert.notDeepEqual(U.rangeChallenge({ ...bind, K: Kf }, 0, 0, ct, br, 1, 1), br[0].c);
});

test('s.16 audit: the unsigned ballot\'s document opens every ciphertext; a lie about v is caught; a signed one is refused', () => {
	const sel = [[0, 1], [1, 0, 1]];
	const b = build(sel);
	const audit = U.auditFile({ referendum: 'demo', region: 'north', referendumHash: hR, manifestText, electionKey: K, electorate: ELECTORATE, built: b });
	assert.equal(audit.version, 2);
	assert.equal(audit.referendum_hash, U.b64url(hR));
	assert.equal(audit.ballot.signature, undefined, 'an audited ballot is never signed');
	assert.deepEqual(audit.randomness[0].map((o) => o.v), [128], 'packed: one entry, v = M');
	const ok = U.auditCheck(JSON.stringify(audit));
	assert.equal(ok.ok, true, ok.reason);
	assert.deepEqual(ok.referendumHash, hR);
	const otherR = structuredClone(audit);
	otherR.referendum_hash = U.b64url(U.hash32(U.utf8('another referendum')));
	assert.equal(U.auditCheck(JSON.stringify(otherR)).code, 'bad_proof');
	assert.deepEqual(ok.selections, sel);
	assert.deepEqual(ok.tracker, b.signed.tracker, 'the tracker shown before signing is the cast ballot\'s');
	assert.deepEqual(U.auditCheck(U.utf8(U.canonicalJson(audit))).selections, sel);
	const lie = structuredClone(audit);
	lie.randomness[0][0].v = 1;
	assert.deepEqual(U.auditCheck(JSON.stringify(lie)).code, 'mismatch');
	assert.match(U.auditCheck(JSON.stringify(lie)).reason, /beta is not rK \+ vG/);
	const other = structuredClone(audit);
	other.tracker = U.b64url(U.hash32(U.utf8('x')));
	assert.match(U.auditCheck(JSON.stringify(other)).reason, /tracker/);
	const signed = structuredClone(audit);
	signed.ballot = b.signed.ballot;
	const got = U.auditCheck(JSON.stringify(signed));
	assert.equal(got.code, 'malformed');
	assert.match(got.reason, /signed/);
	assert.throws(() => U.auditFile({ referendum: 'demo', region: 'north', referendumHash: hR, manifestText, electionKey: K, electorate: ELECTORATE, built: b.signed }), { code: 'malformed' });
});
