// urna-crypto.js: the booth's cryptography, byte for byte the protocol of
// docs/protocol.md (sections 2, 6, 11-14, 16; protocol version 2). Runs unchanged in the browser
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

/** u64 little-endian of a safe integer: a packed question's allowed values (s.11.1). */
export function u64(n) {
	if (!Number.isSafeInteger(n) || n < 0) throw new UrnaError('malformed', 'a u64 must be a safe integer >= 0');
	const b = new Uint8Array(8);
	const v = new DataView(b.buffer);
	v.setUint32(0, n % 2 ** 32, true);
	v.setUint32(4, Math.floor(n / 2 ** 32), true);
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
export const sInvert = (a) => need().crypto_core_ristretto255_scalar_invert(a);

export function scalarRandom() {
	return need().crypto_core_ristretto255_scalar_random();
}

/** The scalar of a safe integer v >= 0. */
export function scalarFromInt(v) {
	const s = new Uint8Array(32);
	s.set(u64(v));
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

/** Encrypts v under K with r (fresh unless given): {alpha: rG, beta: rK + vG, r}. */
export function encrypt(K, v, r = scalarRandom()) {
	return { alpha: baseMul(r), beta: add(mul(r, K), smallBase(v)), r };
}

/* Protocol 2 (s.11): every challenge hashes its whole statement, first the
 * generator G, then what the proof is bound to. A ballot's proofs are bound
 * to bind = {h_R, h_E, K, X}: the referendum, the region, the election key
 * (also the key of the equations) and the credential, all 32 bytes. */
let G_BYTES = null;
const generator = () => G_BYTES ?? (G_BYTES = smallBase(1));

/** c = Hs("range/2", G, K, h_R, h_E, X, u32 question, u32 choice, u32 lo,
 * u32 hi, alpha, beta, A_lo, B_lo, ..., A_hi, B_hi). */
export function rangeChallenge(bind, question, choice, ct, commits, lo, hi) {
	const items = [generator(), bind.K, bind.h_R, bind.h_E, bind.X, u32(question), u32(choice), u32(lo), u32(hi), ct.alpha, ct.beta];
	for (const c of commits) items.push(c.A, c.B);
	return Hs('range/2', ...items);
}

/** c = Hs("packed/2", G, K, h_R, h_E, X, u32 question, u32 n, u64 v_0, ...,
 * u64 v_(n-1), alpha, beta, A_0, B_0, ..., A_(n-1), B_(n-1)): a packed
 * question's proof over its allowed values vals (s.6). */
export function packedChallenge(bind, question, ct, commits, vals) {
	const items = [generator(), bind.K, bind.h_R, bind.h_E, bind.X, u32(question), u32(vals.length), ...vals.map(u64), ct.alpha, ct.beta];
	for (const c of commits) items.push(c.A, c.B);
	return Hs('packed/2', ...items);
}

/** The disjunctive proof that ct encrypts vals[idx] (one of vals) knowing
 * r, as the C prover makes it (src/crypto/proof.c): t_0..t_(n-1), then
 * c_0..c_(n-1) from draw; A_i = t_i G, B_i = t_i K + c_i (v_i - v) G;
 * c_idx = c - the others, c = challenge(commitments); z_i = t_i + c_i r.
 * Every branch takes the same group operations whatever idx is. */
function oneofProve(K, r, idx, vals, challenge, draw) {
	const n = vals.length;
	const t = vals.map(() => draw());
	const c = vals.map(() => draw());
	const v = scalarFromInt(vals[idx]);
	const br = vals.map((j, i) => ({ A: baseMul(t[i]), B: add(mul(t[i], K), baseMul(sMul(c[i], sSub(scalarFromInt(j), v)))) }));
	const ch = challenge(br);
	let others = new Uint8Array(32);
	for (let i = 0; i < n; i++) if (i !== idx) others = sAdd(others, c[i]);
	c[idx] = sSub(ch, others);
	br.forEach((b, i) => Object.assign(b, { c: c[i], z: sAdd(t[i], sMul(c[i], r)) }));
	return br;
}

/** Checks a disjunctive proof br over vals: the challenges add up to
 * challenge(br), and z_i G = A_i + c_i alpha, z_i K = B_i + c_i (beta - v_i G). */
function oneofVerify(K, ct, br, vals, challenge) {
	if (br.length !== vals.length) return false;
	let sum = new Uint8Array(32);
	for (const b of br) {
		if (!pointIsValid(b.A) || !pointIsValid(b.B) || !scalarIsCanonical(b.c) || !scalarIsCanonical(b.z))
			return false;
		sum = sAdd(sum, b.c);
	}
	if (!equalBytes(sum, challenge(br))) return false;
	return vals.every((j, i) => {
		const b = br[i];
		if (!equalBytes(baseMul(b.z), add(b.A, mul(b.c, ct.alpha)))) return false;
		return equalBytes(mul(b.z, K), add(b.B, mul(b.c, sub(ct.beta, smallBase(j)))));
	});
}

const span = (lo, hi) => Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);

/** Disjunctive proof that ct = (alpha, beta) encrypts v in lo..hi under
 * bind.K knowing r, for question and choice (0xffffffff for the sum).
 * Returns the branches as bytes. draw: the random scalars' source. */
export function rangeProve(bind, question, choice, ct, r, v, lo, hi, draw = scalarRandom) {
	if (!(lo <= v && v <= hi)) throw new UrnaError('malformed', 'value out of range');
	return oneofProve(bind.K, r, v - lo, span(lo, hi), (br) => rangeChallenge(bind, question, choice, ct, br, lo, hi), draw);
}

/** Checks a range proof (branches as bytes) under bind; true or false. */
export function rangeVerify(bind, question, choice, ct, br, lo, hi) {
	return oneofVerify(bind.K, ct, br, span(lo, hi), (b) => rangeChallenge(bind, question, choice, ct, b, lo, hi));
}

/** A packed question's proof (s.6) that ct encrypts vals[idx], knowing r. */
export function packedProve(bind, question, ct, r, idx, vals, draw = scalarRandom) {
	if (!(idx >= 0 && idx < vals.length)) throw new UrnaError('malformed', 'no such value');
	return oneofProve(bind.K, r, idx, vals, (br) => packedChallenge(bind, question, ct, br, vals), draw);
}

/** Checks a packed proof over the allowed values vals; true or false. */
export function packedVerify(bind, question, ct, br, vals) {
	return oneofVerify(bind.K, ct, br, vals, (b) => packedChallenge(bind, question, ct, b, vals));
}

/** s.6: M, the packing base of a region of electorate e (1 <= e < 2^32):
 * the smallest power of two above e. */
export function packedBase(electorate) {
	if (!Number.isInteger(electorate) || electorate < 1 || electorate > 0xffffffff)
		throw new UrnaError('malformed', 'the electorate must be an integer in 1..4294967295 (it fixes M, s.6)');
	let M = 2;
	while (M <= electorate) M *= 2;
	return M;
}

/** s.6: a question is packed (one ciphertext) when max is 1 and it has at most two choices. */
export const isPacked = (q) => q.max === 1 && q.choices.length <= 2;

/** The allowed values of a packed question, ascending: 0 (blank, when min
 * is 0), 1 (choice 1), M (choice 2). */
export function packedValues(q, M) {
	return [...(q.min === 0 ? [0] : []), 1, ...(q.choices.length === 2 ? [M] : [])];
}

/** c = Hs("signature/2", G, K, h_R, h_E, X, msg, A). */
export function signatureChallenge(bind, msg, A) {
	return Hs('signature/2', generator(), bind.K, bind.h_R, bind.h_E, bind.X, msg, A);
}

/** Schnorr signature over msg (32 bytes) with x, bind.X = xG (s.6, s.11). */
export function sign(bind, msg, x, draw = scalarRandom) {
	const w = draw();
	const A = baseMul(w);
	const c = signatureChallenge(bind, msg, A);
	return { A, z: sAdd(w, sMul(c, x)) };
}

export function signatureVerify(bind, msg, sig) {
	if (!pointIsValid(sig.A) || !scalarIsCanonical(sig.z)) return false;
	const c = signatureChallenge(bind, msg, sig.A);
	return equalBytes(baseMul(sig.z), add(sig.A, mul(c, bind.X)));
}

/** h_R: hash32 of the body of the board's first line (seq 0, the
 * referendum entry), given as the line's text or bytes exactly as served
 * (GET /api/referendums/{id}/board?from=0&limit=1; a trailing newline is
 * ignored). With id, the entry must be that referendum's. Throws
 * UrnaError('malformed') otherwise. */
export function referendumHash(line, id) {
	const text = typeof line === 'string' ? line : new TextDecoder('utf-8', { fatal: true }).decode(line);
	const l = text.replace(/\n$/, '');
	const head = /^\{"seq":0,"prev":"[A-Za-z0-9_-]{43}","time":-?[0-9]+,"kind":"referendum","by":"organizer","sig":"[A-Za-z0-9_-]{86}","body":/.exec(l);
	if (!head || !l.endsWith('}') || l.includes('\n')) fail('malformed', 'not the board\'s first line (the referendum entry)');
	const body = l.slice(head[0].length, -1);
	let parsed;
	try {
		parsed = JSON.parse(body);
	} catch {
		fail('malformed', 'the referendum entry\'s body is not JSON');
	}
	if (id !== undefined && (!isObject(parsed) || parsed.id !== id)) fail('malformed', `the board's first line is not referendum ${id}'s entry`);
	return hash32(utf8(body));
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

/** 32 bytes given as bytes or base64url text. */
function bytes32(v, what) {
	if (v instanceof Uint8Array && v.length === 32) return v;
	if (typeof v === 'string') return fromB64url(v, 32);
	throw new UrnaError('malformed', `${what} must be 32 bytes (or their base64url)`);
}

/** s.14 (protocol 2): the tracker, hash32 of the unsigned ballot's
 * canonical bytes (a ballot object, with or without its signature). */
export function trackerOf(ballot) {
	const { signature, ...unsigned } = ballot;
	return hash32(utf8(canonicalJson(unsigned)));
}

/** Encrypts and proves a ballot, unsigned. Arguments: referendum and region
 * ids, referendumHash (h_R: referendumHash() of the board's first line, as
 * bytes or base64url), manifestBytes (the manifest exactly as served),
 * manifest (parsed), electionKey (base64url), electorate (the region's, from
 * the referendum's status: it fixes the packing base M, s.6), X (credential
 * public key, bytes), selections; draw (optional) gives every random scalar
 * in the order of the C prover's ballot_make_from (known-answer tests only).
 * A packed question (max 1, at most two choices) is one ciphertext of 0
 * (blank), 1 or M with a proof over its allowed values; any other one
 * ciphertext a choice with its 0/1 proof and a sum proof. Returns {ballot
 * (object, no signature), bytes, tracker (hash32 of bytes: the tracker the
 * signed ballot keeps), trackerText, h_E, bind ({h_R, h_E, K, X}: what
 * every proof is bound to, for signBallot), secrets: {randomness}} where
 * randomness[q] lists each ciphertext's {r, v} (s.16). */
export function encryptBallot({ referendum, region, referendumHash: hR, manifestBytes, manifest, electionKey, electorate, X, selections, draw = scalarRandom }) {
	checkSelections(manifest, selections);
	if (hR === undefined) throw new UrnaError('malformed', 'the referendum\'s hash h_R is needed (protocol 2: every proof is bound to it)');
	const h_R = bytes32(hR, 'referendumHash');
	const h_E = hash32(manifestBytes);
	const K = fromB64url(electionKey, 32);
	if (!pointIsValid(K) || isZero(K)) throw new UrnaError('bad_encoding', 'bad election key');
	const M = manifest.questions.some((q) => isPacked(q) && q.choices.length === 2) ? packedBase(electorate) : 0;
	const bind = { h_R, h_E, K, X };
	const answers = [];
	const randomness = [];
	manifest.questions.forEach((q, qi) => {
		const s = selections[qi];
		if (isPacked(q)) {
			const vals = packedValues(q, M);
			const v = s[0] ? 1 : s[1] ? M : 0;
			const ct = encrypt(K, v, draw());
			const proof = packedProve(bind, qi, ct, ct.r, vals.indexOf(v), vals, draw);
			answers.push({ alpha: b64url(ct.alpha), beta: b64url(ct.beta), proof: proof.map(branchJson) });
			randomness.push([{ r: ct.r, v }]);
			return;
		}
		const choices = [];
		const rs = [];
		let sum = { alpha: IDENTITY.slice(), beta: IDENTITY.slice() };
		let rsum = new Uint8Array(32);
		let vsum = 0;
		s.forEach((v, ci) => {
			const ct = encrypt(K, v, draw());
			const proof = rangeProve(bind, qi, ci, ct, ct.r, v, 0, 1, draw);
			choices.push({ alpha: b64url(ct.alpha), beta: b64url(ct.beta), proof: proof.map(branchJson) });
			rs.push({ r: ct.r, v });
			sum = { alpha: add(sum.alpha, ct.alpha), beta: add(sum.beta, ct.beta) };
			rsum = sAdd(rsum, ct.r);
			vsum += v;
		});
		const proof = rangeProve(bind, qi, 0xffffffff, sum, rsum, vsum, q.min, q.max, draw);
		answers.push({ choices, proof: proof.map(branchJson) });
		randomness.push(rs);
	});
	const ballot = { answers, credential: b64url(X), referendum, region };
	const bytes = canonicalJson(ballot);
	const tracker = hash32(utf8(bytes));
	return { ballot, bytes, tracker, trackerText: b32(tracker, 4), h_E, bind, secrets: { randomness } };
}

/** Adds the signature with credential secret x, bound to bind (encryptBallot's
 * {h_R, h_E, K, X}), over the tracker (hash32 of the unsigned ballot, s.14);
 * returns {ballot, bytes, tracker (bytes), trackerText}: the tracker is the
 * unsigned ballot's, the one shown before signing. */
export function signBallot(unsigned, bind, x, draw = scalarRandom) {
	if (!bind || !(bind.h_R instanceof Uint8Array) || !(bind.K instanceof Uint8Array))
		throw new UrnaError('malformed', 'signBallot takes encryptBallot\'s bind {h_R, h_E, K, X} (protocol 2)');
	if (unsigned.signature !== undefined) throw new UrnaError('malformed', 'the ballot is signed already');
	const X = fromB64url(unsigned.credential, 32);
	if (!equalBytes(X, bind.X)) throw new UrnaError('mismatch', 'the ballot\'s credential is not the one its proofs are bound to');
	const tracker = trackerOf(unsigned);
	const sig = sign(bind, tracker, x, draw);
	const ballot = { ...unsigned, signature: { A: b64url(sig.A), z: b64url(sig.z) } };
	return { ballot, bytes: canonicalJson(ballot), tracker, trackerText: b32(tracker, 4) };
}

/** Verifies every proof of a ballot (and its signature when present) against
 * the manifest, the region's electorate (its packing base M), h_R, h_E and K
 * (base64url). Returns null when valid, else a reason naming the answer. */
export function verifyBallot(ballot, manifest, h_R, h_E, electionKey, electorate) {
	try {
		const K = fromB64url(electionKey, 32);
		const X = fromB64url(ballot.credential, 32);
		if (!pointIsValid(X) || isZero(X)) return 'bad credential key';
		const bind = { h_R: bytes32(h_R, 'h_R'), h_E, K, X };
		if (ballot.answers.length !== manifest.questions.length) return 'wrong number of answers';
		for (let qi = 0; qi < manifest.questions.length; qi++) {
			const q = manifest.questions[qi];
			const a = ballot.answers[qi];
			if (isPacked(q)) {
				if (a.choices !== undefined) return `question ${qi}: must be packed`;
				const ct = { alpha: fromB64url(a.alpha, 32), beta: fromB64url(a.beta, 32) };
				if (!pointIsValid(ct.alpha) || !pointIsValid(ct.beta)) return `question ${qi}: bad point`;
				const vals = packedValues(q, q.choices.length === 2 ? packedBase(electorate) : 0);
				if (!packedVerify(bind, qi, ct, a.proof.map(branchBytes), vals)) return `question ${qi} (packed): bad proof`;
				continue;
			}
			if (!Array.isArray(a.choices) || a.choices.length !== q.choices.length) return `question ${qi}: wrong number of choices`;
			let sum = { alpha: IDENTITY.slice(), beta: IDENTITY.slice() };
			for (let ci = 0; ci < a.choices.length; ci++) {
				const c = a.choices[ci];
				const ct = { alpha: fromB64url(c.alpha, 32), beta: fromB64url(c.beta, 32) };
				if (!pointIsValid(ct.alpha) || !pointIsValid(ct.beta)) return `question ${qi} choice ${ci}: bad point`;
				if (!rangeVerify(bind, qi, ci, ct, c.proof.map(branchBytes), 0, 1)) return `question ${qi} choice ${ci}: bad proof`;
				sum = { alpha: add(sum.alpha, ct.alpha), beta: add(sum.beta, ct.beta) };
			}
			if (!rangeVerify(bind, qi, 0xffffffff, sum, a.proof.map(branchBytes), q.min, q.max)) return `question ${qi}: bad sum proof`;
		}
		if (ballot.signature) {
			const sig = { A: fromB64url(ballot.signature.A, 32), z: fromB64url(ballot.signature.z, 32) };
			if (!signatureVerify(bind, trackerOf(ballot), sig)) return 'bad signature';
		}
		return null;
	} catch (e) {
		return e.message;
	}
}

/* ---------- Benaloh audit (s.16) ---------- */

/** The audit document (s.16, version 2) of an unsigned ballot, which can
 * never be cast: encryptBallot's result as built (its ballot, tracker and
 * secrets), the manifest text, the election key, the region's electorate,
 * the referendum's hash h_R (bytes or base64url) and, per question, the
 * value v and randomness r of each ciphertext (a packed question's one,
 * v = 0, 1 or M); the same document `urna audit-ballot FILE` checks. */
export function auditFile({ referendum, region, referendumHash: hR, manifestText, electionKey, electorate, built }) {
	if (hR === undefined) throw new UrnaError('malformed', 'the referendum\'s hash h_R is needed (protocol 2)');
	if (built.ballot.signature !== undefined) throw new UrnaError('malformed', 'an audited ballot is never signed (s.16)');
	return {
		ballot: built.ballot,
		election_key: electionKey,
		electorate,
		manifest: manifestText,
		randomness: built.secrets.randomness.map((rs) => rs.map(({ r, v }) => ({ r: b64url(r), v }))),
		referendum,
		referendum_hash: b64url(bytes32(hR, 'referendumHash')),
		region,
		tracker: b64url(built.tracker),
		version: 2,
	};
}

/* The audit check: the same checks in the same order as the record layer's
 * audit_check (src/record/audit.h), failing with the same class (the
 * UrnaError code: malformed, too_large, bad_encoding, bad_signature,
 * bad_proof, mismatch), so that tests/vectors/audit.json holds both to the
 * same verdicts. Verification only: no secret is involved. */

const BALLOT_MAX = 64 * 1024; // s.14
const LINE_MAX = 16 * 1024 * 1024; // s.15
const AUDIT_MAX = 2 * LINE_MAX; // a manifest escaped, a ballot and its randomness
const MAX_QUESTIONS = 16;
const MAX_CHOICES = 16;
const INT64_MAX = 2n ** 63n - 1n;

const fail = (code, message) => {
	throw new UrnaError(code, message);
};
const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const hasOwn = (o, k) => Object.prototype.hasOwnProperty.call(o, k);

/** What jansson refuses in JSON that JSON.parse takes (text already parsed):
 * a duplicate key, a real number (the files' numbers are integers; jansson
 * keeps them apart), an integer beyond 64 bits, U+0000 or a lone surrogate in
 * a string, nesting deeper than 2048. The first one found, or null. */
function strictJsonIssue(text) {
	const stack = []; // per open object its keys, per array null
	let key = false; // the next string is an object key
	for (let i = 0; i < text.length; ) {
		const c = text[i];
		if (c === '"') {
			let j = i + 1;
			while (text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
			const s = JSON.parse(text.slice(i, j + 1));
			if (s.includes('\0')) return 'a string holds \\u0000';
			if (/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s)) return 'a string holds a lone surrogate';
			if (key) {
				const keys = stack[stack.length - 1];
				if (keys.has(s)) return `duplicate object key "${s}"`;
				keys.add(s);
				key = false;
			}
			i = j + 1;
		} else if (c === '-' || (c >= '0' && c <= '9')) {
			let j = i;
			while (j < text.length && /[-+0-9.eE]/.test(text[j])) j++;
			const n = text.slice(i, j);
			if (/[.eE]/.test(n)) return `a real number (${n})`;
			if (BigInt(n) > INT64_MAX || BigInt(n) < -INT64_MAX - 1n) return `an integer beyond 64 bits (${n})`;
			i = j;
		} else if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
			i++;
		} else {
			if (c === '{') stack.push(new Set());
			else if (c === '[') stack.push(null);
			if (stack.length > 2048) return 'maximum parsing depth reached';
			else if (c === '}' || c === ']') stack.pop();
			key = (c === '{' || c === ',') && stack[stack.length - 1] instanceof Set;
			i++;
		}
	}
	return null;
}

/** JSON as jansson reads it (json_loadb with JSON_REJECT_DUPLICATES). */
function strictParse(text, what) {
	let v;
	try {
		v = JSON.parse(text);
	} catch (e) {
		fail('malformed', `${what}not JSON: ${e.message}`);
	}
	const issue = strictJsonIssue(text);
	if (issue) fail('malformed', `${what}not JSON: ${issue}`);
	return v;
}

/* The strict field readers of src/record/canon.c. */
function exactKeys(o, keys, what) {
	if (!isObject(o)) fail('malformed', `${what} must be an object`);
	for (const k of Object.keys(o))
		if (!keys.includes(k)) fail('malformed', `${what}: unknown key "${k.slice(0, 60)}" (its keys are ${keys.join(', ')})`);
	for (const k of keys) if (!hasOwn(o, k)) fail('malformed', `${what}: "${k}" missing`);
}
function getB64(o, key, n) {
	if (typeof o[key] !== 'string') fail('malformed', `"${key}" must be a base64url string`);
	try {
		return fromB64url(o[key], n);
	} catch {
		return fail('bad_encoding', `"${key}" is not base64url of ${n} bytes`);
	}
}
function getScalar(o, key) {
	const s = getB64(o, key, 32);
	if (!scalarIsCanonical(s)) fail('bad_encoding', `"${key}" is not a scalar below l`);
	return s;
}
function getPointNonzero(o, key) {
	const p = getB64(o, key, 32);
	if (!pointIsValid(p) || isZero(p)) fail('bad_encoding', `"${key}" is not a canonical non-identity point`);
	return p;
}
function getId(o, key) {
	if (typeof o[key] !== 'string' || !/^[a-z0-9][a-z0-9-]{0,62}$/.test(o[key]))
		fail('malformed', `"${key}" must be an id [a-z0-9][a-z0-9-]{0,62}`);
	return o[key];
}
function getU32(o, key) {
	const v = o[key];
	if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) fail('malformed', `"${key}" must be an integer in 0..4294967295`);
	return v;
}
function checkText(v, what) {
	if (!isObject(v) || Object.keys(v).length === 0) fail('malformed', `${what} must be an object of language -> text`);
	for (const [lang, s] of Object.entries(v))
		if (utf8(lang).length < 2 || utf8(lang).length > 16 || typeof s !== 'string' || s.length === 0)
			fail('malformed', `${what}: each language must map to a non-empty text`);
}

/** The manifest text (record/audit.c read_manifest, body.c manifest_parse):
 * the board's bytes, so canonical; returns the parsed manifest. */
function readManifest(text) {
	if (typeof text !== 'string') fail('malformed', '"manifest" must be the region manifest\'s text (a string)');
	if (utf8(text).length > LINE_MAX) fail('too_large', `manifest: more than ${LINE_MAX} bytes`);
	const m = strictParse(text, 'manifest: ');
	let again = null;
	try {
		again = canonicalJson(m);
	} catch {
		/* not canonical either */
	}
	if (again !== text) fail('malformed', 'manifest: JSON is not in canonical form (s.13: compact, keys sorted)');
	exactKeys(m, ['id', 'name', 'questions'], 'manifest: manifest');
	getId(m, 'id');
	checkText(m.name, 'manifest: name');
	if (!Array.isArray(m.questions) || m.questions.length < 1 || m.questions.length > MAX_QUESTIONS)
		fail('malformed', `manifest: "questions" must have 1..${MAX_QUESTIONS} questions`);
	m.questions.forEach((q, qi) => {
		const where = `manifest: question ${qi + 1}`;
		exactKeys(q, ['text', 'choices', 'min', 'max'], `${where}: question`);
		checkText(q.text, `${where}: question text`);
		getU32(q, 'min');
		getU32(q, 'max');
		if (!Array.isArray(q.choices) || q.choices.length < 1 || q.choices.length > MAX_CHOICES)
			fail('malformed', `${where} must have 1..${MAX_CHOICES} choices`);
		q.choices.forEach((c, ci) => checkText(c, `${where}, choice ${ci + 1}`));
		if (q.min > q.max || q.max > q.choices.length || q.max < 1)
			fail('malformed', `${where}: need min <= max, 1 <= max <= choices`);
	});
	return m;
}

/** One {r, v} per choice of each question, or one per packed question
 * with v one of its allowed values (record/audit.c read_randomness). */
function readRandomness(rand, manifest, M) {
	const nq = manifest.questions.length;
	if (!Array.isArray(rand) || rand.length !== nq) fail('malformed', `"randomness" must hold one list per question (${nq})`);
	return manifest.questions.map((q, qi) => {
		const l = rand[qi];
		const packed = isPacked(q);
		const vals = packed ? packedValues(q, M) : [0, 1];
		const n = packed ? 1 : q.choices.length;
		if (!Array.isArray(l) || l.length !== n)
			fail('malformed', packed ? `randomness of question ${qi + 1} must hold one entry (${n}: a packed question, s.16)`
				: `randomness of question ${qi + 1} must hold one entry per choice (${n})`);
		return l.map((rv, ci) => {
			const where = `question ${qi + 1} choice ${ci + 1}`;
			exactKeys(rv, ['r', 'v'], `${where}: randomness entry`);
			if (!Number.isSafeInteger(rv.v) || !vals.includes(rv.v))
				fail('malformed', packed ? `question ${qi + 1}: "v" must be one of its allowed values (0 for blank where allowed, 1, M = ${M})`
					: `${where}: "v" must be 0 or 1`);
			try {
				return { r: getScalar(rv, 'r'), v: rv.v };
			} catch (e) {
				throw new UrnaError(e.code, `${where}: ${e.message}`);
			}
		});
	});
}

/** A proof's branches (record/ballot.c get_proof): nmin..nmax of {A, B, c, z}. */
function readProof(l, nmin, nmax) {
	if (!Array.isArray(l) || l.length < nmin || l.length > nmax)
		fail('malformed', `a proof must have ${nmin}..${nmax} branches`);
	return l.map((o) => {
		exactKeys(o, ['A', 'B', 'c', 'z'], 'proof branch');
		return { A: getB64(o, 'A', 32), B: getB64(o, 'B', 32), c: getScalar(o, 'c'), z: getScalar(o, 'z') };
	});
}

/** The unsigned ballot in its canonical bytes (record/ballot.c
 * ballot_parse_unsigned: no "signature", s.14's other keys exactly, 1..16
 * answers, each packed {alpha, beta, proof} of 1..3 branches or 1..16
 * choices, encodings; points are decoded by the verification). */
function readBallot(b) {
	const bytes = utf8(canonicalJson(b));
	if (bytes.length > BALLOT_MAX) fail('too_large', `${bytes.length} bytes, at most ${BALLOT_MAX} allowed`);
	if (hasOwn(b, 'signature')) fail('malformed', 'the ballot is signed: an audited ballot is never signed, so that it cannot be cast (s.16)');
	exactKeys(b, ['answers', 'credential', 'referendum', 'region'], 'ballot');
	const out = { referendum: getId(b, 'referendum'), region: getId(b, 'region'), X: getB64(b, 'credential', 32) };
	if (!Array.isArray(b.answers) || b.answers.length < 1 || b.answers.length > MAX_QUESTIONS)
		fail('malformed', `"answers" must have 1..${MAX_QUESTIONS} entries`);
	out.answers = b.answers.map((a, qi) => {
		if (isObject(a) && !hasOwn(a, 'choices')) {
			try {
				exactKeys(a, ['alpha', 'beta', 'proof'], 'packed answer');
				return { packed: true, alpha: getB64(a, 'alpha', 32), beta: getB64(a, 'beta', 32), proof: readProof(a.proof, 1, 3) };
			} catch (e) {
				throw new UrnaError(e.code, `answer ${qi + 1}: ${e.message}`);
			}
		}
		exactKeys(a, ['choices', 'proof'], 'answer');
		if (!Array.isArray(a.choices) || a.choices.length < 1 || a.choices.length > MAX_CHOICES)
			fail('malformed', `answer ${qi + 1}: "choices" must have 1..${MAX_CHOICES} entries`);
		const choices = a.choices.map((c) => {
			exactKeys(c, ['alpha', 'beta', 'proof'], 'choice');
			return { alpha: getB64(c, 'alpha', 32), beta: getB64(c, 'beta', 32), proof: readProof(c.proof, 2, 2) };
		});
		return { packed: false, choices, proof: readProof(a.proof, 1, MAX_CHOICES + 1) };
	});
	out.tracker = hash32(bytes);
	return out;
}

/** record/ballot.c ballot_shape_ok: as many answers as questions, each
 * packed exactly when its question is, with one branch per allowed value,
 * else with its choices and min..max sum branches. */
function checkShape(b, manifest, M) {
	if (b.answers.length !== manifest.questions.length)
		fail('malformed', `ballot has ${b.answers.length} answers, region ${manifest.id} has ${manifest.questions.length} questions`);
	manifest.questions.forEach((q, qi) => {
		const a = b.answers[qi];
		if (a.packed !== isPacked(q))
			fail('malformed', a.packed ? `ballot: answer ${qi + 1} is packed (one ciphertext), the question needs one ciphertext per choice`
				: `ballot: answer ${qi + 1} must be packed (one ciphertext: its question has max 1 and at most 2 choices, s.6)`);
		if (a.packed) {
			const n = packedValues(q, M).length;
			if (a.proof.length !== n) fail('malformed', `ballot: answer ${qi + 1}: its proof needs ${n} branches (one per allowed value)`);
			return;
		}
		if (a.choices.length !== q.choices.length)
			fail('malformed', `ballot: answer ${qi + 1} has ${a.choices.length} choices, question has ${q.choices.length}`);
		if (a.proof.length !== q.max - q.min + 1)
			fail('malformed', `ballot: answer ${qi + 1}: sum proof needs ${q.max - q.min + 1} branches (min..max)`);
	});
}

/** record/ballot.c ballot_verify (unsigned): every point decodes (the
 * credential not the identity), then every proof, all bound to h_R, h_E,
 * K and the credential, the first that fails named. */
function verifyParsedBallot(b, manifest, h_R, h_E, K, M) {
	const pts = [];
	for (const a of b.answers) {
		if (a.packed) pts.push(a.alpha, a.beta);
		else for (const c of a.choices) pts.push(c.alpha, c.beta, ...c.proof.flatMap((br) => [br.A, br.B]));
		pts.push(...a.proof.flatMap((br) => [br.A, br.B]));
	}
	if (!pointIsValid(b.X) || isZero(b.X) || !pts.every(pointIsValid))
		fail('bad_encoding', 'a point of the ballot is not a canonical ristretto255 encoding');
	const bind = { h_R, h_E, K, X: b.X };
	b.answers.forEach((a, qi) => {
		const q = manifest.questions[qi];
		if (a.packed) {
			const vals = packedValues(q, M);
			if (!packedVerify(bind, qi, a, a.proof, vals))
				fail('bad_proof', `answer ${qi + 1} (packed): the proof that its ciphertext holds one of ${vals.join(', ')} does not verify`);
			return;
		}
		let sum = { alpha: IDENTITY.slice(), beta: IDENTITY.slice() };
		a.choices.forEach((c, ci) => {
			if (!rangeVerify(bind, qi, ci, c, c.proof, 0, 1))
				fail('bad_proof', `answer ${qi + 1} choice ${ci + 1}: the proof that it holds 0 or 1 does not verify`);
			sum = { alpha: add(sum.alpha, c.alpha), beta: add(sum.beta, c.beta) };
		});
		if (!rangeVerify(bind, qi, 0xffffffff, sum, a.proof, q.min, q.max))
			fail('bad_proof', `answer ${qi + 1}: the proof that ${q.min}..${q.max} choices are selected does not verify`);
	});
}

/** Checks a Benaloh audit file (s.16) given as its text or its bytes, in the
 * order s.16 lists: 1. the document (its JSON, exact keys, version, ids, the
 * manifest, election key, tracker, electorate, randomness); 2. the ballot
 * (unsigned, parsed in its canonical bytes, for the file's referendum and
 * region and the manifest's, its shape, points, proofs, then the tracker);
 * 3. the openings (alpha = rG, beta = rK + vG for every ciphertext, then
 * each question's count within min..max). Returns {ok: true, selections,
 * referendum, region, manifest, tracker} or {ok: false, code, reason} for
 * the first check that fails, code the class `urna audit-ballot` reports
 * (src/record/audit.h). */
export function auditCheck(file) {
	try {
		let text = file;
		if (file instanceof Uint8Array) {
			if (file.length > AUDIT_MAX) fail('too_large', `the audit file has ${file.length} bytes, at most ${AUDIT_MAX} allowed`);
			try {
				text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(file);
			} catch {
				fail('malformed', 'not JSON: not UTF-8');
			}
		} else if (typeof file !== 'string') {
			throw new TypeError('auditCheck takes the file\'s text or bytes');
		} else if (utf8(file).length > AUDIT_MAX) {
			fail('too_large', `the audit file has more than ${AUDIT_MAX} bytes`);
		}
		// 1. The document.
		const doc = strictParse(text, '');
		exactKeys(doc, ['ballot', 'election_key', 'electorate', 'manifest', 'randomness', 'referendum', 'referendum_hash', 'region', 'tracker', 'version'], 'audit file');
		if (doc.version !== 2) fail('malformed', '"version" must be 2 (protocol 2: a version-1 file\'s proofs do not verify under it)');
		const referendum = getId(doc, 'referendum');
		const region = getId(doc, 'region');
		const manifest = readManifest(doc.manifest);
		const K = getPointNonzero(doc, 'election_key');
		const h_R = getB64(doc, 'referendum_hash', 32);
		const shown = getB64(doc, 'tracker', 32);
		const h_E = hash32(utf8(doc.manifest));
		if (!Number.isInteger(doc.electorate) || doc.electorate < 1 || doc.electorate > 0xffffffff)
			fail('malformed', '"electorate" must be the region\'s electorate, an integer in 1..4294967295 (it fixes the packing base M, s.6)');
		const M = packedBase(doc.electorate);
		const openings = readRandomness(doc.randomness, manifest, M);
		if (!isObject(doc.ballot)) fail('malformed', '"ballot" must be the ballot (an object, s.14)');
		// 2. The ballot, unsigned.
		let b;
		try {
			b = readBallot(doc.ballot);
		} catch (e) {
			throw e instanceof UrnaError && !e.message.startsWith('ballot') ? new UrnaError(e.code, `ballot: ${e.message}`) : e;
		}
		if (b.referendum !== referendum || b.region !== region)
			fail('mismatch', `the ballot is for ${b.referendum}/${b.region}, the file says ${referendum}/${region}`);
		if (b.region !== manifest.id) fail('mismatch', `the ballot is for region ${b.region}, the manifest is region ${manifest.id}'s`);
		checkShape(b, manifest, M);
		try {
			verifyParsedBallot(b, manifest, h_R, h_E, K, M);
		} catch (e) {
			throw e instanceof UrnaError ? new UrnaError(e.code, `ballot: ${e.message}`) : e;
		}
		if (!equalBytes(shown, b.tracker)) fail('mismatch', 'the tracker shown is not the hash of this ballot');
		// 3. The openings.
		const selections = manifest.questions.map((q, qi) => {
			const a = b.answers[qi];
			const cts = a.packed ? [a] : a.choices;
			const sel = q.choices.map(() => 0);
			openings[qi].forEach(({ r, v }, ci) => {
				const c = cts[ci];
				if (!equalBytes(baseMul(r), c.alpha)) fail('mismatch', `question ${qi + 1} choice ${ci + 1}: alpha is not rG for the revealed r`);
				if (!equalBytes(add(mul(r, K), smallBase(v)), c.beta))
					fail('mismatch', `question ${qi + 1} choice ${ci + 1}: beta is not rK + vG for v = ${v}`);
				if (a.packed) {
					sel[0] = v === 1 ? 1 : 0;
					if (q.choices.length === 2) sel[1] = v === M ? 1 : 0;
				} else {
					sel[ci] = v;
				}
			});
			return sel;
		});
		manifest.questions.forEach((q, qi) => {
			const n = selections[qi].reduce((x, y) => x + y, 0);
			if (n < q.min || n > q.max) fail('mismatch', `question ${qi + 1}: ${n} selected, the manifest allows ${q.min}..${q.max}`);
		});
		return { ok: true, selections, referendum, region, manifest, tracker: b.tracker, referendumHash: h_R };
	} catch (e) {
		if (e instanceof UrnaError) return { ok: false, code: e.code, reason: e.message };
		throw e;
	}
}
