// vectors.test.mjs: the booth's crypto against the shared known answers in
// tests/vectors/crypto.json (docs/protocol.md s.2, s.11, s.12, s.14), the
// same file the C unit tests read: among them protocol 2's challenges of the
// booth's two proofs (range, signature), each computed as Python does, its
// proof holding, and failing under every altered statement. (The trustees'
// proofs, pok and decrypt, have no JavaScript side: the C test runs those.)
// A proof of the same statement made with the version-1 transcript fails.
// Packed questions (s.6): the packed proofs hold and fail likewise, a
// ciphertext of a value no question allows is refused, and whole ballots
// made from Python's draws are Python's bytes, as the C prover's are.
// Run: node --test web/tests/vectors.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as U from '../js/urna-crypto.js';

const file = fileURLToPath(new URL('../../tests/vectors/crypto.json', import.meta.url));
const V = JSON.parse(readFileSync(file, 'utf8'));
await U.ready();

test('s.2 H: tag, 0x00 and length-prefixed items', () => {
	for (const v of V.H) assert.equal(U.toHex(U.H(v.tag, ...v.items.map(U.fromHex))), v.output, v.description);
});

test('s.2 Hs: H reduced mod l', () => {
	for (const v of V.Hs) assert.equal(U.toHex(U.Hs(v.tag, ...v.items.map(U.fromHex))), v.output, v.description);
});

test('s.2 hash32: first 32 bytes of H("bytes", x)', () => {
	for (const v of V.hash32) assert.equal(U.toHex(U.hash32(U.fromHex(v.input))), v.output, v.description);
});

test('s.12 credentials: normalising, check bytes, x and X', () => {
	for (const v of V.credential) {
		assert.equal(U.b32(U.fromHex(v.bytes), 4), v.display, v.description);
		assert.equal(U.normaliseCredential(v.typed), v.normalised);
		assert.equal(U.normaliseCredential(v.display), v.normalised);
		const { x, X } = U.credentialKeys(v.referendum, v.region, v.normalised);
		assert.equal(U.toHex(x), v.x);
		assert.equal(U.toHex(X), v.X);
		assert.equal(U.b64url(X), v.X_b64);
		// A typo breaks the check bytes: "malformed credential", not "unknown".
		const typo = v.display.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'));
		assert.throws(() => U.normaliseCredential(typo), { code: 'malformed_credential', message: 'malformed credential' });
		assert.throws(() => U.normaliseCredential(v.display.slice(0, -1)), { message: 'malformed credential' });
	}
});

test('s.14 tracker: hash32 of the ballot bytes, base32 in groups of four', () => {
	for (const v of V.tracker) {
		const h = U.hash32(U.utf8(v.ballot));
		assert.equal(U.toHex(h), v.hash, v.description);
		assert.equal(U.b32(h, 4), v.base32);
		assert.equal(U.b64url(h), v.b64url);
		assert.equal(U.toHex(U.fromB32(v.base32, 32)), v.hash);
		assert.equal(U.canonicalJson(JSON.parse(v.ballot)), v.ballot, 'canonical JSON round trip');
	}
});

test('s.2 base64url: known answers and rejected encodings', () => {
	for (const v of V.b64url) {
		assert.equal(U.b64url(U.fromHex(v.hex)), v.text, v.description);
		assert.equal(U.toHex(U.fromB64url(v.text, v.hex.length / 2)), v.hex, v.description);
	}
	for (const v of V.b64url_reject) assert.throws(() => U.fromB64url(v.text, v.bytes), undefined, v.description);
});

test('s.12 base32: known answers and rejected encodings', () => {
	for (const v of V.b32) {
		assert.equal(U.b32(U.fromHex(v.hex)), v.text, v.description);
		assert.equal(U.toHex(U.fromB32(v.text, v.hex.length / 2)), v.hex, v.description);
	}
	for (const v of V.b32_reject) assert.throws(() => U.fromB32(v.text, v.bytes), undefined, v.description);
});

/** The statement with one altered field (a FIELD of hex bytes or a number). */
function altered(st, alt) {
	return { ...st, [alt.field]: alt.value };
}

function bindOf(st) {
	return { K: U.fromHex(st.K), h_R: U.fromHex(st.h_R), h_E: U.fromHex(st.h_E), X: U.fromHex(st.X) };
}

function checkRange(st, proof) {
	const ct = { alpha: U.fromHex(st.alpha), beta: U.fromHex(st.beta) };
	const br = proof.map((b) => ({ A: U.fromHex(b.A), B: U.fromHex(b.B), c: U.fromHex(b.c), z: U.fromHex(b.z) }));
	const bind = bindOf(st);
	return {
		c: U.toHex(U.rangeChallenge(bind, st.question, st.choice, ct, br, st.lo, st.hi)),
		ok: U.rangeVerify(bind, st.question, st.choice, ct, br, st.lo, st.hi),
	};
}

function checkPacked(st, proof) {
	const ct = { alpha: U.fromHex(st.alpha), beta: U.fromHex(st.beta) };
	const br = proof.map((b) => ({ A: U.fromHex(b.A), B: U.fromHex(b.B), c: U.fromHex(b.c), z: U.fromHex(b.z) }));
	const bind = bindOf(st);
	return {
		c: U.toHex(U.packedChallenge(bind, st.question, ct, br, st.values)),
		ok: U.packedVerify(bind, st.question, ct, br, st.values),
	};
}

function checkSignature(st, proof) {
	const sig = { A: U.fromHex(proof.A), z: U.fromHex(proof.z) };
	const bind = bindOf(st);
	const msg = U.fromHex(st.msg);
	return { c: U.toHex(U.signatureChallenge(bind, msg, sig.A)), ok: U.signatureVerify(bind, msg, sig) };
}

for (const [kind, check] of [['range', checkRange], ['packed', checkPacked], ['signature', checkSignature]]) {
	test(`s.11 protocol 2 ${kind}: the challenge hashes the whole statement; altered statements fail`, () => {
		assert.ok(V.proofs[kind].length > 0);
		for (const v of V.proofs[kind]) {
			const got = check(v.statement, v.proof);
			assert.equal(got.c, v.challenge, v.description);
			assert.equal(got.ok, true, v.description);
			if (kind !== 'packed') // packed questions are new in version 2
				assert.equal(check(v.statement, v.version_1_proof).ok, false, `${v.description}: a version-1 proof holds`);
			assert.ok(v.altered.length > 0);
			for (const alt of v.altered) {
				const bad = check(altered(v.statement, alt), v.proof);
				assert.equal(bad.ok, false, `${v.description}: ${alt.field} altered (${alt.description})`);
				assert.notEqual(bad.c, v.challenge, alt.field);
			}
		}
	});
}

test('s.6 packed: a ciphertext of 2, M + 1, M^2 or M - 1 has no proof over 0, 1, M', () => {
	assert.ok(V.packed_unallowed.vectors.length >= 4);
	for (const v of V.packed_unallowed.vectors) {
		const got = checkPacked(v.statement, v.proof);
		assert.equal(got.ok, false, v.description);
		assert.equal(got.c, v.challenge);
	}
});

test('s.14 ballots from fixed draws: the booth makes Python\'s (and the C prover\'s) bytes, unsigned and signed', () => {
	assert.ok(V.ballots.vectors.length >= 3);
	for (const v of V.ballots.vectors) {
		const draws = v.draws.map(U.fromHex);
		let i = 0;
		const draw = () => {
			assert.ok(i < draws.length, 'more draws used than the C prover takes');
			return draws[i++];
		};
		const manifest = JSON.parse(v.manifest);
		const e = U.encryptBallot({ referendum: v.referendum, region: v.region, referendumHash: U.fromHex(v.h_R),
			manifestBytes: U.utf8(v.manifest), manifest, electionKey: U.b64url(U.fromHex(v.K)), electorate: v.electorate,
			X: U.fromHex(v.X), selections: v.selections, draw });
		assert.equal(e.bytes, v.unsigned, v.description);
		assert.equal(U.toHex(e.tracker), v.tracker);
		const signed = U.signBallot(e.ballot, e.bind, U.fromHex(v.x), draw);
		assert.equal(i, draws.length, 'every draw used');
		assert.equal(signed.bytes, v.signed, v.description);
		assert.equal(U.toHex(signed.tracker), v.tracker, 'signing keeps the tracker');
		assert.deepEqual(e.secrets.randomness.map((rs) => rs.map(({ r, v: x }) => ({ r: U.b64url(r), v: x }))), v.randomness);
		assert.equal(U.verifyBallot(signed.ballot, manifest, U.fromHex(v.h_R), U.hash32(U.utf8(v.manifest)), U.b64url(U.fromHex(v.K)), v.electorate), null);
	}
});
