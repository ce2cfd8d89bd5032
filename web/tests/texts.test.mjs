// texts.test.mjs: the interface texts of js/common.js. Russian has every
// English key with the same {placeholders}, every text is used by a page, and
// every error code of src/record/error.c has its message.
// Run: node --test web/tests/texts.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { ERRORS, STRINGS } from '../js/common.js';

const read = (path) => readFileSync(new URL('../../' + path, import.meta.url), 'utf8');
const holes = (text) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

// The pages' code, and common.js without its own tables.
const common = read('web/js/common.js');
const code = readdirSync(new URL('../js/', import.meta.url))
	.filter((f) => f !== 'common.js').map((f) => read('web/js/' + f))
	.concat(common.slice(common.indexOf('export function lang'))).join('\n');
const quoted = (key) => code.includes(`'${key}'`);

for (const [name, table] of Object.entries({ STRINGS, ERRORS })) {
	test(`${name}: Russian has the English keys, with the same placeholders`, () => {
		assert.deepEqual(Object.keys(table.ru).sort(), Object.keys(table.en).sort());
		for (const k of Object.keys(table.en)) assert.deepEqual(holes(table.ru[k]), holes(table.en[k]), k);
	});
}

test('every interface text is used', () => {
	// As t('key') or header's link(href, 'key', name); status_* as
	// t('status_' + status).
	const used = (k) => k.startsWith('status_') || new RegExp(`(\\bt\\(|, )'${k}'`).test(code);
	const unused = Object.keys(STRINGS.en).filter((k) => !used(k));
	assert.deepEqual(unused, []);
});

test('a message for every error code of src/record/error.c, and no other but the booth\'s own', () => {
	const server = [...read('src/record/error.c').matchAll(/\[URNA_E_\w+\] = "(\w+)"/g)].map((m) => m[1]);
	assert.ok(server.length > 10, 'error.c read');
	assert.deepEqual(server.filter((c) => !(c in ERRORS.en)), []);
	assert.deepEqual(Object.keys(ERRORS.en).filter((c) => !server.includes(c) && !quoted(c)), []);
});
