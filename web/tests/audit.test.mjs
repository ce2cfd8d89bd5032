// audit.test.mjs: the booth's audit check (urna-crypto.js auditCheck,
// docs/protocol.md s.16) against the shared vectors of tests/vectors/audit.json
// (tests/vectors/gen_audit.py), the same file tests/unit/test_audit.c runs
// through the record layer's audit_check: every file gets the same verdict.
// Run: node --test web/tests/audit.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as U from '../js/urna-crypto.js';

const file = fileURLToPath(new URL('../../tests/vectors/audit.json', import.meta.url));
const V = JSON.parse(readFileSync(file, 'utf8'));
await U.ready();

/** A vector's file as the audit page reads it: its bytes. */
export const bytesOf = (v) => (v.file_hex !== undefined ? U.fromHex(v.file_hex) : U.utf8(v.file));

test('s.16 audit vectors: every file gets its verdict, from its bytes and from its text', () => {
	assert.ok(V.vectors.length >= 40);
	for (const v of V.vectors) {
		const inputs = [bytesOf(v)];
		if (v.file !== undefined) inputs.push(v.file);
		for (const input of inputs) {
			const got = U.auditCheck(input);
			assert.equal(got.ok ? 'ok' : got.code, v.verdict, `${v.name} (${v.description}): ${got.reason ?? 'audit OK'}`);
			if (got.ok) {
				assert.deepEqual(got.selections, v.selections, v.name);
				assert.equal(got.referendum, V.referendum);
				assert.equal(got.region, V.region);
				assert.equal(U.b64url(got.tracker), JSON.parse(U.canonicalJson(JSON.parse(v.file))).tracker);
			} else {
				assert.ok(got.reason.length > 0, v.name);
			}
		}
	}
});

test('s.16 audit: a file over the ceiling is too_large before it is read', () => {
	const big = new Uint8Array(2 * 16 * 1024 * 1024 + 1).fill(32);
	assert.equal(U.auditCheck(big).code, 'too_large');
	assert.equal(U.auditCheck('').code, 'malformed');
	assert.equal(U.auditCheck('{}').code, 'malformed');
	assert.throws(() => U.auditCheck({}), TypeError);
});
