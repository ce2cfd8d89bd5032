// audit.js: checks a ballot audit file (docs/protocol.md s.16) on any
// device, with the same code as the booth (urna-crypto.js auditCheck, which
// gives `urna audit-ballot`'s verdicts): the file's bytes as read, its
// ballot's proofs, signature and tracker, and every ciphertext opening to the
// shown choice with the revealed randomness. The verdict's class is on
// #audit-verdict as data-verdict (ok, malformed, bad_proof, ...).
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
		report = { name: f.name, check: U.auditCheck(new Uint8Array(await f.arrayBuffer())) };
		render();
		document.getElementById('audit-file-result')?.focus();
	});
	main.append(el('div', { class: 'field card' }, el('label', { for: 'audit-file' }, t('audit_file')), ' ', input));
	if (!report) return;
	const box = el('section', { id: 'audit-file-result', tabindex: '-1', role: 'status' });
	main.append(box);
	const { check, name } = report;
	if (!check.ok)
		return showNotice(box, 'error', el('p', { id: 'audit-verdict', 'data-verdict': check.code }, `${name}: ${t('audit_bad')} (${check.reason})`));
	showNotice(box, 'ok', el('p', { id: 'audit-verdict', 'data-verdict': 'ok' }, `${name}: ${t('audit_ok')}`),
		el('p', {}, `${check.referendum} / ${pick(check.manifest.name)}`),
		choiceList(check.manifest, check.selections, { id: 'audit-choices' }),
		el('p', {}, t('tracker_label'), ': ', el('span', { class: 'tracker' }, U.b32(check.tracker, 4))));
}

header('audit', render);
await U.ready();
render();
