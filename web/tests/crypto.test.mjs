// crypto.test.mjs: the booth's ballots hold together (docs/protocol.md s.6,
// s.13, s.14, s.16): proofs and signature verify, tampering is caught, the
// Benaloh audit opens every ciphertext, canonical JSON is jansson's.
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

function build(selections) {
	const e = U.encryptBallot({ referendum: 'demo', region: 'north', manifestBytes: U.utf8(manifestText), manifest, electionKey: K, X, selections });
	return { ...e, signed: U.signBallot(e.ballot, e.h_E, x) };
}

test('s.13 canonical JSON sorts keys by bytes and is compact', () => {
	assert.equal(U.canonicalJson({ b: 1, a: [true, null, 'é'], B: { z: 'x', A: 2 } }), '{"B":{"A":2,"z":"x"},"a":[true,null,"é"],"b":1}');
	assert.equal(U.canonicalJson('\u0001'), '"\\u0001"');
	assert.equal(U.canonicalJson('\u001f'), '"\\u001F"');
});

test('s.6, s.14 a ballot verifies and every selection count is proved', () => {
	for (const sel of [[[1, 0], [0, 0, 0]], [[0, 1], [1, 0, 1]], [[1, 0], [0, 1, 0]]]) {
		const b = build(sel);
		assert.equal(U.verifyBallot(b.signed.ballot, manifest, b.h_E, K), null);
		assert.equal(b.signed.ballot.answers[1].proof.length, 3);
		assert.equal(b.signed.bytes, U.canonicalJson(JSON.parse(b.signed.bytes)));
		assert.equal(b.signed.trackerText.split('-').length, 13);
	}
	assert.throws(() => build([[1, 1], [0, 0, 0]]), /select between 1 and 1/);
	assert.throws(() => build([[1, 0], [1, 1, 1]]), /select between 0 and 2/);
});

test('s.6 tampering is caught: a swapped ciphertext, another region, a bad signature', () => {
	const b = build([[1, 0], [0, 0, 0]]);
	const t = structuredClone(b.signed.ballot);
	[t.answers[0].choices[0], t.answers[0].choices[1]] = [t.answers[0].choices[1], t.answers[0].choices[0]];
	assert.match(U.verifyBallot(t, manifest, b.h_E, K), /bad proof/);
	assert.match(U.verifyBallot(b.signed.ballot, manifest, U.hash32(U.utf8('other')), K), /bad proof/);
	const s = structuredClone(b.signed.ballot);
	s.region = 'south';
	assert.equal(U.verifyBallot(s, manifest, b.h_E, K), 'bad signature');
});

test('s.16 audit: the document opens every ciphertext; a lie about v is caught', () => {
	const sel = [[0, 1], [1, 0, 1]];
	const b = build(sel);
	const audit = U.auditFile({ referendum: 'demo', region: 'north', manifestText, electionKey: K, signed: b.signed, selections: sel, secrets: b.secrets });
	const ok = U.auditCheck(JSON.stringify(audit));
	assert.equal(ok.ok, true, ok.reason);
	assert.deepEqual(ok.selections, sel);
	assert.deepEqual(ok.tracker, b.signed.tracker);
	assert.deepEqual(U.auditCheck(U.utf8(U.canonicalJson(audit))).selections, sel);
	const lie = structuredClone(audit);
	lie.randomness[0][0].v = 1;
	assert.deepEqual(U.auditCheck(JSON.stringify(lie)).code, 'mismatch');
	assert.match(U.auditCheck(JSON.stringify(lie)).reason, /beta is not rK \+ vG/);
	const other = structuredClone(audit);
	other.tracker = U.b64url(U.hash32(U.utf8('x')));
	assert.match(U.auditCheck(JSON.stringify(other)).reason, /tracker/);
});
