// home.js: every referendum with its regions, status and schedule (in the
// referendum's time zone and the visitor's), the reason of a schedule
// change, and links to vote and check.
import { apiJson, el, enc, header, pick, scheduleNote, showError, statusBadge, t, timesList } from './common.js';

const main = document.getElementById('main');
let data = null;
let failure = null;

function render() {
	main.replaceChildren(el('h1', {}, t('home_title')));
	if (failure) {
		const box = el('div', { role: 'alert', tabindex: '-1' });
		main.append(box);
		showError(box, failure);
		return;
	}
	if (!data) return main.append(el('p', {}, t('loading')));
	if (data.length === 0) return main.append(el('p', {}, t('no_referendums')));
	const list = el('ul', { class: 'referendums' });
	for (const r of data) {
		const q = `?ref=${enc(r.id)}`;
		list.append(el('li', { class: 'card', 'data-referendum': r.id },
			el('h2', {}, pick(r.title), ' ', statusBadge(r.status)),
			timesList(r),
			scheduleNote(r),
			el('h3', {}, t('regions')),
			el('ul', { class: 'regions' }, ...(r.regions || []).map((g) => el('li', {},
				el('strong', {}, pick(g.name)), ' ',
				el('span', { class: 'links' },
					r.status === 'open' || r.status === 'scheduled'
						? el('a', { href: `/booth.html${q}&region=${enc(g.id)}` }, t('vote_here'))
						: null,
					el('a', { href: `/results.html${q}#region-${enc(g.id)}` }, t('results')))))),
			el('p', { class: 'links' },
				el('a', { href: `/board.html${q}` }, t('board')),
				el('a', { href: `/tracker.html${q}` }, t('tracker')),
				el('a', { href: `/results.html${q}` }, t('results')))));
	}
	main.append(list);
}

header('home', render);
render();
apiJson('referendums').then((d) => (data = d), (e) => (failure = e)).finally(render);
