// results.js: results per region (results.html?ref=R): the counts,
// percentages, blank votes and turnout of results.json (the server derives
// them from the board's result entries, as urna verify does), drawn as
// hand-written SVG bars, with the verifier's verdict (the server's own run
// of urna verify, docs/api.md) at the top and the record at the bottom.
// Before announce_at it says when results come and shows turnout only.
import { apiJson, el, enc, formatTime, formatUnix, header, kindName, lang, param, pick, showError, showNotice, statusBadge, t } from './common.js';

const SVG = 'http://www.w3.org/2000/svg';
const POLL_MS = 3000; // while the server's verification runs
const main = document.getElementById('main');
const ref = param('ref');
const state = { referendum: null, results: null, early: null, regions: null, verification: null, error: null };
let pollTimer = 0;

function svg(tag, attrs = {}, ...children) {
	const e = document.createElementNS(SVG, tag);
	for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
	for (const c of children) e.append(c);
	return e;
}

async function load() {
	state.referendum = await apiJson(`referendums/${enc(ref)}`);
	try {
		state.results = await apiJson(`referendums/${enc(ref)}/results`);
	} catch (err) {
		if (err.code !== 'too_early') throw err;
		state.early = err.body || {};
		return;
	}
	state.regions = Object.fromEntries(state.results.regions.map((g) => [g.id, g]));
	state.verification = state.results.verification ?? null;
	watchVerification();
}

/** Bars for one question of results.json: each choice, its bar its share
 * of the votes given to a choice (0 to 100%, as its percentage), then blank
 * as a count (blank is no choice, so not in the percentages). */
function chart(q, qi, regionId) {
	const valid = q.valid ?? q.choices.reduce((a, c) => a + c.count, 0);
	const rows = q.choices.map((c) => ({ label: pick(c.text), n: c.count, p: c.percent, share: valid ? c.count / valid : 0 }));
	const blank = { label: t('blank_votes'), n: q.blank, p: null };
	// Label above its bar, the count and percentage after it: narrow enough
	// to stay legible when a phone scales the drawing down.
	const W = 420, BAR = 300, RH = 46, BH = 24;
	const desc = [...rows, blank].map((r) => `${r.label}: ${r.n}${r.p !== null ? ` (${r.p}%)` : ''}`).join('; ');
	const s = svg('svg', { class: 'chart', viewBox: `0 0 ${W} ${rows.length * RH + BH + 4}`, role: 'img', 'aria-label': `${pick(q.text)}: ${desc}`, id: `chart-${regionId}-q${qi}` });
	rows.forEach((r, i) => {
		const y = i * RH + 2;
		s.append(svg('text', { x: 0, y: y + 14 }, r.label),
			svg('rect', { class: 'track', x: 0, y: y + 20, width: BAR, height: 18, rx: 3 }),
			svg('rect', { class: 'bar-choice', x: 0, y: y + 20, width: Number((BAR * r.share).toFixed(2)), height: 18, rx: 3, 'data-share': r.share }),
			svg('text', { x: BAR + 8, y: y + 34, class: 'value' }, `${r.n} · ${r.p}%`));
	});
	s.append(svg('text', { x: 0, y: rows.length * RH + 18, class: 'blank' }, `${blank.label}: ${blank.n}`));
	return s;
}

/** "Yes: 50.0%, No: 50.0% (of the votes for a choice); Blank: 1", with the
 * choices' own texts. */
function shares(q) {
	return `${q.choices.map((c) => `${pick(c.text)}: ${c.percent}%`).join(', ')} (${t('of_valid')}); ${t('blank_votes')}: ${q.blank}`;
}

function regionSection(g) {
	const res = state.regions?.[g.id];
	const sec = el('section', { class: 'card', id: `region-${g.id}`, 'data-region': g.id }, el('h2', {}, pick(g.name)));
	if (!res) {
		// The too_early answer lists {region, cast, electorate}.
		const tu = (state.early?.turnout || []).find((x) => x.region === g.id) || {};
		sec.append(el('p', { class: 'cast-so-far' }, `${t('cast_so_far')}: ${tu.cast ?? g.cast ?? '–'}; ${t('electorate')}: ${tu.electorate ?? g.electorate ?? '–'}`));
		return sec;
	}
	sec.append(el('dl', { class: 'times figures' },
		el('dt', {}, t('turnout')), el('dd', { class: 'turnout' }, `${res.turnout}% (${res.counted} / ${res.electorate})`),
		el('dt', {}, t('cast')), el('dd', {}, String(res.cast)),
		el('dt', {}, t('counted')), el('dd', {}, String(res.counted)),
		el('dt', {}, t('electorate')), el('dd', {}, String(res.electorate))));
	res.questions.forEach((q, qi) => {
		sec.append(el('h3', {}, pick(q.text)));
		sec.append(el('p', { class: 'shares' }, shares(q)));
		sec.append(chart(q, qi, g.id));
		const tbl = el('table', {}, el('thead', {}, el('tr', {}, el('th', {}, ''), el('th', { class: 'num' }, t('votes')), el('th', { class: 'num' }, '%'))),
			el('tbody', {}, ...q.choices.map((c) => el('tr', {}, el('td', {}, pick(c.text)), el('td', { class: 'num' }, String(c.count)), el('td', { class: 'num' }, c.percent))),
				el('tr', {}, el('td', {}, t('blank_votes')), el('td', { class: 'num' }, String(q.blank)), el('td', { class: 'num' }, ''))));
		sec.append(el('details', {}, el('summary', {}, t('votes_table')), el('div', { class: 'table-wrap' }, tbl)));
	});
	return sec;
}

/** A run that failed on the server's side (its store, its memory), naming
 * no entry: it says nothing against the board, and must not read as if. */
function unfinished(v) {
	return !v.fault && (v.error === 'io_error' || v.error === 'too_large');
}

/** Fills box with the verdict v ({status, seq, head, ballots, checked_at,
 * message, error, fault}): green when verified, red when failed. The box
 * stays the same element (a polite live region), so a screen reader hears
 * the change when a run ends. */
function fillVerification(box, v) {
	const kind = { verified: 'ok', failed: 'error' }[v.status] ?? 'warn';
	box.className = `notice ${kind}`;
	box.dataset.status = v.status;
	const yourself = el('p', {}, t('verify_yourself'), ' ', el('a', { href: '#verdict' }, t('verify_how')));
	if (v.status === 'verified') {
		box.replaceChildren(el('h2', {}, t('verify_ok_title')), el('p', {}, t('verify_ok')),
			el('dl', { class: 'times' }, // stacked on a phone: the hash and the date are long
				el('dt', {}, t('verify_entries')), el('dd', {}, t('verify_range', { seq: v.seq })),
				el('dt', {}, t('verify_head')), el('dd', {}, el('code', { class: 'hash', title: v.head, id: 'verification-head' }, `${v.head.slice(0, 12)}…`)),
				el('dt', {}, t('verify_ballots')), el('dd', {}, String(v.ballots)),
				el('dt', {}, t('verify_checked_at')), el('dd', {}, formatUnix(v.checked_at, state.referendum?.timezone))),
			yourself);
	} else if (v.status === 'failed' && unfinished(v)) {
		box.className = 'notice warn';
		box.replaceChildren(el('h2', {}, t('verify_unfinished_title')), el('p', {}, t('verify_unfinished')),
			el('p', {}, v.message), el('p', { class: 'code' }, v.error), yourself);
	} else if (v.status === 'failed') {
		const at = v.fault ? t('verify_fault', { seq: v.fault.seq, kind: kindName(v.fault.kind) }) + ' ' : '';
		box.replaceChildren(el('h2', {}, t('verify_bad_title')), el('p', {}, t('verify_bad')),
			el('p', {}, el('strong', {}, at), v.message),
			el('p', { class: 'code' }, v.error), yourself);
	} else {
		box.replaceChildren(el('h2', {}, t('verify_running_title')), el('p', {}, t('verify_running')), yourself);
	}
}

function verificationBox() {
	const box = el('section', { id: 'verification', role: 'status', 'aria-live': 'polite' });
	fillVerification(box, state.verification);
	return box;
}

/** While the server's run goes on, asks for its verdict every POLL_MS. */
function watchVerification() {
	clearTimeout(pollTimer);
	if (state.verification?.status !== 'running') return;
	pollTimer = setTimeout(async () => {
		try {
			state.verification = await apiJson(`referendums/${enc(ref)}/verification`);
		} catch {
			/* a lost answer: still running as far as we know; ask again */
		}
		const box = document.getElementById('verification');
		if (box) fillVerification(box, state.verification);
		watchVerification();
	}, POLL_MS);
}

/** The commands that recompute everything from this site's record, one
 * option a line (short enough for a phone; pasted into a shell, it is one
 * command line). */
function verifyCommand() {
	return `urna export --referendum ${ref} \\\n  --server ${location.origin} \\\n  --out record && urna verify record${lang() === 'ru' ? ' --lang ru' : ''}`;
}

function recordSection() {
	const base = `/api/referendums/${enc(ref)}/record/`;
	return el('section', { class: 'card', id: 'verdict' },
		el('h2', {}, t('check_yourself')),
		el('p', {}, t('verdict_cmd')),
		el('pre', { class: 'json command', id: 'verify-command' }, verifyCommand()),
		el('p', { class: 'links' }, el('strong', {}, t('record_link'), ':'),
			...['board.jsonl', 'results.json', 'results.csv'].map((f) => el('a', { href: base + f, download: f }, f))));
}

function render() {
	const r = state.referendum;
	main.replaceChildren(el('h1', {}, t('results_title'), r ? `: ${pick(r.title)}` : ''));
	const box = el('div', { id: 'message', role: 'alert', tabindex: '-1', hidden: true });
	main.append(box);
	if (!ref) return main.append(el('p', {}, el('a', { href: '/' }, t('nav_home'))));
	if (state.error) return showError(box, state.error);
	if (!r || (!state.regions && !state.early)) return main.append(el('p', {}, t('loading')));
	main.append(el('p', {}, statusBadge(r.status)));
	if (state.early) showNotice(box, 'warn', t('results_when', { t: formatTime(state.early.announce_at || r.announce_at, r.timezone) }));
	if (state.verification) main.append(verificationBox());
	for (const g of r.regions || []) main.append(regionSection(g));
	if (state.regions) main.append(recordSection());
}

header('results', render);
render();
if (ref) load().catch((e) => (state.error = e)).finally(render);
