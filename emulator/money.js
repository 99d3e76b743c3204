'use strict';
// Money is kept as BigInt "femto-dollars" (1e-15) so that sums and per-token prices are exact:
// clients compare these decimal strings, and floating point would drift over 100k records.

const SCALE_DIGITS = 15;
const SCALE = 10n ** BigInt(SCALE_DIGITS);

/** Parse a decimal string ("2.50", "-0.1", "3") into femto units. Throws on garbage. */
function parseDecimal(value) {
	if (value === null || value === undefined || value === '') return 0n;
	const text = String(value).trim();
	const m = /^(-?)(\d*)(?:\.(\d*))?$/.exec(text);
	if (!m || (m[2] === '' && (m[3] === undefined || m[3] === '')))
		throw new Error(`not a decimal: ${text}`);
	const frac = (m[3] || '').padEnd(SCALE_DIGITS, '0');
	if (frac.length > SCALE_DIGITS && /[1-9]/.test(frac.slice(SCALE_DIGITS))) {
		throw new Error(`more than ${SCALE_DIGITS} decimals: ${text}`);
	}
	const units = BigInt(m[2] || '0') * SCALE + BigInt(frac.slice(0, SCALE_DIGITS));
	return m[1] === '-' ? -units : units;
}

/** Format femto units with at least `minDecimals` decimals and no trailing zeros beyond that. */
function formatDecimal(units, minDecimals = 6) {
	const negative = units < 0n;
	const abs = negative ? -units : units;
	const whole = abs / SCALE;
	let frac = (abs % SCALE).toString().padStart(SCALE_DIGITS, '0');
	while (frac.length > minDecimals && frac.endsWith('0')) frac = frac.slice(0, -1);
	return `${negative ? '-' : ''}${whole}${frac.length ? '.' + frac : ''}`;
}

/** Cost of `tokens` at a per-million-token price string; exact. */
function costOf(tokens, pricePerMtok) {
	if (pricePerMtok === undefined || pricePerMtok === null) return 0n;
	return (BigInt(tokens) * parseDecimal(pricePerMtok)) / 1000000n;
}

module.exports = { parseDecimal, formatDecimal, costOf, SCALE };
