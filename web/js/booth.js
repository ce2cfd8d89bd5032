// booth.js: the voting booth of one region (booth.html?ref=R&region=X).
// Shows the region's questions in the chosen language, takes the private
// credential, encrypts and proves the ballot on this device (urna-crypto.js,
// docs/protocol.md s.6, s.14) and shows its tracker (the unsigned ballot's),
// then either signs and casts it (the same tracker) or audits it (Benaloh,
// s.16: the audited ballot is never signed, so it cannot be cast; a fresh
// one is made).
// A cast ballot's receipt, signed by the server (s.18), is checked here
// and offered as a file for `urna receipt check`.
import * as U from './urna-crypto.js';
import { ApiError, apiFetch, apiJson, choiceList, el, enc, formatTime, header, lastSecond, param, pick, scheduleNote, showError, showNotice, statusBadge, t, timesList } from './common.js';

const main = document.getElementById('main');
const ref = param('ref');
const regionId = param('region');
const WAIT_MS = 30000; // before the opening: how often to ask whether it opened

const state = {
	referendum: null,     // GET /api/referendums/{ref}
	referendumHash: null, // h_R: hash32 of the board's first line's body (s.11.1)
	manifestBytes: null,  // the manifest exactly as served (h_E = hash32 of these)
	manifestText: null,
	manifest: null,
	failure: null,        // an error that stops the page
	selections: null,     // per question, one 0/1 per choice
	blank: {},            // questions where the voter picked "blank" explicitly
	credential: '',
	built: null,          // encryptBallot's {ballot (unsigned), bytes, tracker, trackerText, bind, secrets}, with selections, ms
	cast: null,           // the server's answer to the cast, with receiptProblem (null when it holds)
	audits: [],           // audit reports, newest first
	busy: false,
};

/* ---------- loading ---------- */

let sodium = null;        // libsodium, for the receipt's Ed25519 signature

async function load() {
	sodium = await U.ready();
	state.referendum = await apiJson(`referendums/${enc(ref)}`);
	// h_R: every proof and the signature are bound to it (docs/protocol.md s.11.1).
	const first = await apiFetch(`referendums/${enc(ref)}/board?from=0&limit=1`);
	state.referendumHash = U.referendumHash(await first.text(), ref);
	if (regionId) await loadManifest();
	waitForOpening();
}

async function loadManifest() {
	const res = await apiFetch(`referendums/${enc(ref)}/regions/${enc(regionId)}/manifest`);
	const bytes = new Uint8Array(await res.arrayBuffer());
	state.manifestBytes = bytes;
	state.manifestText = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
	state.manifest = JSON.parse(state.manifestText);
	state.selections = state.manifest.questions.map((q) => q.choices.map(() => 0));
}

/** Asks the server again for the referendum (its status); keeps the one
 * known when the answer is lost. */
async function refresh() {
	try {
		state.referendum = await apiJson(`referendums/${enc(ref)}`);
	} catch {
		/* keep what we had */
	}
}

/** Before the opening, asks every WAIT_MS whether voting opened, and then
 * shows the form ready to use. */
function waitForOpening() {
	if (phase(state.referendum) !== 'early') return;
	setTimeout(async () => {
		const before = state.referendum.status;
		await refresh();
		if (state.referendum.status !== before) render();
		waitForOpening();
	}, WAIT_MS);
}

/** Where voting stands for this booth: 'nokey' (no election key yet),
 * 'early' (before the opening), 'open', or 'closed' (closed, counted or
 * published: the server takes no more ballots). */
function phase(r) {
	if (['closed', 'tallied', 'published'].includes(r.status)) return 'closed';
	if (!r.election_key) return 'nokey';
	return r.status === 'open' ? 'open' : 'early';
}

/* ---------- rendering ---------- */

function render() {
	const box = el('div', { id: 'message', role: 'alert', tabindex: '-1', hidden: true });
	main.replaceChildren();
	if (!ref) {
		main.append(el('h1', {}, t('booth_title')), el('p', {}, el('a', { href: '/' }, t('nav_home'))));
		return;
	}
	if (state.failure) {
		main.append(el('h1', {}, t('booth_title')), box);
		showError(box, state.failure);
		return;
	}
	const r = state.referendum;
	if (!r) return main.append(el('h1', {}, t('booth_title')), el('p', {}, t('loading')));
	const region = (r.regions || []).find((g) => g.id === regionId);
	const now = phase(r);
	main.append(...[el('h1', {}, t('booth_title'), ': ', pick(r.title), region ? ` · ${pick(region.name)}` : ''),
		el('p', {}, statusBadge(r.status)), statusNote(r, now), timesList(r), scheduleNote(r)].filter((x) => x));
	if (!regionId || !state.manifest) {
		main.append(el('h2', {}, t('regions')), el('ul', { class: 'regions' },
			...(r.regions || []).map((g) => el('li', {}, el('a', { href: `/booth.html?ref=${enc(ref)}&region=${enc(g.id)}` }, pick(g.name))))));
		return;
	}
	if (now === 'closed') {
		// No form: the server takes no more ballots. A ballot just cast stays shown.
		main.append(box);
		if (state.cast) main.append(castSection());
		return;
	}
	main.append(el('p', { class: 'notice' }, t('revote')));
	main.append(ballotForm(now !== 'open'));
	if (state.built) main.append(encryptedSection());
	// Errors appear right under the button that caused them.
	main.append(box);
	if (state.cast) main.append(castSection());
	for (const a of state.audits) main.append(auditSection(a));
}

/** What the voter must know before the form: when voting opens, or that
 * it closed (when, and where the results are); nothing while open. */
function statusNote(r, now) {
	if (now === 'open') return null;
	const note = el('div', { id: 'status-note', role: 'status' });
	if (now === 'nokey') showNotice(note, 'warn', t('no_key'));
	else if (now === 'early') showNotice(note, 'warn', t('not_open_yet', { t: formatTime(r.opens_at, r.timezone) }), t('not_open_form'));
	else {
		showNotice(note, 'warn', el('p', { class: 'closed-when' }, el('strong', {}, t('voting_closed', { t: formatTime(lastSecond(r.closes_at), r.timezone, { seconds: true }) }))),
			r.status !== 'published' ? t('results_when', { t: formatTime(r.announce_at, r.timezone) }) : null,
			el('p', { class: 'links' }, el('a', { href: `/results.html?ref=${enc(ref)}`, id: 'results-link' }, t('see_results')),
				el('a', { href: `/tracker.html?ref=${enc(ref)}` }, t('tracker'))));
	}
	return note;
}

/** How many choices q takes, in words. */
function selectHint(q) {
	return q.max === 1 && q.min === 1 ? t('select_one')
		: q.min === 0 ? t('select_upto', { max: q.max }) : t('select_range', { min: q.min, max: q.max });
}

function questionFieldset(q, qi, locked) {
	const single = q.max === 1;
	const hint = selectHint(q);
	const fs = el('fieldset', { class: 'question', 'aria-describedby': `q${qi}-hint`, disabled: locked },
		el('legend', {}, pick(q.text)), el('p', { class: 'hint', id: `q${qi}-hint` }, hint));
	const sel = state.selections[qi];
	q.choices.forEach((c, ci) => {
		const id = `q${qi}c${ci}`;
		const input = el('input', { type: single ? 'radio' : 'checkbox', name: `q${qi}`, id, value: ci, checked: sel[ci] === 1 });
		input.addEventListener('change', () => {
			if (single) sel.fill(0);
			sel[ci] = input.checked ? 1 : 0;
			state.blank[qi] = false;
			stale();
		});
		fs.append(el('div', { class: 'choice' }, input, el('label', { for: id }, pick(c))));
	});
	if (single && q.min === 0) {
		const id = `q${qi}blank`;
		const input = el('input', { type: 'radio', name: `q${qi}`, id, value: 'blank', checked: state.blank[qi] === true });
		input.addEventListener('change', () => {
			sel.fill(0);
			state.blank[qi] = true;
			stale();
		});
		fs.append(el('div', { class: 'choice' }, input, el('label', { for: id }, t('blank'))));
	}
	return fs;
}

/** The questions and the credential; locked (read only, no encrypting)
 * before the opening. */
function ballotForm(locked) {
	const form = el('form', { id: 'ballot-form', novalidate: true, class: locked ? 'locked' : null });
	state.manifest.questions.forEach((q, qi) => form.append(questionFieldset(q, qi, locked)));
	const cred = el('input', {
		type: 'text', id: 'credential', class: 'credential', autocomplete: 'off', autocapitalize: 'characters',
		spellcheck: 'false', inputmode: 'text', 'aria-describedby': 'credential-hint', value: state.credential,
		placeholder: 'XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX', disabled: locked,
	});
	cred.addEventListener('input', () => {
		state.credential = cred.value;
		stale();
	});
	form.append(el('div', { class: 'field card' },
		el('label', { for: 'credential' }, t('credential')),
		el('p', { class: 'hint', id: 'credential-hint' }, t('credential_hint')), cred));
	form.append(el('div', { class: 'actions' }, el('button', { type: 'submit', id: 'encrypt', disabled: state.busy || locked }, t('encrypt'))));
	form.addEventListener('submit', (ev) => {
		ev.preventDefault();
		if (!locked) encrypt();
	});
	return form;
}

function ballotDetails(b) {
	return el('details', {}, el('summary', {}, t('ballot_details')),
		el('pre', { class: 'json' }, JSON.stringify(b.ballot, null, 1)));
}

function encryptedSection() {
	const b = state.built;
	return el('section', { class: 'card', id: 'encrypted', 'aria-labelledby': 'encrypted-h' },
		el('h2', { id: 'encrypted-h' }, t('encrypted_title')),
		el('p', {}, t('tracker_label'), ': ', el('span', { class: 'tracker', id: 'tracker-text' }, b.trackerText)),
		el('p', {}, t('encrypted_hint')),
		el('p', { class: 'small muted', id: 'encrypt-time' }, t('encrypt_time', { ms: b.ms.toFixed(1) })),
		ballotDetails(b),
		el('div', { class: 'actions' },
			el('button', { type: 'button', id: 'cast', onclick: cast, disabled: state.busy }, t('cast_button')),
			el('button', { type: 'button', id: 'audit', class: 'secondary', onclick: audit, disabled: state.busy }, t('audit'))));
}

function castSection() {
	const c = state.cast;
	const q = `?ref=${enc(ref)}&tracker=${enc(c.tracker_text)}`;
	return el('section', { class: 'notice ok', id: 'cast-result', tabindex: '-1' },
		el('h2', {}, c.status === 200 ? t('cast_again') : t('cast_ok')),
		el('p', {}, t('tracker_label'), ': ', el('span', { class: 'tracker', id: 'cast-tracker' }, c.tracker_text)),
		el('p', {}, t('entry'), ` ${c.seq}`),
		el('p', {}, t('keep_tracker')),
		el('p', { class: 'links' }, el('a', { href: `/tracker.html${q}` }, t('check_it')),
			el('a', { href: `/board.html?ref=${enc(ref)}&from=${c.seq}` }, t('board'))),
		receiptSection(c),
		el('p', {}, t('revote')));
}

const RECEIPT_KEYS = ['h_R', 'head', 'referendum', 'seq', 'server_key', 'signature', 'tracker'];

// What can be wrong with a receipt, in the chosen language.
const RECEIPT_PROBLEMS = {
	none: () => t('receipt_none'), ballot: () => t('receipt_other_ballot'),
	key: () => t('receipt_other_key'), signature: () => t('receipt_bad_signature'),
};

/** What is wrong with the server's receipt of the ballot with this
 * tracker (docs/protocol.md s.18), a key of RECEIPT_PROBLEMS, or null when
 * it holds: the ballot and entry of the answer, the referendum's server
 * key, and its Ed25519 signature over H("receipt", id, h_R, u32 seq,
 * tracker, head). */
function receiptProblem(rc, ans, tracker) {
	if (!rc || typeof rc !== 'object' || Object.keys(rc).sort().join() !== RECEIPT_KEYS.join()) return 'none';
	if (rc.referendum !== ref || rc.seq !== ans.seq || rc.tracker !== U.b64url(tracker)) return 'ballot';
	if (rc.server_key !== state.referendum.server_key) return 'key';
	try {
		const m = U.H('receipt', ref, U.fromB64url(rc.h_R, 32), U.u32(rc.seq), U.fromB64url(rc.tracker, 32), U.fromB64url(rc.head, 32));
		if (sodium.crypto_sign_verify_detached(U.fromB64url(rc.signature, 64), m, U.fromB64url(rc.server_key, 32))) return null;
	} catch {
		/* a bad encoding: a bad signature */
	}
	return 'signature';
}

function receiptSection(c) {
	const rc = c.receipt;
	if (c.receiptProblem)
		return el('section', { class: 'notice error', id: 'receipt', 'data-verdict': 'bad' },
			el('h3', {}, t('receipt_title')), el('p', {}, t('receipt_bad', { reason: RECEIPT_PROBLEMS[c.receiptProblem]() })));
	const text = U.canonicalJson(rc) + '\n';
	const name = `urna-receipt-${ref}-${rc.seq}.json`;
	return el('section', { class: 'card', id: 'receipt', 'data-verdict': 'ok' },
		el('h3', {}, t('receipt_title')),
		el('p', {}, t('receipt_hint', { seq: rc.seq })),
		el('p', {}, el('a', { href: URL.createObjectURL(new Blob([text], { type: 'application/json' })), download: name,
			id: 'receipt-download', class: 'button' }, t('receipt_download'))),
		el('p', { class: 'small' }, t('receipt_cli'), ' ', el('code', { id: 'receipt-command' }, `urna receipt check ${name} --server ${location.origin}`)),
		el('details', {}, el('summary', {}, t('receipt_details')), el('pre', { class: 'json', id: 'receipt-json' }, text)));
}

function auditSection(a) {
	const blob = new Blob([U.canonicalJson(a.doc) + '\n'], { type: 'application/json' });
	const name = `urna-audit-${a.trackerText.slice(0, 9)}.json`;
	return el('section', { class: `notice ${a.check.ok ? 'ok' : 'error'}`, id: 'audit-result', tabindex: '-1' },
		el('h2', {}, t('audit_title'), ' ', el('span', { class: 'tracker' }, a.trackerText)),
		el('p', { id: 'audit-verdict', 'data-verdict': a.check.ok ? 'ok' : a.check.code }, a.check.ok ? t('audit_ok') : `${t('audit_bad')} (${a.check.reason})`),
		a.check.ok ? el('p', {}, t('audit_encrypts'), ':') : null,
		a.check.ok ? choiceList(state.manifest, a.check.selections, { id: 'audit-choices' }) : null,
		el('p', {}, el('a', { href: URL.createObjectURL(blob), download: name, id: 'audit-download', class: 'button secondary' }, t('audit_download'))),
		el('p', { class: 'small' }, t('audit_cli'), ' ', el('code', {}, `urna audit-ballot ${name}`), '; ',
			el('a', { href: '/audit.html' }, t('audit_elsewhere'))),
		el('p', {}, t('audit_fresh')));
}

/* ---------- actions ---------- */

function stale() {
	// Any change to the choices or the credential makes the shown ballot stale.
	if (state.built) {
		state.built = null;
		const sec = document.getElementById('encrypted');
		if (sec) sec.remove();
	}
}

function message() {
	return document.getElementById('message');
}

function fail(err) {
	const box = message();
	showError(box, err.code ? err : { code: 'error', message: String(err.message || err) });
	box.scrollIntoView?.({ block: 'center' });
}

/** The normalised credential; a typo throws malformed_credential with no
 * text of its own (the message is the page's, in the chosen language). */
function credential() {
	try {
		return U.normaliseCredential(state.credential);
	} catch (err) {
		if (err.code === 'malformed_credential') throw new U.UrnaError(err.code, '');
		throw err;
	}
}

/** Throws bad_selection naming, in the chosen language, the first question
 * whose selections are not within its min..max. */
function checkSelections() {
	state.manifest.questions.forEach((q, qi) => {
		const n = state.selections[qi].reduce((a, v) => a + v, 0);
		if (n < q.min || n > q.max)
			throw new U.UrnaError('bad_selection', `${pick(q.text)} ${selectHint(q)}`);
	});
}

/** The region's electorate, from the referendum's status: it fixes the
 * packing base M of its ballots (s.6; credentials come before the opening). */
function electorate() {
	const g = (state.referendum.regions || []).find((x) => x.id === regionId);
	return g ? g.electorate : undefined;
}

/** Encrypts and proves the current selections, unsigned (the tracker shown
 * is the unsigned ballot's, which the signature keeps); throws UrnaError. */
function build() {
	const norm = credential();
	checkSelections();
	const r = state.referendum;
	if (!r.election_key) throw new ApiError('wrong_state', t('no_key'), 0);
	const t0 = performance.now();
	const { x, X } = U.credentialKeys(ref, regionId, norm);
	x.fill(0);
	const selections = state.selections.map((s) => s.slice());
	const e = U.encryptBallot({
		referendum: ref, region: regionId, referendumHash: state.referendumHash, manifestBytes: state.manifestBytes,
		manifest: state.manifest, electionKey: r.election_key, electorate: electorate(), X, selections,
	});
	return { ...e, selections, ms: performance.now() - t0 };
}

/** Signs the shown ballot with the credential: its tracker stays the one shown. */
function signBuilt(b) {
	const { x } = U.credentialKeys(ref, regionId, credential());
	try {
		const signed = U.signBallot(b.ballot, b.bind, x);
		if (!U.equalBytes(signed.tracker, b.tracker)) throw new U.UrnaError('mismatch', 'signing changed the tracker');
		return signed;
	} finally {
		x.fill(0);
	}
}

function encrypt() {
	message().hidden = true;
	try {
		state.built = build();
	} catch (err) {
		state.built = null;
		return fail(err);
	}
	state.cast = null;
	render();
	document.getElementById('tracker-text')?.closest('section')?.scrollIntoView?.({ block: 'nearest' });
	document.getElementById('cast')?.focus();
}

async function cast() {
	const b = state.built;
	if (!b || state.busy) return;
	state.busy = true;
	render();
	try {
		const signed = signBuilt(b);
		const res = await apiFetch(`referendums/${enc(ref)}/regions/${enc(regionId)}/ballots`, { method: 'POST', body: signed.bytes });
		const ans = await res.json();
		// The server names the ballot it stored by its tracker: it must be ours.
		if (ans.tracker !== U.b64url(signed.tracker))
			throw new ApiError('mismatch', `the server stored a ballot with tracker ${ans.tracker}, not this one (${U.b64url(signed.tracker)})`, 0);
		state.cast = { ...ans, status: res.status, tracker_text: signed.trackerText,
			receiptProblem: receiptProblem(ans.receipt, ans, signed.tracker) };
		state.built = null;
		state.credential = '';
		state.busy = false;
		render();
		document.getElementById('cast-result')?.focus();
	} catch (err) {
		state.busy = false;
		// Refused for the time: the page shows where voting now stands.
		if (err.code === 'closed' || err.code === 'not_open') await refresh();
		render();
		fail(err);
	}
}

function audit() {
	const b = state.built;
	if (!b || state.busy) return;
	// The audited ballot is the unsigned one shown: it is never signed.
	const doc = U.auditFile({
		referendum: ref, region: regionId, referendumHash: state.referendumHash, manifestText: state.manifestText,
		electionKey: state.referendum.election_key, electorate: electorate(), built: b,
	});
	// The page re-checks the document itself, from its JSON text as saved.
	const check = U.auditCheck(U.canonicalJson(doc));
	state.audits.unshift({ doc, check, trackerText: b.trackerText });
	// Never cast an audited ballot: forget it and encrypt afresh.
	state.built = null;
	try {
		state.built = build();
	} catch (err) {
		render();
		return fail(err);
	}
	render();
	document.getElementById('audit-result')?.focus();
}

/* ---------- start ---------- */

header('booth', render);
render();
load().catch((err) => (state.failure = err)).finally(render);
