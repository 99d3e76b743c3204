/**
 * Exact decimal arithmetic for money. ScaiGrid sends costs and prices as decimal strings
 * ("0.007275"); summing thousands of them, or subtracting them (margin, change), as binary floats
 * drifts (0.1 + 0.2). A Decimal is a BigInt scaled by 10^SCALE_DIGITS, so sums, differences and
 * products by integers are exact; a float is made only once, at the end, from the exact text.
 */

/** Digits kept after the point. Per-token prices (a per-million price ÷ 10^6) need the room. */
export const SCALE_DIGITS = 18;
const FACTOR = 10n ** BigInt(SCALE_DIGITS);

/** An amount in units of 10^-SCALE_DIGITS. */
export type Decimal = bigint;

export const DECIMAL_ZERO: Decimal = 0n;

const DECIMAL_PATTERN = /^([+-])?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

function abs(value: bigint): bigint {
	return value < 0n ? -value : value;
}

/** Integer division rounded half away from zero (BigInt division alone truncates). */
function divideRounded(numerator: bigint, denominator: bigint): bigint {
	const quotient = (abs(numerator) * 2n + abs(denominator)) / (2n * abs(denominator));
	return numerator < 0n !== denominator < 0n ? -quotient : quotient;
}

/**
 * Parses "12.30", "-0.5", "+3", ".5", "5.", "1e-6" (a number the API sent unquoted may print that
 * way) or a number. Digits beyond SCALE_DIGITS decimals round half away from zero, once, here.
 * Undefined for null, undefined, blank text, NaN, Infinity and anything that is not a decimal.
 */
export function parseDecimal(value: string | number | null | undefined): Decimal | undefined {
	if (value === null || value === undefined) return undefined;
	if (typeof value === 'number' && !Number.isFinite(value)) return undefined;
	const match = DECIMAL_PATTERN.exec(String(value).trim());
	if (!match || (match[2] === '' && (match[3] ?? '') === '')) return undefined;
	const [, sign, whole, fraction = '', exponentText] = match;
	const exponent = exponentText ? Number(exponentText) : 0;
	// Shift the point by the exponent on the digit string, then split at it.
	let digits = (whole || '0') + fraction;
	let point = (whole || '0').length + exponent;
	if (point < 0) {
		digits = '0'.repeat(-point) + digits;
		point = 0;
	}
	if (point > digits.length) digits = digits.padEnd(point, '0');
	const intPart = digits.slice(0, point) || '0';
	const fracPart = digits.slice(point);
	let units =
		BigInt(intPart) * FACTOR + BigInt(fracPart.slice(0, SCALE_DIGITS).padEnd(SCALE_DIGITS, '0'));
	if (Number(fracPart[SCALE_DIGITS] ?? '0') >= 5) units += 1n;
	return sign === '-' ? -units : units;
}

/**
 * For API fields that must be decimals: absent (null, undefined, blank) is 0, as the API means
 * no cost; anything malformed throws, naming the field, rather than being silently dropped.
 */
export function requireDecimal(value: string | number | null | undefined, what: string): Decimal {
	if (value === null || value === undefined || String(value).trim() === '') return DECIMAL_ZERO;
	const parsed = parseDecimal(value);
	if (parsed === undefined)
		throw new Error(`Not a decimal number: "${String(value).trim()}" (${what})`);
	return parsed;
}

export function fromInteger(n: number): Decimal {
	return BigInt(Math.trunc(n)) * FACTOR;
}

export function add(a: Decimal, b: Decimal): Decimal {
	return a + b;
}

export function subtract(a: Decimal, b: Decimal): Decimal {
	return a - b;
}

export function sum(values: Iterable<Decimal>): Decimal {
	let total = DECIMAL_ZERO;
	for (const value of values) total += value;
	return total;
}

/** a × b, rounded half away from zero at SCALE_DIGITS. */
export function multiply(a: Decimal, b: Decimal): Decimal {
	return divideRounded(a * b, FACTOR);
}

/** -1, 0 or 1. */
export function compare(a: Decimal, b: Decimal): number {
	return a < b ? -1 : a > b ? 1 : 0;
}

/** value × n for an integer n (tokens), exact; a fractional n counts by its integer part. */
export function timesInteger(value: Decimal, n: number): Decimal {
	return value * BigInt(Math.trunc(n));
}

/** value ÷ n for an integer n, rounded half away from zero at SCALE_DIGITS. */
export function divideByInteger(value: Decimal, n: number | bigint): Decimal {
	const divisor = typeof n === 'bigint' ? n : BigInt(Math.trunc(n));
	if (divisor === 0n) throw new RangeError('division by zero');
	return divideRounded(value, divisor);
}

/**
 * `part` as a percentage of `whole`, rounded half away from zero to `decimals` places; null when
 * `whole` is 0 (a share of nothing, or a change from nothing, has no percentage).
 */
export function percent(part: Decimal, whole: Decimal, decimals = 2): number | null {
	if (whole === 0n) return null;
	const scaled = divideRounded(part * 100n * 10n ** BigInt(decimals), whole);
	return Number(formatScaled(scaled, decimals));
}

/** An integer `units` with `decimals` implied decimal places, as text; never "-0.00". */
function formatScaled(units: bigint, decimals: number): string {
	const digits = abs(units)
		.toString()
		.padStart(decimals + 1, '0');
	const whole = digits.slice(0, digits.length - decimals);
	const text = decimals > 0 ? `${whole}.${digits.slice(digits.length - decimals)}` : whole;
	return units < 0n ? `-${text}` : text;
}

/** The exact text with no trailing zeros ("0.007275", "12.3", "0"), padded to `minDecimals`. */
export function toDecimalString(value: Decimal, minDecimals = 0): string {
	const [whole, fraction] = formatScaled(value, SCALE_DIGITS).split('.');
	const trimmed = fraction.replace(/0+$/, '').padEnd(minDecimals, '0');
	return trimmed ? `${whole}.${trimmed}` : whole;
}

/** Rounded half away from zero to `digits` decimals, always with that many: "412.30". */
export function toFixed(value: Decimal, digits: number): string {
	const places = Math.max(0, Math.trunc(digits));
	const rounded =
		places < SCALE_DIGITS
			? divideRounded(value, 10n ** BigInt(SCALE_DIGITS - places))
			: value * 10n ** BigInt(places - SCALE_DIGITS);
	return formatScaled(rounded, places);
}

/**
 * The one conversion to a float, for output fields that downstream nodes sum or chart: from the
 * exact decimal text, rounded to `digits` decimals when given.
 */
export function toNumber(value: Decimal, digits?: number): number {
	return Number(digits === undefined ? toDecimalString(value) : toFixed(value, digits));
}

/** Cost of a call from per-million-token prices: (in × pIn + out × pOut) / 1,000,000. */
export function costFromPrices(
	promptTokens: number,
	completionTokens: number,
	inputPricePerMillion: Decimal,
	outputPricePerMillion: Decimal,
): Decimal {
	return divideByInteger(
		timesInteger(inputPricePerMillion, promptTokens) +
			timesInteger(outputPricePerMillion, completionTokens),
		1_000_000,
	);
}
