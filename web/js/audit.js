// audit.js: checks a ballot audit file (docs/protocol.md s.16) on any
// device, with the same code as the booth: every ciphertext opens to the
// shown choice with the revealed randomness, proofs, signature and tracker.
import * as U from './urna-crypto.js';
import { choiceList, el, header, pick, showNotice, t } from './common.js';

const main = document.getElementById('main');
let report = null;

function render() {
	main.replaceChildren(el('h1', {}, t('audit_page')), el('p', {}, t('audit_page_hint')));
	const input = el('input', { type: 'file', id: 'audit-file', accept: '.json,application/json' });
	input.addEventListener('change', async () => {
		const f = input.files[0];
		if (!f) return;
		let doc = null;
		try {
			doc = JSON.parse(await f.text());
		} catch (e) {
			report = { name: f.name, check: { ok: false, reason: e.message } };
			return render();
		}
		report = { name: f.name, doc, check: U.auditCheck(doc) };
		render();
		document.getElementById('audit-file-result')?.focus();
	});
	main.append(el('div', { class: 'field card' }, el('label', { for: 'audit-file' }, t('audit_file')), ' ', input));
	if (!report) return;
	const box = el('section', { id: 'audit-file-result', tabindex: '-1', role: 'status' });
	main.append(box);
	const { check, doc, name } = report;
	if (!check.ok) return showNotice(box, 'error', el('p', { id: 'audit-verdict' }, `${name}: ${t('audit_bad')} (${check.reason})`));
	const m = JSON.parse(doc.manifest);
	showNotice(box, 'ok', el('p', { id: 'audit-verdict' }, `${name}: ${t('audit_ok')}`),
		el('p', {}, `${doc.referendum} / ${pick(m.name)}`),
		choiceList(m, check.selections, { id: 'audit-choices' }),
		el('p', {}, t('tracker_label'), ': ', el('span', { class: 'tracker' }, U.b32(U.hash32(U.utf8(U.canonicalJson(doc.ballot))), 4))));
}

header('audit', render);
await U.ready();
render();
