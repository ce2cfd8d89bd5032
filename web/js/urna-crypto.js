// urna-crypto.js: the booth's cryptography, byte for byte the protocol of
// docs/protocol.md (sections 2, 6, 11-14, 16). Runs unchanged in the browser
// (an import map points the bare specifier at web/node_modules) and in Node
// (the vector tests). Every group operation goes through libsodium
// (crypto_core_ristretto255_*, crypto_scalarmult_ristretto255*), which is
// constant time on secrets; this file only moves bytes around.
import sodiumModule from 'libsodium-wrappers-sumo';

let sodium = null;

/** Resolves once libsodium is loaded; call before anything else. */
export async function ready() {
	if (!sodium) {
		await sodiumModule.ready;
		sodium = sodiumModule;
	}
	return sodium;
}

function need() {
	if (!sodium) throw new Error('urna-crypto: call ready() first');
	return sodium;
}

/* ---------- errors ---------- */

/** A client-side error with a stable code, like the server's error codes. */
export class UrnaError extends Error {
	constructor(code, message) {
		super(message);
		this.code = code;
	}
}

/* ---------- bytes ---------- */

const encoder = new TextEncoder();

export function utf8(text) {
	return encoder.encode(text);
}

/** u32 little-endian, the transcripts' integer encoding (s.2, s.10). */
export function u32(n) {
	const b = new Uint8Array(4);
	new DataView(b.buffer).setUint32(0, n >>> 0, true);
	return b;
}

export function concat(parts) {
	let n = 0;
	for (const p of parts) n += p.length;
	const out = new Uint8Array(n);
	let o = 0;
	for (const p of parts) {
		out.set(p, o);
		o += p.length;
	}
	return out;
}

export function equalBytes(a, b) {
	if (a.length !== b.length) return false;
	let d = 0;
	for (let i = 0; i < a.length; i++) d |= a[i] ^ b[i];
	return d === 0;
}

export function toHex(b) {
	return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

export function fromHex(h) {
	if (h.length % 2 || /[^0-9a-fA-F]/.test(h)) throw new UrnaError('bad_encoding', 'not hex');
	const out = new Uint8Array(h.length / 2);
	for (let i = 0; i < out.length; i++) out[i] = parseInt(h.substr(2 * i, 2), 16);
	return out;
}

/* ---------- base64url and base32 (RFC 4648 s.5, s.6, no padding) ---------- */

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** bytes as digits of alphabet (64 or 32 letters), the last one padded with
 * zero bits. */
function encodeBits(bytes, alphabet) {
	const width = Math.log2(alphabet.length);
	let out = '';
	let acc = 0;
	let bits = 0;
	for (const b of bytes) {
		acc = ((acc << 8) | b) & 0xffff;
		bits += 8;
		while (bits >= width) {
			bits -= width;
			out += alphabet[(acc >> bits) & (alphabet.length - 1)];
		}
	}
	if (bits > 0) out += alphabet[(acc << (width - bits)) & (alphabet.length - 1)];
	return out;
}

/** The bytes text encodes in alphabet; throws UrnaError('bad_encoding') for
 * another letter, a length no byte count gives, non-zero padding bits, or,
 * with n, other than n bytes. */
function decodeBits(text, alphabet, n, what) {
	const width = Math.log2(alphabet.length);
	if (typeof text !== 'string') throw new UrnaError('bad_encoding', `not ${what}`);
	const out = new Uint8Array(Math.floor((text.length * width) / 8));
	let acc = 0;
	let bits = 0;
	let o = 0;
	for (const ch of text) {
		const v = alphabet.indexOf(ch);
		if (v < 0) throw new UrnaError('bad_encoding', `not ${what}`);
		acc = ((acc << width) | v) & 0xffff;
		bits += width;
		if (bits >= 8) {
			bits -= 8;
			out[o++] = (acc >> bits) & 255;
		}
	}
	if (bits >= width || acc & ((1 << bits) - 1)) throw new UrnaError('bad_encoding', `not canonical ${what}`);
	if (n !== undefined && o !== n) throw new UrnaError('bad_encoding', `expected ${n} bytes`);
	return out;
}

export function b64url(bytes) {
	return encodeBits(bytes, B64);
}

/** Decodes canonical base64url; with n, insists on exactly n bytes. */
export function fromB64url(text, n) {
	return decodeBits(text, B64, n, 'base64url');
}

/** Base32 of bytes; with group > 0 a '-' goes between groups (trackers: 4). */
export function b32(bytes, group = 0) {
	const out = encodeBits(bytes, B32);
	return group > 0 ? out.match(new RegExp(`.{1,${group}}`, 'g')).join('-') : out;
}

/** Decodes base32 text, ignoring '-', spaces and case; with n, exactly n bytes. */
export function fromB32(text, n) {
	return decodeBits(text.replace(/[-\s]/g, '').toUpperCase(), B32, n, 'base32');
}

/* ---------- hashing (s.2, s.11) ---------- */

function item(x) {
	if (typeof x === 'string') return utf8(x);
	if (x instanceof Uint8Array) return x;
	throw new TypeError('hash item must be bytes or text');
}

/** H(tag, x1..xk) = SHA-512("urna/v1/" || tag || 0 || u32le(len x1) || x1 ...). */
export function H(tag, ...items) {
	const parts = [utf8('urna/v1/' + tag), new Uint8Array(1)];
	for (const x of items) {
		const b = item(x);
		parts.push(u32(b.length), b);
	}
	return need().crypto_hash_sha512(concat(parts));
}

/** Hs = H reduced mod l. */
export function Hs(tag, ...items) {
	return need().crypto_core_ristretto255_scalar_reduce(H(tag, ...items));
}

/** hash32(bytes) = first 32 bytes of H("bytes", bytes). */
export function hash32(bytes) {
	return H('bytes', item(bytes)).slice(0, 32);
}

/* ---------- group helpers ---------- */

// l = 2^252 + 27742317777372353535851937790883648493, little-endian.
const L = fromHex('edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010');
export const IDENTITY = new Uint8Array(32);

/** True iff s is 32 bytes encoding an integer < l. */
export function scalarIsCanonical(s) {
	if (!(s instanceof Uint8Array) || s.length !== 32) return false;
	for (let i = 31; i >= 0; i--) {
		if (s[i] < L[i]) return true;
		if (s[i] > L[i]) return false;
	}
	return false;
}

export function pointIsValid(p) {
	return p instanceof Uint8Array && p.length === 32 && need().crypto_core_ristretto255_is_valid_point(p);
}

function isZero(b) {
	let d = 0;
	for (const x of b) d |= x;
	return d === 0;
}

/** sG; 0G is the identity (libsodium refuses a zero result). */
export function baseMul(s) {
	return isZero(s) ? IDENTITY.slice() : need().crypto_scalarmult_ristretto255_base(s);
}

/** sP; the identity when s or P is zero. */
export function mul(s, P) {
	if (isZero(s) || isZero(P)) return IDENTITY.slice();
	return need().crypto_scalarmult_ristretto255(s, P);
}

export const add = (a, b) => need().crypto_core_ristretto255_add(a, b);
export const sub = (a, b) => need().crypto_core_ristretto255_sub(a, b);
export const sAdd = (a, b) => need().crypto_core_ristretto255_scalar_add(a, b);
export const sSub = (a, b) => need().crypto_core_ristretto255_scalar_sub(a, b);
export const sMul = (a, b) => need().crypto_core_ristretto255_scalar_mul(a, b);

export function scalarRandom() {
	return need().crypto_core_ristretto255_scalar_random();
}

export function scalarFromInt(v) {
	const s = new Uint8Array(32);
	new DataView(s.buffer).setUint32(0, v >>> 0, true);
	return s;
}

/** vG for a small public v. */
export function smallBase(v) {
	return baseMul(scalarFromInt(v));
}

/* ---------- canonical JSON (s.13) ---------- */

function cmpBytes(a, b) {
	const x = utf8(a);
	const y = utf8(b);
	const n = Math.min(x.length, y.length);
	for (let i = 0; i < n; i++) if (x[i] !== y[i]) return x[i] - y[i];
	return x.length - y.length;
}

/** Compact JSON with object keys sorted by byte order (what jansson writes
 * with JSON_COMPACT | JSON_SORT_KEYS). Integers only, no floats. */
export function canonicalJson(value) {
	if (value === null || typeof value === 'boolean') return JSON.stringify(value);
	if (typeof value === 'number') {
		if (!Number.isSafeInteger(value)) throw new UrnaError('malformed', 'canonical JSON has integers only');
		return String(value);
	}
	if (typeof value === 'string') {
		// jansson writes other control characters as \u00XX in upper case.
		return JSON.stringify(value).replace(/\\u00([0-9a-f]{2})/g, (m, h) => '\\u00' + h.toUpperCase());
	}
	if (Array.isArray(value)) return '[' + value.map(canonicalJson).join(',') + ']';
	if (typeof value === 'object') {
		const keys = Object.keys(value).filter((k) => value[k] !== undefined).sort(cmpBytes);
		return '{' + keys.map((k) => JSON.stringify(k) + ':' + canonicalJson(value[k])).join(',') + '}';
	}
	throw new TypeError('not JSON');
}

/* ---------- credentials (s.5, s.12) ---------- */

/** Removes '-' and spaces and upper-cases; throws
 * UrnaError('malformed_credential', 'malformed credential') unless it is 32 base32 characters whose last
 * 4 bytes are the check of the first 16. Returns the normalised text. */
export function normaliseCredential(text) {
	const norm = String(text).replace(/[-\s]/g, '').toUpperCase();
	let raw;
	try {
		raw = fromB32(norm, 20);
	} catch {
		throw new UrnaError('malformed_credential', 'malformed credential');
	}
	const check = H('credential-check', raw.subarray(0, 16)).subarray(0, 4);
	if (norm.length !== 32 || !equalBytes(check, raw.subarray(16, 20)))
		throw new UrnaError('malformed_credential', 'malformed credential');
	return norm;
}

/** A fresh credential (16 random bytes + check), grouped by four. */
export function credentialNew() {
	const raw = new Uint8Array(20);
	globalThis.crypto.getRandomValues(raw.subarray(0, 16));
	raw.set(H('credential-check', raw.subarray(0, 16)).subarray(0, 4), 16);
	return b32(raw, 4);
}

/** {x, X}: x = Hs("credential", referendum, region, normalised), X = xG. */
export function credentialKeys(referendum, region, normalised) {
	const x = Hs('credential', referendum, region, normalised);
	return { x, X: baseMul(x) };
}

/* ---------- ElGamal and proofs (s.6, s.11) ---------- */

/** Encrypts v under K with fresh r: {alpha: rG, beta: rK + vG, r}. */
export function encrypt(K, v) {
	const r = scalarRandom();
	return { alpha: baseMul(r), beta: add(mul(r, K), smallBase(v)), r };
}

function rangeChallenge(bind, K, ct, commits) {
	const items = [bind.h_E, bind.X, u32(bind.question), u32(bind.choice), ct.alpha, ct.beta];
	for (const c of commits) items.push(c.A, c.B);
	return Hs('range', ...items);
}

/** Disjunctive proof that ct = (alpha, beta) encrypts v in lo..hi knowing r.
 * bind = {h_E, X, question, choice}. Returns the branches as bytes. */
export function rangeProve(bind, K, ct, r, v, lo, hi) {
	if (!(lo <= v && v <= hi)) throw new UrnaError('malformed', 'value out of range');
	const br = [];
	let w = null;
	for (let j = lo; j <= hi; j++) {
		if (j === v) {
			w = scalarRandom();
			br.push({ A: baseMul(w), B: mul(w, K), c: null, z: null });
		} else {
			const c = scalarRandom();
			const z = scalarRandom();
			const shifted = sub(ct.beta, smallBase(j));
			br.push({ A: sub(baseMul(z), mul(c, ct.alpha)), B: sub(mul(z, K), mul(c, shifted)), c, z });
		}
	}
	let cv = rangeChallenge(bind, K, ct, br);
	for (const b of br) if (b.c) cv = sSub(cv, b.c);
	const real = br[v - lo];
	real.c = cv;
	real.z = sAdd(w, sMul(cv, r));
	return br;
}

/** Checks a range proof (branches as bytes); true or false. */
export function rangeVerify(bind, K, ct, br, lo, hi) {
	if (br.length !== hi - lo + 1) return false;
	let sum = new Uint8Array(32);
	for (const b of br) {
		if (!pointIsValid(b.A) || !pointIsValid(b.B) || !scalarIsCanonical(b.c) || !scalarIsCanonical(b.z))
			return false;
		sum = sAdd(sum, b.c);
	}
	if (!equalBytes(sum, rangeChallenge(bind, K, ct, br))) return false;
	for (let j = lo; j <= hi; j++) {
		const b = br[j - lo];
		if (!equalBytes(baseMul(b.z), add(b.A, mul(b.c, ct.alpha)))) return false;
		const shifted = sub(ct.beta, smallBase(j));
		if (!equalBytes(mul(b.z, K), add(b.B, mul(b.c, shifted)))) return false;
	}
	return true;
}

/** Schnorr signature over msg (32 bytes) with x, X = xG (s.6, s.11). */
export function sign(h_E, X, msg, x) {
	const w = scalarRandom();
	const A = baseMul(w);
	const c = Hs('signature', h_E, X, msg, A);
	return { A, z: sAdd(w, sMul(c, x)) };
}

export function signatureVerify(h_E, X, msg, sig) {
	if (!pointIsValid(sig.A) || !scalarIsCanonical(sig.z)) return false;
	const c = Hs('signature', h_E, X, msg, sig.A);
	return equalBytes(baseMul(sig.z), add(sig.A, mul(c, X)));
}

/* ---------- ballots (s.14) ---------- */

const branchJson = (b) => ({ A: b64url(b.A), B: b64url(b.B), c: b64url(b.c), z: b64url(b.z) });
const branchBytes = (b) => ({ A: fromB64url(b.A, 32), B: fromB64url(b.B, 32), c: fromB64url(b.c, 32), z: fromB64url(b.z, 32) });

/** Checks that selections (one 0/1 array per question) fit the manifest. */
export function checkSelections(manifest, selections) {
	if (!Array.isArray(selections) || selections.length !== manifest.questions.length)
		throw new UrnaError('malformed', 'one answer per question is needed');
	manifest.questions.forEach((q, i) => {
		const s = selections[i];
		if (!Array.isArray(s) || s.length !== q.choices.length || s.some((v) => v !== 0 && v !== 1))
			throw new UrnaError('malformed', `question ${i + 1}: one 0 or 1 per choice`);
		const n = s.reduce((a, b) => a + b, 0);
		if (n < q.min || n > q.max)
			throw new UrnaError('bad_selection', `question ${i + 1}: select between ${q.min} and ${q.max}`);
	});
}

/** Encrypts and proves a ballot, unsigned. Arguments: referendum and region
 * ids, manifestBytes (the manifest exactly as served), manifest (parsed),
 * electionKey (base64url), X (credential public key, bytes), selections.
 * Returns {ballot (object, no signature), h_E, secrets: {randomness,
 * sumRandomness}} where the secrets open every ciphertext (s.16). */
export function encryptBallot({ referendum, region, manifestBytes, manifest, electionKey, X, selections }) {
	checkSelections(manifest, selections);
	const h_E = hash32(manifestBytes);
	const K = fromB64url(electionKey, 32);
	if (!pointIsValid(K) || isZero(K)) throw new UrnaError('bad_encoding', 'bad election key');
	const answers = [];
	const randomness = [];
	const sumRandomness = [];
	manifest.questions.forEach((q, qi) => {
		const choices = [];
		const rs = [];
		let sum = { alpha: IDENTITY.slice(), beta: IDENTITY.slice() };
		let rsum = new Uint8Array(32);
		let vsum = 0;
		selections[qi].forEach((v, ci) => {
			const ct = encrypt(K, v);
			const proof = rangeProve({ h_E, X, question: qi, choice: ci }, K, ct, ct.r, v, 0, 1);
			choices.push({ alpha: b64url(ct.alpha), beta: b64url(ct.beta), proof: proof.map(branchJson) });
			rs.push(ct.r);
			sum = { alpha: add(sum.alpha, ct.alpha), beta: add(sum.beta, ct.beta) };
			rsum = sAdd(rsum, ct.r);
			vsum += v;
		});
		const sumBind = { h_E, X, question: qi, choice: 0xffffffff };
		const proof = rangeProve(sumBind, K, sum, rsum, vsum, q.min, q.max);
		answers.push({ choices, proof: proof.map(branchJson) });
		randomness.push(rs);
		sumRandomness.push(rsum);
	});
	const ballot = { answers, credential: b64url(X), referendum, region };
	return { ballot, h_E, secrets: { randomness, sumRandomness } };
}

/** Adds the signature with credential secret x; returns {ballot, bytes,
 * tracker (bytes), trackerText}. */
export function signBallot(unsigned, h_E, x) {
	const X = fromB64url(unsigned.credential, 32);
	const msg = hash32(utf8(canonicalJson(unsigned)));
	const sig = sign(h_E, X, msg, x);
	const ballot = { ...unsigned, signature: { A: b64url(sig.A), z: b64url(sig.z) } };
	const bytes = canonicalJson(ballot);
	const tracker = hash32(utf8(bytes));
	return { ballot, bytes, tracker, trackerText: b32(tracker, 4) };
}

/** Verifies every proof of a ballot (and its signature when present) against
 * the manifest, h_E and K. Returns null when valid, else a reason. */
export function verifyBallot(ballot, manifest, h_E, electionKey) {
	try {
		const K = fromB64url(electionKey, 32);
		const X = fromB64url(ballot.credential, 32);
		if (!pointIsValid(X) || isZero(X)) return 'bad credential key';
		if (ballot.answers.length !== manifest.questions.length) return 'wrong number of answers';
		for (let qi = 0; qi < manifest.questions.length; qi++) {
			const q = manifest.questions[qi];
			const a = ballot.answers[qi];
			if (a.choices.length !== q.choices.length) return `question ${qi}: wrong number of choices`;
			let sum = { alpha: IDENTITY.slice(), beta: IDENTITY.slice() };
			for (let ci = 0; ci < a.choices.length; ci++) {
				const c = a.choices[ci];
				const ct = { alpha: fromB64url(c.alpha, 32), beta: fromB64url(c.beta, 32) };
				if (!pointIsValid(ct.alpha) || !pointIsValid(ct.beta)) return `question ${qi} choice ${ci}: bad point`;
				if (!rangeVerify({ h_E, X, question: qi, choice: ci }, K, ct, c.proof.map(branchBytes), 0, 1))
					return `question ${qi} choice ${ci}: bad proof`;
				sum = { alpha: add(sum.alpha, ct.alpha), beta: add(sum.beta, ct.beta) };
			}
			if (!rangeVerify({ h_E, X, question: qi, choice: 0xffffffff }, K, sum, a.proof.map(branchBytes), q.min, q.max))
				return `question ${qi}: bad sum proof`;
		}
		if (ballot.signature) {
			const { signature, ...unsigned } = ballot;
			const msg = hash32(utf8(canonicalJson(unsigned)));
			const sig = { A: fromB64url(signature.A, 32), z: fromB64url(signature.z, 32) };
			if (!signatureVerify(h_E, X, msg, sig)) return 'bad signature';
		}
		return null;
	} catch (e) {
		return e.message;
	}
}

/* ---------- Benaloh audit (s.16) ---------- */

/** The audit document of a signed ballot that will never be cast: the
 * manifest text, the election key, the tracker (base64url) and, per question
 * and choice, the value v and randomness r of its ciphertext (s.16, the same
 * document `urna audit-ballot FILE` checks). */
export function auditFile({ referendum, region, manifestText, electionKey, signed, selections, secrets }) {
	return {
		ballot: signed.ballot,
		election_key: electionKey,
		manifest: manifestText,
		randomness: secrets.randomness.map((rs, q) => rs.map((r, k) => ({ r: b64url(r), v: selections[q][k] }))),
		referendum,
		region,
		tracker: b64url(signed.tracker),
		version: 1,
	};
}

/** Re-checks an audit document (s.16): every alpha = rG and beta = rK + vG
 * for the revealed r and v, the selections within the manifest's bounds,
 * every proof, the signature and the tracker. Returns {ok: true, selections}
 * or {ok: false, reason} naming the first failing check. */
export function auditCheck(audit) {
	try {
		const manifest = JSON.parse(audit.manifest);
		const h_E = hash32(utf8(audit.manifest));
		const K = fromB64url(audit.election_key, 32);
		const b = audit.ballot;
		if (b.region !== manifest.id) return { ok: false, reason: "the ballot's region is not the manifest's" };
		if (!Array.isArray(audit.randomness) || audit.randomness.length !== b.answers.length)
			return { ok: false, reason: 'one randomness list per question is needed' };
		const selections = [];
		for (let qi = 0; qi < b.answers.length; qi++) {
			const sel = [];
			for (let ci = 0; ci < b.answers[qi].choices.length; ci++) {
				const c = b.answers[qi].choices[ci];
				const { r: rText, v } = audit.randomness[qi][ci];
				const r = fromB64url(rText, 32);
				if (!scalarIsCanonical(r) || (v !== 0 && v !== 1))
					return { ok: false, reason: `question ${qi + 1} choice ${ci + 1}: bad randomness or value` };
				if (!equalBytes(baseMul(r), fromB64url(c.alpha, 32)))
					return { ok: false, reason: `question ${qi + 1} choice ${ci + 1}: alpha is not rG` };
				if (!equalBytes(add(mul(r, K), smallBase(v)), fromB64url(c.beta, 32)))
					return { ok: false, reason: `question ${qi + 1} choice ${ci + 1}: beta is not rK + vG for v = ${v}` };
				sel.push(v);
			}
			selections.push(sel);
		}
		checkSelections(manifest, selections);
		if (!b.signature) return { ok: false, reason: 'the ballot has no signature' };
		const why = verifyBallot(b, manifest, h_E, audit.election_key);
		if (why) return { ok: false, reason: why };
		if (audit.tracker !== undefined && audit.tracker !== b64url(hash32(utf8(canonicalJson(b)))))
			return { ok: false, reason: 'the tracker shown is not the hash of this ballot' };
		return { ok: true, selections };
	} catch (e) {
		return { ok: false, reason: e.message };
	}
}
