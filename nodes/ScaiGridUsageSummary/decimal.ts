/**
 * Exact decimal arithmetic on ScaiGrid's money strings ("0.007275").
 *
 * Costs are summed over thousands of records and subtracted (margin, change): binary floats
 * drift there (0.1 + 0.2). Amounts are kept as BigInt integers scaled by 10^18 and turned into
 * a JavaScript number only once, at the end, from the exact decimal text.
 */

/** Decimal places kept. ScaiGrid's examples use 6; 18 leaves ample room for per-token prices. */
export const SCALE_DIGITS = 18;
const SCALE = BigInt(10) ** BigInt(SCALE_DIGITS);
const ZERO = BigInt(0);
const ONE = BigInt(1);
const TWO = BigInt(2);
const HUNDRED = BigInt(100);

/** An amount in units of 10^-18. */
export type Decimal = bigint;

export const DECIMAL_ZERO: Decimal = ZERO;

const DECIMAL_PATTERN = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/**
 * Parses "12.5", "-0.000001", "3", "1e-7" (a number the API sent unquoted may print that way).
 * Digits beyond 18 decimals are rounded half away from zero. Empty, null and undefined are 0.
 */
export function parseDecimal(value: string | number | null | undefined): Decimal {
	if (value === null || value === undefined) return ZERO;
	const text = String(value).trim();
	if (text === '') return ZERO;
	const match = DECIMAL_PATTERN.exec(text);
	if (!match || (match[2] === '' && (match[3] ?? '') === '')) {
		throw new Error(`Not a decimal number: "${text}"`);
	}
	const [, sign, whole, fraction = '', exponentText] = match;
	const exponent = exponentText ? Number(exponentText) : 0;
	// Shift the decimal point by the exponent on the digit string, then scale.
	let digits = (whole || '0') + fraction;
	let pointAt = (whole || '0').length + exponent;
	if (pointAt < 0) {
		digits = '0'.repeat(-pointAt) + digits;
		pointAt = 0;
	}
	if (pointAt > digits.length) digits = digits.padEnd(pointAt, '0');
	const intPart = digits.slice(0, pointAt) || '0';
	const fracPart = digits.slice(pointAt);
	let units = BigInt(intPart) * SCALE + BigInt(fracPart.slice(0, SCALE_DIGITS).padEnd(SCALE_DIGITS, '0'));
	const rest = fracPart.slice(SCALE_DIGITS);
	if (rest !== '' && Number(rest[0]) >= 5) units += ONE;
	return sign === '-' ? -units : units;
}

/** Tolerant parse for optional fields: null when absent. */
export function parseOptionalDecimal(value: string | number | null | undefined): Decimal | null {
	if (value === null || value === undefined || String(value).trim() === '') return null;
	return parseDecimal(value);
}

export function fromInteger(value: number): Decimal {
	return BigInt(Math.trunc(value)) * SCALE;
}

export function add(a: Decimal, b: Decimal): Decimal {
	return a + b;
}

export function subtract(a: Decimal, b: Decimal): Decimal {
	return a - b;
}

export function sum(values: Decimal[]): Decimal {
	return values.reduce((total, value) => total + value, ZERO);
}

/** a × b, rounded half away from zero to 18 decimals. */
export function multiply(a: Decimal, b: Decimal): Decimal {
	return divideRounded(a * b, SCALE);
}

/** -1, 0 or 1. */
export function compare(a: Decimal, b: Decimal): number {
	return a < b ? -1 : a > b ? 1 : 0;
}

function abs(value: bigint): bigint {
	return value < ZERO ? -value : value;
}

/** Integer division rounded half away from zero. */
function divideRounded(numerator: bigint, denominator: bigint): bigint {
	const negative = numerator < ZERO !== denominator < ZERO;
	const n = abs(numerator);
	const d = abs(denominator);
	const quotient = (n * TWO + d) / (TWO * d);
	return negative ? -quotient : quotient;
}

/**
 * `part` as a percentage of `whole`, rounded to `decimals` places; null when `whole` is 0
 * (a share of nothing, or a change from nothing, has no percentage).
 */
export function percent(part: Decimal, whole: Decimal, decimals = 2): number | null {
	if (whole === ZERO) return null;
	const factor = BigInt(10) ** BigInt(decimals);
	const scaled = divideRounded(part * HUNDRED * factor, whole);
	return Number(formatScaled(scaled, decimals));
}

/** The exact text with no trailing zeros: "12.5", "-0.000001", "3". */
export function toDecimalString(value: Decimal, minDecimals = 0): string {
	const text = formatScaled(value, SCALE_DIGITS);
	const [whole, fraction = ''] = text.split('.');
	let trimmed = fraction.replace(/0+$/, '');
	if (trimmed.length < minDecimals) trimmed = trimmed.padEnd(minDecimals, '0');
	return trimmed ? `${whole}.${trimmed}` : whole;
}

/** Rounded (half away from zero) to `digits` decimals, always with that many: "412.30". */
export function toFixed(value: Decimal, digits: number): string {
	const places = Math.max(0, Math.min(SCALE_DIGITS, Math.trunc(digits)));
	const divisor = BigInt(10) ** BigInt(SCALE_DIGITS - places);
	return formatScaled(divideRounded(value, divisor), places);
}

/** The one conversion to a JavaScript number: from the exact decimal text. */
export function toNumber(value: Decimal): number {
	return Number(toDecimalString(value));
}

/** An integer `units` with `decimals` implied decimal places, as text. */
function formatScaled(units: bigint, decimals: number): string {
	const negative = units < ZERO;
	const digits = abs(units).toString().padStart(decimals + 1, '0');
	const whole = digits.slice(0, digits.length - decimals);
	const fraction = digits.slice(digits.length - decimals);
	const text = decimals > 0 ? `${whole}.${fraction}` : whole;
	return negative && /[1-9]/.test(digits) ? `-${text}` : text;
}
