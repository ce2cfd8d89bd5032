// tracker.js: where a tracker stands on the board (tracker.html?ref=R
// [&tracker=T]): its entry, whether it is the last ballot of its credential
// and, after the tally, whether it was counted.
import { b32, fromB64url } from './urna-crypto.js';
import { apiJson, el, enc, formatUnix, header, param, pick, showError, showNotice, t } from './common.js';

const main = document.getElementById('main');
const ref = param('ref');
const state = { referendums: null, tracker: param('tracker') || '', answer: null, zone: null, error: null };

function render() {
	main.replaceChildren(el('h1', {}, t('tracker_title')));
	const input = el('input', { type: 'text', id: 'tracker', class: 'credential', value: state.tracker, autocomplete: 'off', spellcheck: 'false', 'aria-describedby': 'tracker-hint' });
	input.addEventListener('input', () => (state.tracker = input.value));
	const form = el('form', { id: 'tracker-form', class: 'card' },
		ref ? null : referendumChooser(),
		el('div', { class: 'field' }, el('label', { for: 'tracker' }, t('tracker_input')),
			el('p', { class: 'hint', id: 'tracker-hint' }, t('tracker_hint')), input),
		el('div', { class: 'actions' }, el('button', { type: 'submit', id: 'check' }, t('check'))));
	form.addEventListener('submit', (ev) => {
		ev.preventDefault();
		lookup();
	});
	const box = el('div', { id: 'tracker-result', role: 'status', tabindex: '-1', hidden: true });
	main.append(form, box);
	if (state.error) showError(box, state.error);
	else if (state.answer) showAnswer(box, state.answer);
}

function referendumChooser() {
	const sel = el('select', { id: 'ref' }, ...(state.referendums || []).map((r) => el('option', { value: r.id }, pick(r.title))));
	return el('div', { class: 'field' }, el('label', { for: 'ref' }, t('referendum')), ' ', sel);
}

function showAnswer(box, a) {
	const r = ref || document.getElementById('ref')?.value;
	const lines = [
		el('p', {}, el('strong', {}, t('tracker_found'))),
		// Shown from the hash itself (base32 of 32 bytes in groups of four).
		el('p', {}, el('span', { class: 'tracker', id: 'tracker-found' }, b32(fromB64url(a.tracker, 32), 4))),
		el('dl', { class: 'times' },
			el('dt', {}, t('entry')), el('dd', {}, el('a', { href: `/board.html?ref=${enc(r)}&from=${a.seq}` }, String(a.seq))),
			el('dt', {}, t('region')), el('dd', {}, a.region),
			el('dt', {}, t('time')), el('dd', {}, formatUnix(a.time, state.zone))),
		el('p', { id: 'tracker-last' }, a.last_for_credential ? t('last_yes') : t('last_no')),
		el('p', { id: 'tracker-counted' }, a.counted === null || a.counted === undefined ? t('counted_null') : a.counted ? t('counted_yes') : t('counted_no')),
	];
	showNotice(box, a.last_for_credential && a.counted !== false ? 'ok' : 'warn', ...lines);
}

async function lookup() {
	const r = ref || document.getElementById('ref')?.value;
	const text = state.tracker.trim().replace(/\s+/g, '');
	state.answer = state.error = null;
	if (!text || !r) return render();
	try {
		// Its time is shown in the referendum's zone.
		const [answer, referendum] = await Promise.all([apiJson(`referendums/${enc(r)}/trackers/${enc(text)}`), apiJson(`referendums/${enc(r)}`)]);
		state.answer = answer;
		state.zone = referendum.timezone;
	} catch (err) {
		state.error = err;
	}
	render();
	document.getElementById('tracker-result')?.focus();
}

header('tracker', render);
render();
if (!ref) apiJson('referendums').then((d) => (state.referendums = d)).catch((e) => (state.error = e)).finally(render);
if (state.tracker && ref) lookup();
