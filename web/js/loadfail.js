// loadfail.js: a classic script, loaded before a page's module, that turns a
// module that cannot load (a script missing on the server, most often the
// site's npm packages never installed: web/node_modules) into a message on
// the page instead of "Loading…" forever. It runs without any module, so it
// keeps its own two texts, and names what the server's operator must run.
'use strict';
(function () {
	const SODIUM = '/node_modules/libsodium-wrappers-sumo/dist/modules-sumo-esm/libsodium-wrappers.mjs';
	const TEXT = {
		en: {
			title: 'This page cannot start.',
			packages: 'Its cryptography library (libsodium) is missing on this server. If you run the server: install the site\'s packages with scripts/deps.sh site (it runs npm ci in web/), then reload.',
			script: 'One of its scripts did not load: {src}. Reload the page; if it persists, the server is missing files.',
		},
		ru: {
			title: 'Страница не может запуститься.',
			packages: 'На сервере нет её криптографической библиотеки (libsodium). Если сервер ваш: установите пакеты сайта командой scripts/deps.sh site (она запускает npm ci в web/) и обновите страницу.',
			script: 'Не загрузился один из её скриптов: {src}. Обновите страницу; если не поможет, на сервере не хватает файлов.',
		},
	};
	function lang() {
		let saved = null;
		try { saved = localStorage.getItem('urna-lang'); } catch (e) { /* no storage */ }
		const l = saved || (navigator.language || 'en').slice(0, 2);
		return TEXT[l] ? l : 'en';
	}
	function show(key, src) {
		const t = TEXT[lang()];
		const main = document.getElementById('main');
		if (!main) return;
		const box = document.createElement('section');
		box.className = 'notice error';
		box.id = 'load-failed';
		box.setAttribute('role', 'alert');
		const h = document.createElement('h2');
		h.textContent = t.title;
		const p = document.createElement('p');
		p.textContent = t[key].replace('{src}', src);
		box.append(h, p);
		main.replaceChildren(box);
	}
	// A module graph that fails to fetch fires "error" at its <script>; it
	// does not bubble, so listen in the capture phase.
	addEventListener('error', function (ev) {
		const s = ev.target;
		if (!(s instanceof HTMLScriptElement)) return;
		const src = s.src || 'inline script';
		fetch(SODIUM, { method: 'HEAD' })
			.then(function (r) { show(r.ok ? 'script' : 'packages', src); })
			.catch(function () { show('script', src); });
	}, true);
})();
