// common.js: what every page shares: the interface language (Russian and
// English), the API client with one message per error code, the header,
// times in the referendum's zone and the visitor's, and small DOM helpers.

/* ---------- language ---------- */

export const LANGS = { en: 'English', ru: 'Русский' };

export const STRINGS = {
	en: {
		site: 'Urna', nav_home: 'Referendums', nav_tracker: 'Check a tracker', nav_board: 'Board', nav_results: 'Results',
		language: 'Language', skip: 'Skip to content', loading: 'Loading…',
		home_title: 'Referendums', no_referendums: 'No referendum yet.',
		opens: 'Voting opens', closes: 'Voting open until', announce: 'Results announced',
		closes_minute: 'Ballots are accepted through the whole minute {hm}.', closes_second: 'Ballots are accepted up to and including that second.',
		schedule_changed: 'The schedule was changed',
		your_time: 'your time',
		status_draft: 'being prepared', status_scheduled: 'scheduled', status_open: 'voting open',
		status_closed: 'voting closed', status_tallied: 'counted, results not yet published', status_published: 'results published',
		regions: 'Regions', vote_here: 'Vote', results: 'Results', board: 'Board', tracker: 'Check a tracker',
		booth_title: 'Voting booth', blank: 'Blank (no choice)',
		select_one: 'Select one.', select_range: 'Select from {min} to {max}.', select_upto: 'Select up to {max}.',
		credential: 'Your private credential', credential_hint: '32 letters and digits, in groups of four, as printed on your voting card. It never leaves this device.',
		encrypt: 'Encrypt my ballot',
		encrypted_title: 'Your encrypted ballot', tracker_label: 'Tracker',
		encrypted_hint: 'Your choices are now encrypted on this device, not yet signed. You can cast this ballot (your credential signs it then, and the tracker stays the one above), or audit it: auditing reveals how it was encrypted so you can check that the booth is honest; the audited ballot is never signed, so it can never be cast, and a fresh one is made.',
		cast_button: 'Cast this ballot', audit: 'Audit this ballot (it will not be cast)',
		cast_ok: 'Your ballot is on the board.',
		cast_again: 'Identical ballot: it was already on the board.',
		keep_tracker: 'Keep this tracker. Anyone can look it up on the board to check that your ballot is there.',
		check_it: 'Check this tracker',
		receipt_title: 'Your receipt, signed by the server',
		receipt_hint: 'The server signed that your ballot is entry {seq} of the board, after everything before it. Keep this file: if your ballot ever disappears from the board or moves, the receipt is the evidence to show the election commission and the observers.',
		receipt_download: 'Download the receipt', receipt_cli: 'Anyone can check it against the board with',
		receipt_details: 'The receipt (JSON)',
		receipt_bad: 'The server\'s receipt does not hold: {reason} Your ballot was sent: keep its tracker and tell the election commission.',
		receipt_none: 'the answer carries none, or not one.', receipt_other_ballot: 'it names another ballot or entry.',
		receipt_other_key: 'it is signed by another key than the referendum\'s server key.', receipt_bad_signature: 'its signature does not verify.',
		revote: 'You may vote again until voting closes: only your last ballot counts. That helps against someone who pressed you once, if they do not hold your credential and do not follow the public board: the board shows which credential cast each ballot, so whoever saw your tracker or knows your credential can see that you voted again (not how).',
		audit_title: 'Audit of the ballot', audit_ok: 'Audit passed: every ciphertext opens to the choices below (alpha = rG and beta = rK + vG), and every proof verifies. The ballot is not signed: it cannot be cast.',
		audit_bad: 'Audit FAILED: the booth did not encrypt what you chose. Do not use this device to vote.',
		audit_download: 'Download the audit file', audit_page: 'Check an audit file', audit_file: 'Audit file (JSON)',
		audit_page_hint: 'An audit file shows how the booth encrypted a ballot that was then thrown away. Open it here, on any device, to check it again; nothing is sent anywhere.',
		audit_elsewhere: 'Check it again on another device', audit_cli: 'Anyone can check this file with',
		audit_fresh: 'The audited ballot was thrown away and will never be cast. A fresh ballot has been encrypted with new randomness: it has a new tracker.',
		audit_encrypts: 'The audited ballot encrypted', ballot_details: 'The encrypted ballot (JSON)',
		encrypt_time: 'Encrypted and proved in {ms} ms.',
		not_open_yet: 'Voting has not opened yet: it opens on {t}.', not_open_form: 'You can read the questions now. This page lets you vote as soon as voting opens.',
		voting_closed: 'Voting is closed: ballots were accepted until {t}.', see_results: 'See the results', no_key: 'The trustees have not finished the election key yet; voting cannot start.',
		tracker_title: 'Check a tracker', tracker_input: 'Tracker', tracker_hint: 'As the booth showed it (groups of four letters and digits), or base64url.',
		check: 'Check', tracker_found: 'This ballot is on the board.', entry: 'Board entry', region: 'Region', time: 'Time',
		last_yes: 'It is the last ballot of its credential: it is the one that counts.',
		last_no: 'A later ballot from the same credential replaced it: only the last ballot counts.',
		counted_yes: 'It was counted in the tally.', counted_no: 'It was not counted (a later ballot of the same credential was).',
		counted_null: 'The votes have not been counted yet.',
		board_title: 'Board', head: 'Head of the board', entries: 'Entries', seq: 'No.', kind: 'Kind', detail: 'Detail',
		first_page: 'First', prev_page: 'Previous', next_page: 'Next', last_page: 'Latest',
		kind_referendum: 'Referendum', kind_region: 'Region and questions', kind_trustee: 'Trustee', kind_credentials: 'Voters\' credentials',
		kind_schedule: 'Schedule change', kind_ballot: 'Ballot', kind_close: 'Close of voting', kind_tally: 'Tally',
		kind_decryption: 'Decryption', kind_result: 'Result', kind_checkpoint: 'Checkpoint',
		kind_electorate: 'Electorate (lists complete)', kind_publish: 'Publication request', author: 'Signed by',
		record_later: 'results.json and results.csv can be downloaded once the results are published ({t}).',
		footer: 'Urna: every figure here can be recomputed from the public record with urna verify.', showing: 'Entries {a} to {b} of {n}', record: 'Record files',
		chain_ok: 'Hash chain checked on this page: each entry names the hash of the one before it.',
		chain_bad: 'Hash chain broken between entries {a} and {b}!',
		results_title: 'Results', results_when: 'Results will be published at {t}.',
		turnout: 'Turnout', cast: 'Ballots cast', counted: 'Ballots counted', electorate: 'Electorate', blank_votes: 'Blank',
		of_valid: 'of the votes for a choice',
		check_yourself: 'Check it yourself', verdict_cmd: 'Anyone can recompute every figure from the record:', record_link: 'The record',
		verify_ok_title: 'Verified', verify_ok: 'The server ran urna verify over the whole board as stored: every proof, signature, tally and result checks out.',
		verify_running_title: 'Verification in progress', verify_running: 'The server is running urna verify over the whole board. This page updates by itself when it ends.',
		verify_bad_title: 'Verification FAILED', verify_bad: 'The server\'s urna verify rejects the board as stored. Do not rely on these results until this is explained.',
		verify_unfinished_title: 'Verification could not finish', verify_unfinished: 'The server could not complete its run of urna verify. This says nothing against the board: check it yourself.',
		verify_fault: 'Entry {seq} ({kind}) at fault:', verify_entries: 'Board entries checked', verify_range: '0 to {seq}',
		verify_head: 'Head of the board checked', verify_ballots: 'Ballots checked', verify_checked_at: 'Checked at',
		verify_yourself: 'Anyone can check it themselves with urna verify on the downloadable record.', verify_how: 'How to check it',
		votes: 'votes', votes_table: 'Table of votes', cast_so_far: 'Ballots cast so far (a voter who votes again is counted once per ballot)',
		referendum: 'Referendum',
		error: 'Error',
	},
	ru: {
		site: 'Urna', nav_home: 'Референдумы', nav_tracker: 'Проверить трекер', nav_board: 'Доска', nav_results: 'Итоги',
		language: 'Язык', skip: 'К содержимому', loading: 'Загрузка…',
		home_title: 'Референдумы', no_referendums: 'Референдумов пока нет.',
		opens: 'Голосование открывается', closes: 'Голосование открыто до', announce: 'Объявление итогов',
		closes_minute: 'Бюллетени принимаются в течение всей минуты {hm}.', closes_second: 'Бюллетени принимаются до этой секунды включительно.',
		schedule_changed: 'Расписание изменено',
		your_time: 'ваше время',
		status_draft: 'готовится', status_scheduled: 'назначен', status_open: 'идёт голосование',
		status_closed: 'голосование закрыто', status_tallied: 'подсчитан, итоги не опубликованы', status_published: 'итоги опубликованы',
		regions: 'Регионы', vote_here: 'Голосовать', results: 'Итоги', board: 'Доска', tracker: 'Проверить трекер',
		booth_title: 'Кабина для голосования', blank: 'Пустой бюллетень (без выбора)',
		select_one: 'Выберите один вариант.', select_range: 'Выберите от {min} до {max}.', select_upto: 'Выберите не более {max}.',
		credential: 'Ваш личный код', credential_hint: '32 буквы и цифры группами по четыре, как напечатано на вашей карточке. Код не покидает это устройство.',
		encrypt: 'Зашифровать бюллетень',
		encrypted_title: 'Ваш зашифрованный бюллетень', tracker_label: 'Трекер',
		encrypted_hint: 'Ваш выбор зашифрован на этом устройстве, но ещё не подписан. Бюллетень можно отправить (тогда его подпишет ваш ключ, а трекер останется тем же, что выше) или проверить: проверка раскрывает, как он был зашифрован, чтобы убедиться в честности кабины; проверенный бюллетень никогда не подписывается, поэтому его нельзя отправить, и создаётся новый.',
		cast_button: 'Отправить бюллетень', audit: 'Проверить бюллетень (он не будет отправлен)',
		cast_ok: 'Ваш бюллетень на доске.',
		cast_again: 'Такой же бюллетень уже был на доске.',
		keep_tracker: 'Сохраните трекер. По нему любой может найти ваш бюллетень на доске.',
		check_it: 'Проверить этот трекер',
		receipt_title: 'Ваша квитанция, подписанная сервером',
		receipt_hint: 'Сервер подписал, что ваш бюллетень — запись {seq} на доске, после всех предыдущих. Сохраните этот файл: если бюллетень когда-нибудь исчезнет с доски или сдвинется, квитанция — доказательство для избирательной комиссии и наблюдателей.',
		receipt_download: 'Скачать квитанцию', receipt_cli: 'Любой может сверить её с доской командой',
		receipt_details: 'Квитанция (JSON)',
		receipt_bad: 'Квитанция сервера не сходится: {reason} Бюллетень отправлен: сохраните трекер и сообщите избирательной комиссии.',
		receipt_none: 'в ответе её нет, или это не квитанция.', receipt_other_ballot: 'в ней другой бюллетень или другая запись.',
		receipt_other_key: 'она подписана не ключом сервера этого референдума.', receipt_bad_signature: 'подпись не сходится.',
		revote: 'Вы можете проголосовать снова до закрытия: учитывается только последний бюллетень. Это помогает против того, кто надавил на вас один раз, если у него нет вашего кода и он не следит за публичной доской: доска показывает, с какого кода подан каждый бюллетень, поэтому тот, кто видел ваш трекер или знает ваш код, увидит, что вы проголосовали снова (но не как).',
		audit_title: 'Проверка бюллетеня', audit_ok: 'Проверка пройдена: каждый шифротекст раскрывается в выбор ниже (alpha = rG, beta = rK + vG), все доказательства верны. Бюллетень не подписан: его нельзя отправить.',
		audit_bad: 'Проверка НЕ пройдена: кабина зашифровала не то, что вы выбрали. Не голосуйте с этого устройства.',
		audit_download: 'Скачать файл проверки', audit_page: 'Проверить файл проверки', audit_file: 'Файл проверки (JSON)',
		audit_page_hint: 'Файл проверки показывает, как кабина зашифровала бюллетень, который затем был уничтожен. Откройте его здесь на любом устройстве, чтобы проверить снова; ничего никуда не отправляется.',
		audit_elsewhere: 'Проверить на другом устройстве', audit_cli: 'Любой может проверить этот файл командой',
		audit_fresh: 'Проверенный бюллетень уничтожен и никогда не будет отправлен. Зашифрован новый бюллетень с новой случайностью: у него новый трекер.',
		audit_encrypts: 'Проверенный бюллетень содержал', ballot_details: 'Зашифрованный бюллетень (JSON)',
		encrypt_time: 'Зашифровано и доказано за {ms} мс.',
		not_open_yet: 'Голосование ещё не открыто: оно откроется {t}.', not_open_form: 'Вопросы можно прочитать уже сейчас. Проголосовать на этой странице можно будет, как только голосование откроется.',
		voting_closed: 'Голосование закрыто: приём бюллетеней завершился {t}.', see_results: 'Перейти к итогам', no_key: 'Доверенные лица ещё не создали ключ выборов; голосование не может начаться.',
		tracker_title: 'Проверить трекер', tracker_input: 'Трекер', tracker_hint: 'Как его показала кабина (группы по четыре знака) или base64url.',
		check: 'Проверить', tracker_found: 'Этот бюллетень на доске.', entry: 'Запись доски', region: 'Регион', time: 'Время',
		last_yes: 'Это последний бюллетень с этим кодом: учитывается именно он.',
		last_no: 'Его заменил более поздний бюллетень с тем же кодом: учитывается только последний.',
		counted_yes: 'Он учтён при подсчёте.', counted_no: 'Он не учтён (учтён более поздний бюллетень с тем же кодом).',
		counted_null: 'Подсчёт ещё не проводился.',
		board_title: 'Доска', head: 'Вершина доски', entries: 'Записи', seq: '№', kind: 'Тип', detail: 'Подробности',
		first_page: 'В начало', prev_page: 'Назад', next_page: 'Вперёд', last_page: 'Последние',
		kind_referendum: 'Референдум', kind_region: 'Регион и вопросы', kind_trustee: 'Доверенное лицо', kind_credentials: 'Коды избирателей',
		kind_schedule: 'Изменение расписания', kind_ballot: 'Бюллетень', kind_close: 'Закрытие голосования', kind_tally: 'Подсчёт',
		kind_decryption: 'Расшифровка', kind_result: 'Итог', kind_checkpoint: 'Контрольная точка',
		kind_electorate: 'Число избирателей (списки полны)', kind_publish: 'Запрос публикации', author: 'Подпись',
		record_later: 'results.json и results.csv можно будет скачать после публикации итогов ({t}).',
		footer: 'Urna: любую цифру здесь можно пересчитать по открытому протоколу командой urna verify.', showing: 'Записи с {a} по {b} из {n}', record: 'Файлы протокола',
		chain_ok: 'Цепочка хешей на этой странице проверена: каждая запись содержит хеш предыдущей.',
		chain_bad: 'Цепочка хешей нарушена между записями {a} и {b}!',
		results_title: 'Итоги', results_when: 'Итоги будут опубликованы {t}.',
		turnout: 'Явка', cast: 'Подано бюллетеней', counted: 'Учтено бюллетеней', electorate: 'Число избирателей', blank_votes: 'Пустые',
		of_valid: 'от голосов, поданных за варианты',
		check_yourself: 'Проверьте сами', verdict_cmd: 'Любой может пересчитать все цифры по протоколу:', record_link: 'Протокол',
		verify_ok_title: 'Проверено', verify_ok: 'Сервер проверил всю доску в том виде, в каком она хранится, командой urna verify: все доказательства, подписи, подсчёты и итоги сходятся.',
		verify_running_title: 'Идёт проверка', verify_running: 'Сервер проверяет всю доску командой urna verify. Страница обновится сама, когда проверка закончится.',
		verify_bad_title: 'Проверка НЕ пройдена', verify_bad: 'Проверка urna verify на сервере отвергает доску в том виде, в каком она хранится. Не полагайтесь на эти итоги, пока это не объяснено.',
		verify_unfinished_title: 'Проверка не завершена', verify_unfinished: 'Сервер не смог довести проверку urna verify до конца. Это ничего не говорит против доски: проверьте её сами.',
		verify_fault: 'Ошибка в записи {seq} ({kind}):', verify_entries: 'Проверены записи доски', verify_range: 'с 0 по {seq}',
		verify_head: 'Проверенная вершина доски', verify_ballots: 'Проверено бюллетеней', verify_checked_at: 'Время проверки',
		verify_yourself: 'Любой может проверить это сам: скачайте протокол и запустите urna verify.', verify_how: 'Как проверить',
		votes: 'голосов', votes_table: 'Таблица голосов', cast_so_far: 'Подано бюллетеней на данный момент (повторное голосование считается отдельным бюллетенем)',
		referendum: 'Референдум',
		error: 'Ошибка',
	},
};

/** One message per error code (src/record/error.c), and the booth's own
 * (web/tests/texts.test.mjs checks both tables). */
export const ERRORS = {
	en: {
		malformed_credential: 'Malformed credential: it does not match its check letters. There is a typo; please compare it with your card, group by group.',
		bad_selection: 'Your selection does not fit a question: check how many choices it takes.',
		malformed: 'The request was not understood.', not_canonical: 'The ballot is not in canonical form.',
		bad_encoding: 'A key or hash in the request is not valid.', too_large: 'The ballot is too large.',
		not_found: 'Not found.', conflict: 'This conflicts with something already recorded.',
		not_on_list: 'This credential is not on this region\'s list of voters. Check that you chose your own region.',
		not_open: 'Voting has not opened yet.', closed: 'Voting is closed: no more ballots are accepted.',
		too_early: 'Too early: the results are not published yet.', wrong_state: 'Not possible at this stage of the referendum.',
		bad_proof: 'The server found that a proof in the ballot does not verify. The ballot was refused.',
		bad_signature: 'The ballot\'s signature does not verify. The ballot was refused.',
		mismatch: 'A figure differs from its recomputed value.', chain_broken: 'The board\'s hash chain is broken.',
		unauthorized: 'Not authorised.', rate_limited: 'Too many requests: wait a moment and try again.',
		method_not_allowed: 'Method not allowed.', unsupported_media_type: 'Wrong content type.',
		io_error: 'The server had a storage problem. Try again; your ballot is only on the board once you see its tracker confirmed.',
		network: 'The server could not be reached. Check your connection and try again.',
	},
	ru: {
		malformed_credential: 'Неверный код: не сходятся проверочные знаки. В коде опечатка; сверьте его с карточкой по группам.',
		bad_selection: 'Выбор не подходит к вопросу: проверьте, сколько вариантов можно выбрать.',
		malformed: 'Запрос не понят.', not_canonical: 'Бюллетень не в каноническом виде.',
		bad_encoding: 'Ключ или хеш в запросе неверен.', too_large: 'Бюллетень слишком велик.',
		not_found: 'Не найдено.', conflict: 'Противоречит уже записанному.',
		not_on_list: 'Этого кода нет в списке избирателей региона. Проверьте, что выбран ваш регион.',
		not_open: 'Голосование ещё не открыто.', closed: 'Голосование закрыто: бюллетени больше не принимаются.',
		too_early: 'Слишком рано: итоги ещё не опубликованы.', wrong_state: 'Невозможно на этом этапе референдума.',
		bad_proof: 'Сервер обнаружил, что доказательство в бюллетене не сходится. Бюллетень отклонён.',
		bad_signature: 'Подпись бюллетеня неверна. Бюллетень отклонён.',
		mismatch: 'Цифра не совпадает с пересчитанной.', chain_broken: 'Цепочка хешей доски нарушена.',
		unauthorized: 'Нет доступа.', rate_limited: 'Слишком много запросов: подождите и попробуйте снова.',
		method_not_allowed: 'Метод не разрешён.', unsupported_media_type: 'Неверный тип содержимого.',
		io_error: 'Ошибка хранилища на сервере. Попробуйте снова; бюллетень на доске, только когда показан его трекер.',
		network: 'Сервер недоступен. Проверьте соединение и попробуйте снова.',
	},
};

export function lang() {
	const saved = globalThis.localStorage?.getItem('urna-lang');
	if (saved && LANGS[saved]) return saved;
	const nav = (globalThis.navigator?.language || 'en').slice(0, 2);
	return LANGS[nav] ? nav : 'en';
}

export function setLang(l) {
	localStorage.setItem('urna-lang', l);
	document.documentElement.lang = l;
}

/** The interface text for key, with {name} placeholders filled from vars. */
export function t(key, vars = {}) {
	const s = STRINGS[lang()][key] ?? STRINGS.en[key] ?? key;
	return s.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m));
}

/** A protocol text object ({"en": ..., "ru": ...}) in the chosen language,
 * falling back to English, then to any language. */
export function pick(text) {
	if (text == null) return '';
	if (typeof text === 'string') return text;
	return text[lang()] ?? text.en ?? Object.values(text)[0] ?? '';
}

/* ---------- API ---------- */

/** An API failure: code from the server's {"error","message"} (or network). */
export class ApiError extends Error {
	constructor(code, message, status, body) {
		super(message);
		this.code = code;
		this.status = status;
		this.body = body;
	}
}

/** Fetches /api/path (opts: method, body as a JSON string). Resolves with
 * the Response when it is ok; rejects with an ApiError carrying the server's
 * {"error","message"} (or its status), or "network". */
export async function apiFetch(path, opts = {}) {
	let res;
	try {
		res = await fetch('/api/' + path, {
			method: opts.method || 'GET',
			headers: opts.body !== undefined ? { 'Content-Type': 'application/json' } : {},
			body: opts.body,
			cache: 'no-store',
		});
	} catch (e) {
		throw new ApiError('network', String(e.message || e), 0, null);
	}
	if (res.ok) return res;
	const text = await res.text();
	let body = null;
	try {
		body = JSON.parse(text);
	} catch {
		/* not JSON: keep the status */
	}
	throw new ApiError(body?.error || `http_${res.status}`, body?.message || text.slice(0, 200) || res.statusText, res.status, body);
}

/** GET /api/path as JSON; rejects as apiFetch. */
export async function apiJson(path) {
	return (await apiFetch(path)).json();
}

export const enc = encodeURIComponent;

/** The human message for an error code in the chosen language. */
export function errorText(code) {
	return ERRORS[lang()][code] ?? ERRORS.en[code] ?? null;
}

/** Shows an error in box (an element with role="alert"): our message for
 * its code, the server's own message, and, for a server's answer, the code
 * and status (to quote when asking for help). An error of this page's own
 * checks (no status) is ours alone, in the chosen language: its code is
 * only in box's data-code. */
export function showError(box, err) {
	box.hidden = false;
	box.className = 'notice error';
	box.replaceChildren();
	const code = err.code || 'error';
	const ours = errorText(code);
	box.dataset.code = code;
	const p = el('p', {}, el('strong', {}, t('error') + ': '), ours || err.message);
	box.append(p);
	if (ours && err.message && code !== 'network' && err.message !== ours) box.append(el('p', { class: 'small' }, err.message));
	if (err.status || !ours) box.append(el('p', { class: 'code' }, code + (err.status ? ` (HTTP ${err.status})` : '')));
	box.focus?.();
}

export function showNotice(box, kind, ...content) {
	box.hidden = false;
	box.className = 'notice ' + kind;
	box.replaceChildren(...content.filter((c) => c !== null && c !== undefined).map((c) => (typeof c === 'string' ? el('p', {}, c) : c)));
}

/* ---------- DOM ---------- */

/** el('a', {href: 'x', class: 'y'}, 'text', child...) */
export function el(tag, attrs = {}, ...children) {
	const e = document.createElement(tag);
	for (const [k, v] of Object.entries(attrs)) {
		if (v === undefined || v === null || v === false) continue;
		if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
		else e.setAttribute(k, v === true ? '' : v);
	}
	for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) e.append(c);
	return e;
}

export function param(name) {
	return new URLSearchParams(location.search).get(name);
}

/** Builds the site header with navigation and the language switch. A
 * switch re-renders the page by calling render(). */
export function header(current, render) {
	document.documentElement.lang = lang();
	const ref = param('ref');
	const q = ref ? `?ref=${enc(ref)}` : '';
	const link = (href, key, name) => el('a', { href, 'aria-current': current === name ? 'page' : null }, t(key));
	const select = el('select', { id: 'lang' }, ...Object.entries(LANGS).map(([k, v]) => el('option', { value: k, selected: k === lang() }, v)));
	select.addEventListener('change', () => {
		setLang(select.value);
		header(current, render);
		render();
	});
	const h = el('header', { class: 'site' },
		el('a', { class: 'skip', href: '#main' }, t('skip')),
		el('a', { class: 'brand', href: '/' }, t('site')),
		el('nav', { 'aria-label': 'Urna' },
			link('/', 'nav_home', 'home'),
			link('/tracker.html' + q, 'nav_tracker', 'tracker'),
			link('/board.html' + q, 'nav_board', 'board'),
			link('/results.html' + q, 'nav_results', 'results')),
		el('label', { for: 'lang' }, t('language') + ' '), select);
	const old = document.querySelector('header.site');
	if (old) old.replaceWith(h);
	else document.body.prepend(h);
	const foot = document.querySelector('footer.site');
	if (foot) foot.textContent = t('footer');
	document.title = t(current + '_title') + ' · Urna';
}

/* ---------- times ---------- */

/** The seconds of grace after closes_at (docs/protocol.md s.10): a time
 * stated to the minute runs through that whole minute, one stated to the
 * second through that second. */
function grace(time) {
	return /T\d\d:\d\d:\d\d$/.test(time.local || '') ? 1 : 60;
}

/** The last second at which a ballot is still accepted, as a time. */
export function lastSecond(closes) {
	return { local: closes.local, utc: closes.utc + grace(closes) - 1 };
}

/** A protocol time ({local, utc}) in the referendum's zone and the
 * visitor's, 24-hour, with seconds when opts.seconds. */
export function formatTime(time, zone, opts = {}) {
	if (!time || time.utc === undefined) return '';
	const d = new Date(time.utc * 1000);
	// dateStyle/timeStyle cannot be combined with timeZoneName: spell it out.
	const o = { year: 'numeric', month: 'long', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };
	if (opts.seconds) o.second = '2-digit';
	const there = new Intl.DateTimeFormat(lang(), { ...o, timeZone: zone || undefined }).format(d);
	const mine = Intl.DateTimeFormat().resolvedOptions().timeZone;
	if (!zone || mine === zone) return `${there} (${zone || mine})`;
	const here = new Intl.DateTimeFormat(lang(), { ...o, timeZoneName: 'short' }).format(d);
	return `${there} (${zone}); ${t('your_time')}: ${here}`;
}

/** Unix seconds as "2026-07-01 00:10:00 (Europe/Moscow)" in zone (the
 * referendum's; the visitor's when none), without the zone's name when
 * named is false (a column that names it in its heading). */
export function formatUnix(s, zone, named = true) {
	const z = zone || Intl.DateTimeFormat().resolvedOptions().timeZone;
	const f = new Intl.DateTimeFormat('en-GB', {
		timeZone: z, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
	});
	const p = Object.fromEntries(f.formatToParts(new Date(s * 1000)).map((x) => [x.type, x.value]));
	const text = `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
	return named ? `${text} (${z})` : text;
}

export function statusBadge(status) {
	return el('span', { class: `status status-${status}` }, t('status_' + status));
}

/** A ul of the manifest's questions, each with the choices that selections
 * (one 0/1 array per question) picks, or blank. */
export function choiceList(manifest, selections, attrs = {}) {
	return el('ul', attrs, ...manifest.questions.map((q, qi) => {
		const chosen = q.choices.filter((c, ci) => selections[qi][ci] === 1).map(pick);
		return el('li', {}, pick(q.text), ' → ', el('strong', {}, chosen.length ? chosen.join(', ') : t('blank')));
	}));
}

/** When voting ends, truthfully: the last second a ballot is accepted,
 * and what the stated time includes. */
function closesAt(r) {
	const c = r.closes_at;
	if (!c || c.utc === undefined) return '';
	const minute = grace(c) === 60;
	return [formatTime(lastSecond(c), r.timezone, { seconds: true }),
		el('span', { class: 'hint block' }, minute ? t('closes_minute', { hm: c.local.slice(11, 16) }) : t('closes_second'))];
}

export function timesList(r) {
	return el('dl', { class: 'times' },
		el('dt', {}, t('opens')), el('dd', {}, formatTime(r.opens_at, r.timezone)),
		el('dt', {}, t('closes')), el('dd', { class: 'closes' }, closesAt(r)),
		el('dt', {}, t('announce')), el('dd', {}, formatTime(r.announce_at, r.timezone)));
}

/* ---------- the board, read by the pages ---------- */

/** A board entry's kind in the chosen language. */
export function kindName(kind) {
	switch (kind) {
	case 'referendum': return t('kind_referendum');
	case 'region': return t('kind_region');
	case 'trustee': return t('kind_trustee');
	case 'credentials': return t('kind_credentials');
	case 'schedule': return t('kind_schedule');
	case 'ballot': return t('kind_ballot');
	case 'close': return t('kind_close');
	case 'tally': return t('kind_tally');
	case 'decryption': return t('kind_decryption');
	case 'result': return t('kind_result');
	case 'checkpoint': return t('kind_checkpoint');
	case 'electorate': return t('kind_electorate');
	case 'publish': return t('kind_publish');
	default: return kind;
	}
}

/** The notice of referendum r's latest schedule change (its
 * `schedule_change`, docs/api.md; none: null): its reason in the chosen
 * language (or another one given), and its board entry. */
export function scheduleNote(r) {
	const change = r.schedule_change;
	if (!change) return null;
	const q = `?ref=${enc(r.id)}` + (change.seq !== null ? `&from=${change.seq}` : '');
	const reason = change.reason ? pick(change.reason) : '';
	return el('p', { class: 'notice warn schedule-change' }, el('strong', {}, t('schedule_changed'), reason ? ': ' : ''),
		reason ? el('span', { class: 'schedule-reason' }, reason) : null, ' (',
		el('a', { href: `/board.html${q}` }, change.seq !== null ? `${t('entry')} ${change.seq}` : t('board')), ')');
}
