// harness.mjs: what the browser tests and the booth benchmark share: a real
// `urna serve` on 127.0.0.1 (free port, temporary database, test clock, admin
// token file for the clock, hosting the organizer whose key it makes), the
// roles' key files (protocol 2: organizer.key, authority.key, t1.key, t2.key,
// each made by `urna keygen`, SPEC naming their .pub files), the `urna` CLI
// against it, and Debian's Chromium driven by playwright-core.
import { spawn, execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, existsSync, rmSync, openSync } from 'node:fs';
import { tmpdir, cpus } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const TOKEN = 'web-test-token-0123456789abcdef';

// 2026-07-01T00:00 Europe/Moscow is 1782853200 (UTC+3).
export const SPEC = {
	id: 'park-2026',
	title: { en: 'Park referendum', ru: 'Референдум о парке' },
	timezone: 'Europe/Moscow',
	opens_at: '2026-07-01T00:00',
	closes_at: '2026-07-01T20:00',
	announce_at: '2026-07-02T12:00',
	trustees: { t: 2, members: ['t1.pub', 't2.pub'] },
	authorities: [{ public: 'authority.pub', regions: ['north', 'south', 'east'] }],
	regions: [
		{
			id: 'north', name: { en: 'North', ru: 'Север' },
			questions: [{ text: { en: 'Should the city build the park?', ru: 'Строить ли городу парк?' }, choices: [{ en: 'Yes', ru: 'Да' }, { en: 'No', ru: 'Нет' }], min: 1, max: 1 }],
		},
		{
			id: 'south', name: { en: 'South', ru: 'Юг' },
			questions: [{ text: { en: 'Should the city build the park?', ru: 'Строить ли городу парк?' }, choices: [{ en: 'Yes', ru: 'Да' }, { en: 'No', ru: 'Нет' }], min: 0, max: 1 }],
		},
		{
			id: 'east', name: { en: 'East', ru: 'Восток' },
			questions: [
				{ text: { en: 'Should the city build the park?', ru: 'Строить ли городу парк?' }, choices: [{ en: 'Yes', ru: 'Да' }, { en: 'No', ru: 'Нет' }], min: 1, max: 1 },
				{ text: { en: 'Which features? (up to two)', ru: 'Что в парке? (не более двух)' }, choices: [{ en: 'Pond', ru: 'Пруд' }, { en: 'Playground', ru: 'Детская площадка' }, { en: 'Orchard', ru: 'Сад' }], min: 0, max: 2 },
			],
		},
	],
};
export const T = { before: 1782800000, open: 1782853200 + 600, closed: 1782925200 + 120, announce: 1782982800 + 60 };

/** The number of trustees SPEC names. */
export const TRUSTEES = SPEC.trustees.members.length;

/** The role key files SPEC names, made in dir with `urna keygen`: organizer,
 * authority, t1..tN. Returns the organizer's public key (base64url). */
function makeKeys(bin, dir) {
	const keygen = (role, name, file) => {
		const r = spawnSync(bin, ['keygen', '--role', role, '--name', name, '--out', join(dir, file)], { encoding: 'utf8' });
		if (r.status !== 0) throw new Error(`urna keygen --out ${file}: ${r.stdout}${r.stderr}`);
		return r.stdout;
	};
	const shown = keygen('organizer', 'Park commission', 'organizer.key');
	keygen('authority', 'City registry', 'authority.key');
	for (let i = 1; i <= TRUSTEES; i++) keygen('trustee', `Trustee ${i}`, `t${i}.key`);
	const pk = shown.match(/public key: *(\S+)/);
	if (!pk) throw new Error(`urna keygen printed no public key: ${shown}`);
	return pk[1];
}

/** Starts `urna serve` from build (the site from web, default ROOT/web);
 * resolves with {url, dir, log(), urna(), clock(), stop()} and the options
 * each role's commands take: server (--server URL), organizer, authority
 * (with --key of its key file) and trustee(i). */
export async function startServer(build, web = join(ROOT, 'web')) {
	const bin = resolve(ROOT, build, 'urna');
	if (!existsSync(bin)) throw new Error(`no ${bin}: run make first`);
	const dir = mkdtempSync(join(tmpdir(), 'urna-web-'));
	writeFileSync(join(dir, 'token'), TOKEN + '\n');
	const organizerKey = makeKeys(bin, dir);
	const portFile = join(dir, 'port');
	const proc = spawn(bin, ['serve', '--db', join(dir, 'urna.db'), '--listen', '127.0.0.1:0', '--port-file', portFile,
		'--admin-token-file', join(dir, 'token'), '--organizer', organizerKey, '--web', web, '--test-clock', '--clock-start', String(T.before),
		'--rate', '0', '--quiet'], { stdio: ['ignore', openSync(join(dir, 'serve.log'), 'a'), openSync(join(dir, 'serve.log'), 'a')] });
	let exited = null;
	proc.on('exit', (code) => (exited = code));
	for (let i = 0; i < 100 && !exited; i++) {
		if (existsSync(portFile) && readFileSync(portFile, 'utf8').trim()) break;
		await new Promise((r) => setTimeout(r, 50));
	}
	if (exited !== null || !existsSync(portFile))
		throw new Error(`urna serve did not start (exit ${exited}): ${readFileSync(join(dir, 'serve.log'), 'utf8')}`);
	const url = `http://127.0.0.1:${readFileSync(portFile, 'utf8').trim()}`;
	const urna = (...args) => {
		const r = spawnSync(bin, args, { cwd: dir, encoding: 'utf8' });
		if (r.status !== 0)
			throw new Error(`urna ${args.join(' ')}: exit ${r.status}${r.signal ? ' signal ' + r.signal : ''}${r.error ? ' ' + r.error : ''}\n${r.stdout}${r.stderr}`);
		return r.stdout;
	};
	const server = ['--server', url];
	const organizer = [...server, '--key', join(dir, 'organizer.key')];
	const authority = [...server, '--key', join(dir, 'authority.key')];
	const trustee = (i) => [...server, '--key', join(dir, `t${i}.key`)];
	const clock = async (now) => {
		const res = await fetch(url + '/api/clock', {
			method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${TOKEN}` }, body: JSON.stringify({ now }),
		});
		if (!res.ok) throw new Error(`POST /api/clock: ${res.status} ${await res.text()}`);
	};
	const stop = () => {
		proc.kill('SIGTERM');
		rmSync(dir, { recursive: true, force: true });
	};
	const log = () => readFileSync(join(dir, 'serve.log'), 'utf8');
	return { url, dir, bin, urna, server, organizer, authority, trustee, clock, stop, log,
		spawnSync: (args) => spawnSync(bin, args, { cwd: dir, encoding: 'utf8' }) };
}

/** Creates SPEC (signed by the organizer) with every region's credentials
 * and electorate (the authority's) and the trustees' key (t = n: each posts
 * its commitment, the organizer ends the ceremony, each stores its share).
 * Returns {credentials: {north: [...], south: [...]}} (private credential
 * texts). */
export function setupReferendum(srv, count = 6) {
	if (SPEC.trustees.t !== TRUSTEES) throw new Error('setupReferendum runs the trustees one after another: t = n only');
	writeFileSync(join(srv.dir, 'spec.json'), JSON.stringify(SPEC));
	srv.urna('referendum', 'create', 'spec.json', ...srv.organizer);
	const credentials = {};
	for (const r of SPEC.regions) {
		srv.urna('credentials', 'generate', '--referendum', SPEC.id, '--region', r.id, '--count', String(count), '--out', 'creds');
		srv.urna('credentials', 'upload', `creds/${r.id}.public.json`, ...srv.authority);
		credentials[r.id] = readFileSync(join(srv.dir, 'creds', `${r.id}.private`), 'utf8').split('\n').map((l) => l.trim()).filter((l) => /^[A-Z2-7]{4}(-[A-Z2-7]{4}){7}$/.test(l));
	}
	for (let i = 1; i <= TRUSTEES; i++) srv.urna('trustee', 'dkg', '--referendum', SPEC.id, '--no-wait', ...srv.trustee(i));
	srv.urna('referendum', 'key', SPEC.id, ...srv.organizer);
	for (let i = 1; i <= TRUSTEES; i++) srv.urna('trustee', 'dkg', '--referendum', SPEC.id, ...srv.trustee(i));
	return { credentials };
}

/** Debian's Chromium, headless, with a fresh profile. */
export async function launchBrowser() {
	const profile = mkdtempSync(join(tmpdir(), 'urna-chromium-'));
	const ctx = await chromium.launchPersistentContext(profile, {
		executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
		headless: true,
		acceptDownloads: true,
		viewport: { width: 1280, height: 900 },
		args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
			'--disable-component-update', '--disable-sync'],
	});
	const close = async () => {
		await ctx.close();
		rmSync(profile, { recursive: true, force: true });
	};
	return { ctx, close };
}

export function machine() {
	const cpu = (() => {
		try {
			return readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.*)/)?.[1] ?? 'unknown';
		} catch {
			return 'unknown';
		}
	})();
	let chromiumVersion = 'unknown';
	try {
		chromiumVersion = execFileSync(process.env.CHROMIUM || '/usr/bin/chromium', ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
	} catch {
		/* keep unknown */
	}
	return { cpu, cores: cpus().length, node: process.version, chromium: chromiumVersion };
}
