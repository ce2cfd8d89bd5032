// run.mjs: browser tests of the booth and the public pages against a real
// `urna serve` (node web/tests/run.mjs BUILD; tests/run.sh runs it). One
// line per case, then "N passed, N failed"; exit status 1 on any failure.
// Screenshots of every page, desktop and phone, go to BUILD/screenshots/.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync, readFileSync, mkdtempSync, rmSync, readdirSync, symlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import { spawnSync } from 'node:child_process';
import { ROOT, SPEC, T, startServer, setupReferendum, launchBrowser } from './harness.mjs';
import * as U from '../js/urna-crypto.js';

const BUILD = process.argv[2] || 'build';
const SHOTS = resolve(ROOT, BUILD, 'screenshots');
mkdirSync(SHOTS, { recursive: true });
const REF = SPEC.id;
await U.ready(); // the tests' own checks of what the booth wrote

let passed = 0;
let failed = 0;

async function step(name, fn) {
	const t0 = Date.now();
	try {
		await fn();
		passed++;
		console.log(`ok   ${name} (${Date.now() - t0} ms)`);
	} catch (e) {
		failed++;
		console.log(`FAIL ${name}: ${(e.stack || String(e)).split('\n').slice(0, 6).join('\n     ')}`);
	}
}

async function shoot(page, name) {
	await page.screenshot({ path: join(SHOTS, `${name}-desktop.png`), fullPage: true });
	await page.setViewportSize({ width: 390, height: 844 });
	await page.screenshot({ path: join(SHOTS, `${name}-phone.png`), fullPage: true });
	await page.setViewportSize({ width: 1280, height: 900 });
}

// The modules' own tests (node:test), one case per file.
for (const [file, name] of [['vectors.test.mjs', 'crypto: shared known-answer vectors (tests/vectors/crypto.json)'],
	['crypto.test.mjs', 'crypto: ballots, proofs, signature, audit documents'],
	['audit.test.mjs', 'audit: the shared audit vectors (tests/vectors/audit.json) through auditCheck in Node'],
	['texts.test.mjs', 'texts: Russian and English alike, every text used, a message per error code']]) {
	await step(name, async () => {
		const r = spawnSync(process.execPath, ['--test', join(ROOT, 'web', 'tests', file)], { encoding: 'utf8' });
		assert.equal(r.status, 0, (r.stdout + r.stderr).split('\n').filter((l) => /not ok|Error|expected|actual/.test(l)).slice(0, 12).join('\n'));
	});
}

let srv;
let browser;
try {
	srv = await startServer(BUILD);
	const { credentials } = setupReferendum(srv);
	browser = await launchBrowser();
	const page = await browser.ctx.newPage();
	page.setDefaultTimeout(10000);
	const consoleErrors = [];
	page.on('pageerror', (e) => consoleErrors.push(String(e)));
	page.on('console', (m) => m.type() === 'error' && !/Failed to load resource/.test(m.text()) && consoleErrors.push(m.text()));
	const base = srv.url;
	const booth = (region) => `${base}/booth.html?ref=${REF}&region=${region}`;
	const [alice, bob, carol] = credentials.north;
	const state = {};

	/** Fills the booth's form and encrypts; returns the tracker shown. */
	async function encrypt(region, choiceId, credential) {
		await page.goto(booth(region));
		await page.waitForSelector('#credential');
		if (choiceId) await page.check(`#${choiceId}`);
		await page.fill('#credential', credential);
		await page.click('#encrypt');
		await page.waitForSelector('#tracker-text, #message.error');
		return page.locator('#tracker-text').textContent({ timeout: 1000 }).catch(() => null);
	}
	/** Clicks Cast; returns the tracker the server confirmed, or throws with the page's message. */
	async function castIt() {
		await page.click('#cast');
		await page.waitForSelector('#cast-tracker, #message.error');
		if (await page.locator('#cast-tracker').count()) return page.locator('#cast-tracker').textContent();
		throw new Error('cast refused: ' + (await page.locator('#message').innerText()));
	}
	async function errorShown() {
		await page.waitForSelector('#message.error');
		return page.locator('#message').innerText();
	}
	/** Switches the page's language and waits for a text of the new one. */
	async function language(l, text) {
		await page.selectOption('#lang', l);
		await page.waitForFunction((s) => document.querySelector('main').innerText.includes(s), text);
	}
	/** The organizer's schedule entry (urna referendum schedule, signed with
	 * its key): the new times and the reason. Returns its seq on the board. */
	async function reschedule(body) {
		const out = srv.urna('referendum', 'schedule', REF, '--opens', body.opens_at, '--closes', body.closes_at,
			'--announce', body.announce_at, '--reason', body.reason.en, ...(body.reason.ru ? ['--reason-ru', body.reason.ru] : []),
			...srv.organizer);
		const seq = out.match(/board entry (\d+)/);
		assert.ok(seq, out);
		return Number(seq[1]);
	}
	/** The widths of a chart's choice bars (its track is 300 wide). */
	async function barWidths(id) {
		return page.locator(`#${id} rect.bar-choice`).evaluateAll((rs) => rs.map((r) => Number(r.getAttribute('width'))));
	}
	/** Exports the record: its ballots are the 7 cast so far, and urna verify accepts it. */
	function exportAndVerify() {
		const out = mkdtempSync(join(tmpdir(), 'urna-record-'));
		try {
			srv.urna('export', '--referendum', REF, '--out', join(out, 'record'), '--server', base);
			const lines = readFileSync(join(out, 'record', 'board.jsonl'), 'utf8').trim().split('\n');
			assert.equal(lines.filter((l) => l.includes('"kind":"ballot"')).length, 7, 'the browser-cast ballots are in the record');
			srv.urna('verify', join(out, 'record'));
		} finally {
			rmSync(out, { recursive: true, force: true });
		}
	}

	await step('home: referendum, regions, status and schedule in both zones', async () => {
		await page.goto(base + '/');
		await page.waitForSelector(`[data-referendum="${REF}"]`);
		const text = await page.locator('main').innerText();
		assert.match(text, /Park referendum/);
		assert.match(text, /North/);
		assert.match(text, /South/);
		assert.match(text, /Europe\/Moscow/);
		assert.match(text, /scheduled/);
		// closes_at 20:00, to the minute: ballots are taken until 20:00:59.
		assert.match(text, /Voting open until\s+July 1, 2026\D+20:00:59 \(Europe\/Moscow\)/);
		assert.match(text, /Ballots are accepted through the whole minute 20:00\./);
		assert.doesNotMatch(text, /08:00 PM/);
		assert.equal(await page.locator('.schedule-change').count(), 0, 'no schedule change yet');
		assert.doesNotMatch(text, /\bnull\b|\bundefined\b/);
		await shoot(page, 'home');
		await language('ru', 'Референдум о парке');
		const ru = await page.locator('main').innerText();
		assert.match(ru, /Голосование открыто до\s+1 июля 2026\D+20:00:59 \(Europe\/Moscow\)/);
		assert.match(ru, /Бюллетени принимаются в течение всей минуты 20:00\./);
		await page.selectOption('#lang', 'en');
	});

	await step('booth: before the opening, when it opens and the form locked; a refusal is not_open', async () => {
		await page.goto(booth('north'));
		await page.waitForSelector('#status-note');
		assert.match(await page.locator('#status-note').innerText(), /Voting has not opened yet: it opens on July 1, 2026\D+00:00 \(Europe\/Moscow\)[\s\S]*read the questions now/);
		assert.ok(await page.locator('#encrypt').isDisabled(), 'no encrypting before the opening');
		assert.ok(await page.locator('#q0c0').isDisabled());
		assert.ok(await page.locator('#credential').isDisabled());
		await language('ru', 'Голосование ещё не открыто');
		assert.match(await page.locator('#status-note').innerText(), /Голосование ещё не открыто: оно откроется 1 июля 2026\D+00:00 \(Europe\/Moscow\)/);
		await page.selectOption('#lang', 'en');
		// A page that believed voting open (its clock ahead of the server's): the server's refusal, in words.
		await page.route(`**/api/referendums/${REF}`, async (route) => {
			const res = await route.fetch();
			route.fulfill({ response: res, json: { ...(await res.json()), status: 'open' } });
		});
		try {
			const tr = await encrypt('north', 'q0c0', alice);
			assert.ok(tr, 'a tracker is shown');
			await page.click('#cast');
			const msg = await errorShown();
			assert.match(msg, /not opened yet/);
			assert.match(msg, /not_open/);
		} finally {
			await page.unrouteAll();
		}
	});

	await step('schedule: a change\'s reason on the home page and in the booth, in the visitor\'s language or another', async () => {
		// Before the opening any change: first opens_at five minutes later, the reason in English only.
		state.change1 = await reschedule({ opens_at: '2026-07-01T00:05', closes_at: SPEC.closes_at, announce_at: SPEC.announce_at,
			reason: { en: 'Opening postponed by five minutes: the server moves to a new data centre.' } });
		await page.goto(base + '/');
		await language('ru', 'Референдум о парке');
		await page.waitForSelector('.schedule-change');
		let note = await page.locator(`[data-referendum="${REF}"] .schedule-change`).innerText();
		assert.match(note, /Расписание изменено: Opening postponed by five minutes/, 'no Russian reason: the English one');
		// Then closes_at to the second, with the reason in both languages: the latest change is shown.
		state.change2 = await reschedule({ opens_at: '2026-07-01T00:05', closes_at: '2026-07-01T20:00:30', announce_at: SPEC.announce_at,
			reason: { en: 'Voting closes at 20:00:30, as the electoral commission decided.', ru: 'Голосование закрывается в 20:00:30 по решению избирательной комиссии.' } });
		await page.reload();
		await page.waitForSelector('.schedule-change');
		note = await page.locator(`[data-referendum="${REF}"] .schedule-change`).innerText();
		assert.match(note, /^Расписание изменено: Голосование закрывается в 20:00:30 по решению избирательной комиссии\./);
		assert.equal(await page.locator('.schedule-change a').getAttribute('href'), `/board.html?ref=${REF}&from=${state.change2}`);
		const ru = await page.locator('main').innerText();
		assert.match(ru, /Голосование открыто до\s+1 июля 2026\D+20:00:30 \(Europe\/Moscow\)/);
		assert.match(ru, /до этой секунды включительно/);
		await shoot(page, 'home-schedule-ru');
		await language('en', 'Park referendum');
		note = await page.locator(`[data-referendum="${REF}"] .schedule-change`).innerText();
		assert.match(note, /^The schedule was changed: Voting closes at 20:00:30, as the electoral commission decided\. \(Board entry \d+\)/);
		const text = await page.locator('main').innerText();
		assert.match(text, /Voting opens\s+July 1, 2026\D+00:05/);
		assert.match(text, /Voting open until\s+July 1, 2026\D+20:00:30 \(Europe\/Moscow\)/);
		assert.match(text, /Ballots are accepted up to and including that second\./);
		await shoot(page, 'home-schedule');
		await page.goto(booth('north'));
		await page.waitForSelector('.schedule-change');
		assert.match(await page.locator('.schedule-change').innerText(), /The schedule was changed: Voting closes at 20:00:30/);
		assert.match(await page.locator('#status-note').innerText(), /it opens on July 1, 2026\D+00:05/);
		await shoot(page, 'booth-early');
		await language('ru', 'Голосование ещё не открыто');
		assert.match(await page.locator('.schedule-change').innerText(), /Расписание изменено: Голосование закрывается в 20:00:30/);
		await page.selectOption('#lang', 'en');
		// The reason comes with the referendum object (schedule_change): the home page reads no board line.
		const p2 = await browser.ctx.newPage();
		const asked = [];
		p2.on('request', (q) => q.url().includes('/board') && asked.push(q.url()));
		await p2.goto(base + '/');
		await p2.waitForSelector('.schedule-change');
		assert.deepEqual(asked, []);
		const obj = await (await fetch(`${base}/api/referendums/${REF}`)).json();
		assert.equal(obj.schedule_change.seq, state.change2);
		assert.equal(obj.closes_at.local, '2026-07-01T20:00:30');
		await p2.close();
	});

	await srv.clock(T.open);

	await step('booth: a typo in the credential is "malformed credential", in Russian too, with no raw code', async () => {
		const typo = alice.slice(0, 5) + (alice[5] === 'A' ? 'B' : 'A') + alice.slice(6);
		const tr = await encrypt('north', 'q0c0', typo);
		assert.equal(tr, null);
		assert.match(await errorShown(), /Malformed credential/);
		// In Russian: the Russian message alone, no code and no English.
		await page.selectOption('#lang', 'ru');
		await page.click('#encrypt');
		const msg = await errorShown();
		assert.match(msg, /^Ошибка: Неверный код: не сходятся проверочные знаки/);
		assert.doesNotMatch(msg, /malformed|[A-Za-z]{3,}/i, 'nothing in English, no raw code');
		assert.equal(await page.locator('#message').getAttribute('data-code'), 'malformed_credential');
		await shoot(page, 'booth-typo-ru');
		await page.selectOption('#lang', 'en');
	});

	await step('booth: question in Russian and English, cast a ballot, tracker shown', async () => {
		await page.goto(booth('north'));
		await page.waitForSelector('#credential');
		await page.selectOption('#lang', 'ru');
		await page.waitForSelector('legend:has-text("Строить ли городу парк?")');
		await page.selectOption('#lang', 'en');
		await page.waitForSelector('legend:has-text("Should the city build the park?")');
		// Keyboard only: Tab to the first choice, Space selects it.
		await page.focus('#q0c0');
		await page.keyboard.press('Space');
		await page.fill('#credential', alice.toLowerCase().replace(/-/g, ' '));
		await page.keyboard.press('Enter');
		await page.waitForSelector('#tracker-text');
		const shown = await page.locator('#tracker-text').textContent();
		assert.match(shown, /^[A-Z2-7]{4}(-[A-Z2-7]{1,4}){12}$/);
		assert.doesNotMatch(await page.locator('main').innerText(), /\bnull\b|\bundefined\b/, 'no empty part shown as a word');
		await shoot(page, 'booth-encrypted');
		const cast = await castIt();
		assert.equal(cast, shown, 'the server stored the ballot the booth showed');
		state.first = cast;
		await shoot(page, 'booth-cast');
	});

	// docs/protocol.md s.18: the 201's receipt, checked by the page, shown,
	// downloadable, and the file holds against the board for urna receipt check.
	await step('booth: the receipt is shown and downloads, and urna receipt check finds the ballot', async () => {
		assert.equal(await page.locator('#receipt').getAttribute('data-verdict'), 'ok', await page.locator('#receipt').innerText());
		assert.match(await page.locator('#receipt').innerText(), /signed by the server[\s\S]*entry \d+ of the board/);
		const download = page.waitForEvent('download');
		await page.click('#receipt-download');
		const dl = await download;
		assert.match(dl.suggestedFilename(), new RegExp(`^urna-receipt-${REF}-\\d+\\.json$`));
		const file = join(srv.dir, dl.suggestedFilename());
		await dl.saveAs(file);
		const text = readFileSync(file, 'utf8');
		assert.equal(text, await page.locator('#receipt-json').textContent(), 'the file is the receipt shown');
		const receipt = JSON.parse(text);
		assert.equal(receipt.referendum, REF);
		const tr = await (await fetch(`${base}/api/referendums/${REF}/trackers/${state.first}`)).json();
		assert.equal(receipt.tracker, tr.tracker);
		assert.equal(receipt.seq, tr.seq);
		assert.equal(await page.locator('#receipt-command').textContent(), `urna receipt check ${dl.suggestedFilename()} --server ${base}`);
		const r = srv.spawnSync(['receipt', 'check', file, '--server', base]);
		assert.equal(r.status, 0, `urna receipt check: ${r.stdout}${r.stderr}`);
		assert.match(r.stdout, /ON THE BOARD/);
		assert.match(r.stdout, /last ballot of its credential/);
		state.firstReceipt = file;
		// A receipt changed by one byte of its signature is refused (exit 2).
		const sig = receipt.signature;
		writeFileSync(join(srv.dir, 'forged.json'), JSON.stringify({ ...receipt, signature: (sig[0] === 'A' ? 'B' : 'A') + sig.slice(1) }));
		assert.equal(srv.spawnSync(['receipt', 'check', join(srv.dir, 'forged.json'), '--server', base]).status, 2);
		await shoot(page, 'booth-receipt');
		await language('ru', 'Ваша квитанция, подписанная сервером');
		await page.selectOption('#lang', 'en');
	});

	await step('booth: audit reveals r of the unsigned ballot, the page re-checks it, urna audit-ballot agrees, the server refuses it', async () => {
		const audited = await encrypt('north', 'q0c1', bob);
		const download = page.waitForEvent('download');
		await page.click('#audit');
		await page.waitForSelector('#audit-verdict');
		assert.match(await page.locator('#audit-verdict').textContent(), /Audit passed/);
		assert.equal(await page.locator('#audit-verdict').getAttribute('data-verdict'), 'ok');
		assert.match(await page.locator('#audit-choices').innerText(), /No/);
		const fresh = await page.locator('#tracker-text').textContent();
		assert.notEqual(fresh, audited, 'a fresh ballot replaces the audited one');
		await shoot(page, 'booth-audit');
		await page.click('#audit-download');
		const file = join(srv.dir, 'audit.json');
		await (await download).saveAs(file);
		const doc = JSON.parse(readFileSync(file, 'utf8'));
		// s.6, s.16: the yes/no question is packed (one ciphertext): No is v = M,
		// M the power of two above the region's electorate; the ballot is unsigned.
		const status = await (await fetch(`${base}/api/referendums/${REF}`)).json();
		const electorate = status.regions.find((g) => g.id === 'north').electorate;
		assert.equal(doc.electorate, electorate);
		assert.equal(doc.randomness[0].length, 1);
		assert.equal(doc.randomness[0][0].v, 2 ** Math.ceil(Math.log2(electorate + 1)));
		assert.equal(doc.ballot.signature, undefined, 'an audited ballot is never signed');
		assert.equal(doc.tracker, U.b64url(U.fromB32(audited, 32)), 'the file\'s tracker is the one shown');
		// Posted as a ballot, the audit file (or its ballot) is refused: it cannot be cast.
		for (const body of [U.canonicalJson(doc.ballot), U.canonicalJson(doc)]) {
			const post = await fetch(`${base}/api/referendums/${REF}/regions/north/ballots`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
			assert.equal(post.status, 400, 'the server refuses an audit file as a ballot');
			assert.equal((await post.json()).error, 'malformed');
		}
		const r = srv.spawnSync(['audit-ballot', file]);
		assert.equal(r.status, 0, `urna audit-ballot: ${r.stdout}${r.stderr}`);
		assert.match(r.stdout, /audit OK/);
		const lie = structuredClone(doc);
		lie.randomness[0][0].v = 1; /* Yes, where the ciphertext holds No */
		writeFileSync(join(srv.dir, 'lie.json'), JSON.stringify(lie));
		assert.notEqual(srv.spawnSync(['audit-ballot', join(srv.dir, 'lie.json')]).status, 0, 'a lying audit file fails in C');
		await page.goto(`${base}/audit.html`);
		await page.setInputFiles('#audit-file', file);
		await page.waitForSelector('#audit-verdict');
		assert.match(await page.locator('#audit-verdict').textContent(), /Audit passed/);
		assert.match(await page.locator('#audit-choices').innerText(), /build the park\? → No$/);
		assert.ok((await page.locator('#audit-file-result').innerText()).includes(audited), 'the audit page shows the tracker');
		await shoot(page, 'audit-file');
		await page.setInputFiles('#audit-file', join(srv.dir, 'lie.json'));
		await page.waitForSelector('#audit-file-result.error');
		assert.match(await page.locator('#audit-verdict').textContent(), /FAILED.*beta is not rK \+ vG/);
		assert.equal(await page.locator('#audit-verdict').getAttribute('data-verdict'), 'mismatch');
		const res = await fetch(`${base}/api/referendums/${REF}/trackers/${audited}`);
		assert.equal(res.status, 404, 'the audited ballot is not on the board');
	});

	// docs/protocol.md s.16: the audit page (the booth's auditCheck, in the
	// browser) and urna audit-ballot (the record layer's audit_check) give every
	// shared vector its verdict: the page's class, the command's exit code.
	await step('audit: the shared vectors get the same verdicts on the audit page and from urna audit-ballot', async () => {
		const V = JSON.parse(readFileSync(join(ROOT, 'tests', 'vectors', 'audit.json'), 'utf8'));
		const wrong = [];
		await page.goto(`${base}/audit.html`);
		await page.waitForSelector('#audit-file');
		for (const v of V.vectors) {
			const buffer = v.file_hex !== undefined ? Buffer.from(v.file_hex, 'hex') : Buffer.from(v.file, 'utf8');
			const name = `vector-${v.name}.json`;
			await page.setInputFiles('#audit-file', { name, mimeType: 'application/json', buffer });
			const verdict = page.locator('#audit-verdict', { hasText: new RegExp(`^${name.replace(/[.]/g, '\\.')}: `) });
			await verdict.waitFor();
			const got = await verdict.getAttribute('data-verdict');
			if (got !== v.verdict) wrong.push(`audit page: ${v.name}: want ${v.verdict}, got ${got}: ${await verdict.textContent()}`);
			if (v.verdict === 'ok')
				assert.equal(await page.locator('#audit-choices li').count(), v.selections.length, v.name);
			writeFileSync(join(srv.dir, name), buffer);
			const r = srv.spawnSync(['audit-ballot', join(srv.dir, name)]);
			const exit = { ok: 0, malformed: 2 }[v.verdict] ?? 1;
			if (r.status !== exit) wrong.push(`urna audit-ballot: ${v.name}: want exit ${exit}, got ${r.status}: ${r.stdout}${r.stderr}`);
		}
		assert.deepEqual(wrong, []);
	});

	await step('booth: a credential of another region is not_on_list', async () => {
		await encrypt('north', 'q0c0', credentials.south[0]);
		await page.click('#cast');
		const msg = await errorShown();
		assert.match(msg, /not on this region's list/);
		await shoot(page, 'booth-error');
	});

	await step('booth: two questions, checkboxes within min..max', async () => {
		await page.goto(booth('east'));
		await page.waitForSelector('#q1c2');
		for (const id of ['q0c1', 'q1c0', 'q1c1', 'q1c2']) await page.check(`#${id}`);
		await page.fill('#credential', credentials.east[0]);
		await page.click('#encrypt');
		assert.match(await errorShown(), /does not fit a question[\s\S]*Which features\? \(up to two\) Select up to 2\./);
		await page.selectOption('#lang', 'ru');
		await page.click('#encrypt');
		assert.match(await errorShown(), /Выбор не подходит к вопросу[\s\S]*Что в парке\? \(не более двух\) Выберите не более 2\./);
		await page.selectOption('#lang', 'en');
		await page.uncheck('#q1c1');
		await page.click('#encrypt');
		await page.waitForSelector('#tracker-text');
		await shoot(page, 'booth-two-questions');
		await castIt();
	});

	await step('tracker: the cast ballot is found on the board', async () => {
		await page.goto(`${base}/tracker.html?ref=${REF}`);
		await page.fill('#tracker', state.first);
		await page.click('#check');
		await page.waitForSelector('#tracker-last');
		assert.match(await page.locator('#tracker-result').innerText(), /on the board/);
		assert.match(await page.locator('#tracker-last').textContent(), /the one that counts/);
		await shoot(page, 'tracker');
		await page.fill('#tracker', 'AAAA-BBBB');
		await page.click('#check');
		await page.waitForSelector('#tracker-result.error');
	});

	await step('booth: vote again; the tracker page says the first is replaced', async () => {
		await encrypt('north', 'q0c1', alice);
		state.second = await castIt();
		await page.goto(`${base}/tracker.html?ref=${REF}&tracker=${state.first}`);
		await page.waitForSelector('#tracker-last');
		assert.match(await page.locator('#tracker-last').textContent(), /later ballot/);
		// The first ballot's receipt still checks out, and says it is replaced.
		const rc = srv.spawnSync(['receipt', 'check', state.firstReceipt, '--server', base]);
		assert.equal(rc.status, 0, `urna receipt check: ${rc.stdout}${rc.stderr}`);
		assert.match(rc.stdout, /NOT the last ballot of its credential/);
		// More browser voters: carol yes (north), two in the south (yes, blank).
		for (const [region, choice, cred] of [['north', 'q0c0', carol], ['south', 'q0c0', credentials.south[1]], ['south', 'q0blank', credentials.south[2]]]) {
			await encrypt(region, choice, cred);
			await castIt();
		}
		state.cli = srv.urna('vote', '--referendum', REF, '--region', 'south', '--credential', credentials.south[3], '--choice', '2', '--server', base);
	});

	await step('tracker: the text and the link `urna vote` prints find its ballot', async () => {
		const text = state.cli.match(/^tracker: (\S+)$/m)?.[1];
		const link = state.cli.match(/^check it: (\S+)$/m)?.[1];
		assert.match(text ?? '', /^[A-Z2-7]{4}(-[A-Z2-7]{4}){12}$/, `52 characters in groups of four: ${state.cli}`);
		assert.equal(link, `${base}/tracker.html?ref=${REF}&tracker=${text}`);
		await page.goto(link);
		await page.waitForSelector('#tracker-last, #tracker-result.error');
		assert.match(await page.locator('#tracker-result').innerText(), /on the board/);
		await page.goto(`${base}/tracker.html?ref=${REF}`);
		await page.fill('#tracker', text);
		await page.click('#check');
		await page.waitForSelector('#tracker-last');
		const api = await (await fetch(`${base}/api/referendums/${REF}/trackers/${text}`)).json();
		assert.equal(api.tracker_text, text, 'the API answers the same text');
	});

	await step('board: entries, head hash, chain checked, trackers, paging, record links', async () => {
		await page.goto(`${base}/board.html?ref=${REF}`);
		await page.waitForSelector('#board');
		assert.match(await page.locator('#chain').innerText(), /checked/);
		// The head the page shows is the hash of its entry on the board (a
		// signed checkpoint may have been appended since the page loaded).
		const shown = { seq: Number((await page.locator('#head-hash').locator('..').textContent()).match(/^#(\d+):/)[1]), hash: await page.locator('#head-hash').textContent() };
		const next = (await (await fetch(`${base}/api/referendums/${REF}/board?from=${shown.seq + 1}&limit=1`)).text()).trim();
		const head = await (await fetch(`${base}/api/referendums/${REF}/head`)).json();
		if (next) {
			assert.equal(JSON.parse(next).prev, shown.hash, 'the next entry chains to the head shown');
			assert.equal(JSON.parse(next).kind, 'checkpoint', 'nothing but a checkpoint came since');
		}
		else assert.deepEqual(head, shown);
		const text = await page.locator('#board').innerText();
		// Each entry but a ballot names who signed it: the role's name and key fingerprint.
		const fp = '[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}';
		assert.match(text, new RegExp(`Referendum\t\t[^\t]+ ${fp}\tPark referendum`));
		assert.match(text, /Ballot/);
		assert.match(text, new RegExp(`Schedule change\t\t[^\t]+ ${fp}\tVoting closes at 20:00:30`));
		// Times in the referendum's zone, named in the column's heading: seq 0 at T.before.
		assert.match(text, /Time \(Europe\/Moscow\)/);
		assert.equal(await page.locator('#board tr[data-seq="0"] td:nth-child(2)').textContent(), '2026-06-30 09:13:20');
		const first = await (await fetch(`${base}/api/referendums/${REF}/trackers/${state.first}`)).json();
		assert.ok(first.seq < 25 && text.includes(state.first), `the first tracker (entry ${first.seq} of ${head.seq + 1}) is on the first page`);
		// Before publication, only the board is a record file to download (results.json answers 403).
		assert.deepEqual(await page.locator('#record-links a').allTextContents(), ['board.jsonl']);
		assert.equal(await page.locator('a[href$="results.json"], a[href$="results.csv"]').count(), 0);
		assert.match(await page.locator('#record-later').innerText(), /results\.json and results\.csv can be downloaded once the results are published \(July 2, 2026/);
		assert.equal((await fetch(`${base}/api/referendums/${REF}/record/board.jsonl`)).status, 200);
		assert.equal((await fetch(`${base}/api/referendums/${REF}/record/results.json`)).status, 403);
		await shoot(page, 'board');
		// Every kind in Russian: none left as the protocol's word.
		await language('ru', 'Бюллетень');
		const kinds = await page.locator('#board tbody td:nth-child(3)').allTextContents();
		const raw = ['referendum', 'region', 'trustee', 'credentials', 'schedule', 'ballot', 'close', 'tally', 'decryption', 'result', 'checkpoint'];
		assert.deepEqual(kinds.filter((k) => raw.includes(k) || /[a-z]/i.test(k)), []);
		for (const k of ['Референдум', 'Регион и вопросы', 'Коды избирателей', 'Доверенное лицо', 'Изменение расписания', 'Бюллетень']) assert.ok(kinds.includes(k), k);
		const ru = await page.locator('#board').innerText();
		assert.match(ru, new RegExp(`Изменение расписания\t\t[^\t]+ ${fp}\tГолосование закрывается в 20:00:30`));
		assert.match(ru, /Время \(Europe\/Moscow\)/);
		await shoot(page, 'board-ru');
		await page.selectOption('#lang', 'en');
		const second = await (await fetch(`${base}/api/referendums/${REF}/trackers/${state.second}`)).json();
		await page.goto(`${base}/board.html?ref=${REF}&from=${second.seq}`);
		await page.waitForSelector('#board');
		assert.ok((await page.locator('#board').innerText()).includes(state.second), 'the page from its entry shows the second ballot');
		assert.match(await page.locator('#chain').innerText(), /checked/);
	});

	await step('record: urna verify accepts the board with the browser-cast ballots (while open)', exportAndVerify);

	await step('booth: after the close, no form: closed since when, and a link to the results', async () => {
		// A ballot encrypted before the close and cast after it: refused, and the page says where voting stands.
		try {
			await encrypt('north', 'q0c0', bob);
		} finally {
			await srv.clock(T.closed);
		}
		await page.click('#cast');
		assert.match(await errorShown(), /Voting is closed: no more ballots are accepted/);
		assert.equal(await page.locator('#encrypt').count(), 0);
		await page.goto(booth('north'));
		await page.waitForSelector('#status-note');
		assert.equal(await page.locator('#ballot-form, #encrypt, #credential').count(), 0, 'no form after the close');
		const note = await page.locator('#status-note').innerText();
		assert.match(note, /Voting is closed: ballots were accepted until July 1, 2026\D+20:00:30 \(Europe\/Moscow\)/);
		assert.match(note, /Results will be published at July 2, 2026\D+12:00/);
		assert.equal(await page.locator('#results-link').getAttribute('href'), `/results.html?ref=${REF}`);
		await shoot(page, 'booth-closed');
		await language('ru', 'Голосование закрыто');
		assert.match(await page.locator('#status-note').innerText(), /Голосование закрыто: приём бюллетеней завершился 1 июля 2026\D+20:00:30 \(Europe\/Moscow\)[\s\S]*Перейти к итогам/);
		await shoot(page, 'booth-closed-ru');
		await page.selectOption('#lang', 'en');
		await page.click('#results-link');
		await page.waitForSelector('section[data-region="north"]');
		assert.match(await page.locator('main').innerText(), /Results will be published/);
	});

	await step('results: before announce_at, when they come and turnout only', async () => {
		srv.urna('tally', '--referendum', REF, ...srv.organizer);
		for (let j = 1; j <= SPEC.trustees.t; j++) srv.urna('trustee', 'decrypt', '--referendum', REF, ...srv.trustee(j));
		await page.goto(`${base}/results.html?ref=${REF}`);
		await page.waitForSelector('section[data-region="north"]');
		const text = await page.locator('main').innerText();
		assert.match(text, /Results will be published/);
		assert.match(text, /Ballots cast so far.*: 3; Electorate: 6/);
		assert.doesNotMatch(text, /Yes: /);
		assert.equal(await page.locator('#verdict, a[href*="/record/"]').count(), 0, 'no record links before publication');
		await shoot(page, 'results-early');
	});

	await step('tracker: after the tally, the replaced ballot is not counted', async () => {
		const a = await (await fetch(`${base}/api/referendums/${REF}/trackers/${state.first}`)).json();
		assert.equal(a.counted, false);
		const b = await (await fetch(`${base}/api/referendums/${REF}/trackers/${state.second}`)).json();
		assert.equal(b.counted, true);
		await page.goto(`${base}/tracker.html?ref=${REF}&tracker=${state.second}`);
		await page.waitForSelector('#tracker-counted');
		assert.match(await page.locator('#tracker-counted').textContent(), /was counted/);
		assert.match(await page.locator('#tracker-result').innerText(), /Time\s+2026-07-01 \d\d:\d\d:\d\d \(Europe\/Moscow\)/);
	});

	await srv.clock(T.announce);

	await step('results: after publication, counts, percentages, SVG bars, record', async () => {
		srv.urna('publish', '--referendum', REF, ...srv.organizer);
		await page.goto(`${base}/results.html?ref=${REF}`);
		await page.waitForSelector('#verdict');
		const north = await page.locator('section[data-region="north"]').innerText();
		// North: alice's last ballot (No) and carol (Yes): 50.0% / 50.0%; 2 of 6 voted.
		assert.match(north, /Yes: 50\.0%, No: 50\.0% \(of the votes for a choice\); Blank: 0/);
		assert.match(north, /33\.3% \(2 \/ 6\)/);
		const south = await page.locator('section[data-region="south"]').innerText();
		// South: yes, blank, and a CLI "No": 50.0 / 50.0, blank 1; 3 of 6.
		assert.match(south, /Yes: 50\.0%, No: 50\.0%.*Blank: 1/s);
		assert.match(south, /50\.0% \(3 \/ 6\)/);
		const east = await page.locator('section[data-region="east"]').innerText();
		// East: one voter, No, and Pond + Orchard.
		assert.match(east, /Yes: 0\.0%, No: 100\.0%/);
		assert.match(east, /Which features\?/);
		assert.match(east, /Pond: 50\.0%, Playground: 0\.0%, Orchard: 50\.0%/);
		// Each bar is its share of the votes for a choice: 50/50 is half and half, not two full bars.
		assert.deepEqual(await barWidths('chart-north-q0'), [150, 150]);
		assert.deepEqual(await barWidths('chart-south-q0'), [150, 150]);
		assert.deepEqual(await barWidths('chart-east-q0'), [0, 300]);
		assert.deepEqual(await barWidths('chart-east-q1'), [150, 0, 150]);
		assert.equal(await page.locator('svg.chart').count(), 4);
		const bars = await page.locator('#chart-east-q1').getAttribute('aria-label');
		assert.match(bars, /Pond: 1 \(50\.0%\); Playground: 0 \(0\.0%\); Orchard: 1 \(50\.0%\); Blank: 0/);
		assert.match(await page.locator('#verdict').innerText(), /urna verify/);
		// The command shown names this server, and does what it says from another directory.
		const cmd = await page.locator('#verify-command').textContent();
		assert.equal(cmd, `urna export --referendum ${REF} \\\n  --server ${base} \\\n  --out record && urna verify record`);
		const away = mkdtempSync(join(tmpdir(), 'urna-shown-'));
		try {
			const run = spawnSync('sh', ['-c', cmd.replace(/(^|&& )urna /g, `$1${srv.bin} `)], { cwd: away, encoding: 'utf8' });
			assert.equal(run.status, 0, `the shown command: ${run.stdout}${run.stderr}`);
		} finally {
			rmSync(away, { recursive: true, force: true });
		}
		assert.deepEqual(await page.locator('#verdict a').allTextContents(), ['board.jsonl', 'results.json', 'results.csv']);
		assert.equal((await fetch(`${base}/api/referendums/${REF}/record/results.json`)).status, 200);
		// The server's own urna verify of the stored board: the page polls
		// until it ends, then shows what it covered (docs/api.md).
		await page.waitForSelector('#verification[data-status="verified"]', { timeout: 30000 });
		const v = await (await fetch(`${base}/api/referendums/${REF}/verification`)).json();
		assert.equal(v.status, 'verified');
		assert.equal(v.ballots, 7, 'every ballot cast, re-votes included');
		const verdict = await page.locator('#verification').innerText();
		assert.match(verdict, /Verified/);
		assert.match(verdict, new RegExp(`Board entries checked\\s+0 to ${v.seq}\\b`));
		assert.match(verdict, /Ballots checked\s+7\b/);
		assert.match(verdict, /Checked at\s+2026-07-02 \d\d:\d\d:\d\d \(Europe\/Moscow\)/);
		assert.match(verdict, /Anyone can check it themselves with urna verify/);
		assert.equal(await page.locator('#verification-head').textContent(), `${v.head.slice(0, 12)}…`);
		assert.equal(await page.locator('#verification-head').getAttribute('title'), v.head);
		assert.equal(await page.locator('#verification.notice.ok').count(), 1);
		assert.ok(await page.locator('#verification').evaluate((e) => e.compareDocumentPosition(document.querySelector('section[data-region]')) & Node.DOCUMENT_POSITION_FOLLOWING), 'the verdict comes before the regions');
		await shoot(page, 'results');
		await page.selectOption('#lang', 'ru');
		await page.waitForSelector('text=Да: 50.0%, Нет: 50.0%');
		assert.match(await page.locator('#verification').innerText(), /Проверено[\s\S]*Проверено бюллетеней\s+7/);
		assert.match(await page.locator('#verify-command').textContent(), /--server \S+ \\\n  --out record && urna verify record --lang ru$/);
		await shoot(page, 'results-ru');
		await page.selectOption('#lang', 'en');
		// The board now offers every record file; the booth, only the results.
		await page.goto(`${base}/board.html?ref=${REF}`);
		await page.waitForSelector('#board');
		assert.deepEqual(await page.locator('#record-links a').allTextContents(), ['board.jsonl', 'results.json', 'results.csv']);
		assert.equal(await page.locator('#record-later').count(), 0);
		await page.goto(booth('south'));
		await page.waitForSelector('#status-note');
		assert.equal(await page.locator('#ballot-form').count(), 0);
		const note = await page.locator('#status-note').innerText();
		assert.match(note, /Voting is closed/);
		assert.doesNotMatch(note, /will be published/);
		assert.equal(await page.locator('#results-link').getAttribute('href'), `/results.html?ref=${REF}`);
	});

	await step('results: the verdict running (polled until it ends), failed (red, with the reason), unfinished (not the board\'s fault)', async () => {
		// The server's answers replaced: a run that takes a while, then fails.
		const running = { status: 'running', seq: null, head: null, ballots: null, checked_at: null, verifier: 'urna verify (record layer, run by the server)' };
		const failed = { ...running, status: 'failed', seq: 40, head: 'x'.repeat(43), checked_at: T.announce, error: 'bad_proof',
			message: 'ballot proof of question 1 does not verify', fault: { seq: 17, kind: 'ballot' } };
		let polls = 0;
		let embedded = running; // the verdict the /results answer carries
		await page.route(`**/api/referendums/${REF}/results`, async (route) => {
			const res = await route.fetch();
			route.fulfill({ response: res, json: { ...(await res.json()), verification: embedded } });
		});
		await page.route(`**/api/referendums/${REF}/verification`, (route) => route.fulfill({ json: ++polls < 2 ? running : failed }));
		try {
			await page.goto(`${base}/results.html?ref=${REF}`);
			await page.waitForSelector('#verification[data-status="running"]');
			assert.match(await page.locator('#verification').innerText(), /Verification in progress[\s\S]*updates by itself/);
			await shoot(page, 'results-verifying');
			await page.waitForSelector('#verification[data-status="failed"]', { timeout: 15000 });
			assert.equal(polls, 2, 'asked again while running, not after');
			const text = await page.locator('#verification').innerText();
			assert.match(text, /Verification FAILED/);
			assert.match(text, /Entry 17 \(Ballot\) at fault: ballot proof of question 1 does not verify/);
			assert.match(text, /bad_proof/);
			assert.equal(await page.locator('#verification.notice.error').count(), 1);
			assert.equal(await page.locator('#verification').getAttribute('role'), 'status');
			await shoot(page, 'results-failed');
			await page.waitForTimeout(3500);
			assert.equal(polls, 2, 'no more polling once it ended');
			// The server's own trouble (its store, its memory) is not a fault of the board.
			embedded = { ...running, status: 'failed', error: 'io_error', message: 'out of memory for a copy of the board', fault: null };
			await page.goto(`${base}/results.html?ref=${REF}`);
			await page.waitForSelector('#verification[data-status="failed"].warn');
			assert.match(await page.locator('#verification').innerText(), /could not finish[\s\S]*says nothing against the board[\s\S]*out of memory/);
		} finally {
			await page.unrouteAll();
		}
	});

	await step('record: urna verify accepts the published record with the browser-cast ballots', exportAndVerify);

	await step('pages: no script errors in the console', async () => {
		assert.deepEqual(consoleErrors, []);
	});

	await step('pages: a site without its npm packages says so, and urna serve warns', async () => {
		// The site as a fresh clone has it: every file but web/node_modules.
		const bare = mkdtempSync(join(tmpdir(), 'urna-bare-site-'));
		let other;
		try {
			for (const f of readdirSync(join(ROOT, 'web')))
				if (f !== 'node_modules') symlinkSync(join(ROOT, 'web', f), join(bare, f));
			other = await startServer(BUILD, bare);
			assert.match(other.log(), /WARNING: .*node_modules is missing[\s\S]*scripts\/deps\.sh site/);
			const p = await browser.ctx.newPage();
			for (const pg of ['booth.html?ref=x&region=y', 'tracker.html?ref=x', 'board.html?ref=x', 'audit.html']) {
				await p.goto(`${other.url}/${pg}`);
				await p.waitForSelector('#load-failed', { timeout: 5000 });
				assert.match(await p.locator('#load-failed').innerText(), /cannot start[\s\S]*scripts\/deps\.sh site/, pg);
			}
			await p.close();
		} finally {
			if (other) other.stop();
			rmSync(bare, { recursive: true, force: true });
		}
	});
} catch (e) {
	failed++;
	console.log(`FAIL setup: ${e.stack || e}`);
} finally {
	if (browser) await browser.close().catch(() => {});
	if (srv) srv.stop();
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
