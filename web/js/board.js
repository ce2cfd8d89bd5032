// board.js: the public board, page by page (board.html?ref=R&from=SEQ), with
// its head hash, each entry's kind (in the chosen language) and gist (a
// ballot's tracker, hash32 of the ballot without its signature), its time in the referendum's zone, the hash chain
// checked across the page (docs/protocol.md s.7, s.15), and the record
// folder's files to download (results.json and results.csv once published:
// before, the server refuses them).
import * as U from './urna-crypto.js';
import { apiFetch, apiJson, el, enc, formatTime, formatUnix, header, kindName, param, pick, showError, showNotice, t } from './common.js';

const PAGE = 25;
const main = document.getElementById('main');
const ref = param('ref');
const state = { from: Math.max(0, parseInt(param('from') || '0', 10) || 0), head: null, lines: null, referendum: null, error: null };

/** Who signed an entry (s.15.1): the role's name and key fingerprint, as
 * the referendum entry names them; a ballot is signed by its credential. */
function author(by) {
	if (!by) return '';
	const role = (state.referendum?.roles || []).find((x) => x.by === by);
	return role ? el('span', { title: `${by} ${role.fingerprint}` }, `${role.name} `, el('span', { class: 'hash small' }, role.fingerprint)) : by;
}

function gist(e) {
	const b = e.body || {};
	switch (e.kind) {
	case 'referendum': return pick(b.title);
	case 'region': return pick(b.name);
	case 'trustee': return `${b.type}${b.index !== undefined ? ' #' + b.index : ''}${b.key ? ' K = ' + b.key.slice(0, 12) + '…' : ''}`;
	case 'credentials': return `${(b.credentials || []).length}`;
	case 'ballot': return el('span', { class: 'tracker small' }, U.b32(U.trackerOf(b), 4)); // the unsigned ballot's (s.14)
	case 'schedule': return pick(b.reason);
	case 'close': return b.closes_at?.local || '';
	case 'tally': return `${t('cast')}: ${b.cast}, ${t('counted')}: ${b.counted}`;
	case 'decryption': return `#${b.trustee}`;
	case 'result': return `${t('counted')}: ${b.counted} / ${t('electorate')}: ${b.electorate}`;
	case 'checkpoint': return `#${b.seq}`;
	case 'electorate': return `${t('electorate')}: ${b.electorate}`;
	case 'publish': return b.announce_at?.local || '';
	default: return '';
	}
}

async function load() {
	await U.ready();
	const [head, referendum] = await Promise.all([apiJson(`referendums/${enc(ref)}/head`), apiJson(`referendums/${enc(ref)}`)]);
	state.head = head;
	state.referendum = referendum;
	if (state.from > head.seq) state.from = Math.max(0, head.seq - PAGE + 1);
	const start = Math.max(0, state.from - 1); // one more line, to check the first prev
	const res = await apiFetch(`referendums/${enc(ref)}/board?from=${start}&limit=${PAGE + state.from - start}`);
	const text = await res.text();
	state.lines = text.split('\n').filter((l) => l.length > 0);
}

function chainCheck(lines) {
	for (let i = 1; i < lines.length; i++) {
		const prev = JSON.parse(lines[i]).prev;
		if (prev !== U.b64url(U.hash32(U.utf8(lines[i - 1])))) return { ok: false, a: JSON.parse(lines[i - 1]).seq, b: JSON.parse(lines[i]).seq };
	}
	const first = lines.length ? JSON.parse(lines[0]) : null;
	if (first && first.seq === 0 && first.prev !== U.b64url(new Uint8Array(32))) return { ok: false, a: '-', b: 0 };
	return { ok: true };
}

function render() {
	main.replaceChildren(el('h1', {}, t('board_title'), state.referendum ? `: ${pick(state.referendum.title)}` : ''));
	const box = el('div', { id: 'message', role: 'alert', tabindex: '-1', hidden: true });
	main.append(box);
	if (!ref) return main.append(el('p', {}, el('a', { href: '/' }, t('nav_home'))));
	if (state.error) return showError(box, state.error);
	if (!state.lines) return main.append(el('p', {}, t('loading')));
	const r = state.referendum;
	main.append(el('section', { class: 'card' },
		el('h2', {}, t('head')),
		el('p', {}, `#${state.head.seq}: `, el('span', { class: 'hash', id: 'head-hash' }, state.head.hash)),
		el('h3', {}, t('record')), ...recordLinks(r)));

	const lines = state.lines;
	const chain = chainCheck(lines);
	const shown = lines.map((l) => ({ line: l, e: JSON.parse(l) })).filter((x) => x.e.seq >= state.from);
	const n = state.head.seq + 1;
	const status = el('div', { id: 'chain', role: 'status' });
	main.append(status);
	if (chain.ok) showNotice(status, 'ok', t('chain_ok'));
	else showNotice(status, 'error', t('chain_bad', chain));

	const rows = shown.map(({ e }) => el('tr', { 'data-seq': e.seq, 'data-kind': e.kind },
		el('td', { class: 'num' }, String(e.seq)),
		el('td', { class: 'hide-phone' }, formatUnix(e.time, r.timezone, false)),
		el('td', { title: e.kind }, kindName(e.kind)),
		el('td', {}, e.region || ''),
		el('td', { class: 'hide-phone' }, author(e.by)),
		el('td', {}, gist(e))));
	const table = el('div', { class: 'table-wrap' }, el('table', { id: 'board' },
		el('caption', { class: 'muted small' }, t('showing', { a: state.from, b: state.from + shown.length - 1, n })),
		el('thead', {}, el('tr', {},
			el('th', { class: 'num', scope: 'col' }, t('seq')), el('th', { class: 'hide-phone', scope: 'col' }, `${t('time')} (${r.timezone})`),
			el('th', { scope: 'col' }, t('kind')), el('th', { scope: 'col' }, t('region')),
			el('th', { class: 'hide-phone', scope: 'col' }, t('author')), el('th', { scope: 'col' }, t('detail')))),
		el('tbody', {}, ...rows)));
	main.append(el('h2', {}, t('entries')), pager(n), table, pager(n));
}

/** The record's files: the board always; results.json and results.csv
 * once the results are published, before that when they will be. */
function recordLinks(r) {
	const base = `/api/referendums/${enc(ref)}/record/`;
	const link = (f) => el('a', { href: base + f, download: f }, f);
	if (r.status === 'published') return [el('p', { class: 'links', id: 'record-links' }, ...['board.jsonl', 'results.json', 'results.csv'].map(link))];
	return [el('p', { class: 'links', id: 'record-links' }, link('board.jsonl')),
		el('p', { class: 'small', id: 'record-later' }, t('record_later', { t: formatTime(r.announce_at, r.timezone) }))];
}

function pager(n) {
	const go = (from) => {
		const u = new URL(location.href);
		u.searchParams.set('from', String(from));
		location.href = u.toString();
	};
	const last = Math.max(0, n - PAGE);
	return el('div', { class: 'pager' },
		el('button', { type: 'button', class: 'secondary first', disabled: state.from === 0, onclick: () => go(0) }, t('first_page')),
		el('button', { type: 'button', class: 'secondary prev', disabled: state.from === 0, onclick: () => go(Math.max(0, state.from - PAGE)) }, t('prev_page')),
		el('button', { type: 'button', class: 'secondary next', disabled: state.from + PAGE >= n, onclick: () => go(state.from + PAGE) }, t('next_page')),
		el('button', { type: 'button', class: 'secondary last', disabled: state.from >= last, onclick: () => go(last) }, t('last_page')));
}

header('board', render);
render();
if (ref) load().catch((e) => (state.error = e)).finally(render);
