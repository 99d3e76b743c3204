/**
 * Exact decimal arithmetic for money. ScaiGrid sends costs and prices as decimal strings
 * ("0.007275"); adding thousands of them as floats drifts. A Decimal is a BigInt scaled by
 * 10^SCALE, so sums, differences and products by integers are exact; a float is made only once,
 * at the end, for output.
 */

/** Digits kept after the point: prices per million tokens times token counts need 6 + a margin. */
export const SCALE = 12;
const FACTOR = 10n ** BigInt(SCALE);

export type Decimal = bigint;

const DECIMAL_PATTERN = /^([+-])?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/** Parses "12.30", "-0.5", "1e-6" or a number; undefined for anything that is not a decimal. */
export function parseDecimal(value: string | number | null | undefined): Decimal | undefined {
	if (value === null || value === undefined) return undefined;
	const text = typeof value === 'number' ? (Number.isFinite(value) ? String(value) : '') : value.trim();
	const match = DECIMAL_PATTERN.exec(text);
	if (!match || (match[2] === '' && (match[3] ?? '') === '')) return undefined;
	const [, sign, whole, fraction = '', exponentText] = match;
	const exponent = exponentText ? Number(exponentText) : 0;
	// Shift the point by the exponent, then pad or cut the fraction to SCALE digits.
	let digits = (whole || '0') + fraction;
	let point = (whole || '0').length + exponent;
	if (point < 0) {
		digits = '0'.repeat(-point) + digits;
		point = 0;
	}
	if (point > digits.length) digits = digits + '0'.repeat(point - digits.length);
	const intPart = digits.slice(0, point) || '0';
	const fracPart = (digits.slice(point) + '0'.repeat(SCALE)).slice(0, SCALE);
	const magnitude = BigInt(intPart) * FACTOR + BigInt(fracPart);
	return sign === '-' ? -magnitude : magnitude;
}

export function fromInteger(n: number): Decimal {
	return BigInt(Math.trunc(n)) * FACTOR;
}

export function sum(values: Iterable<Decimal>): Decimal {
	let total = 0n;
	for (const value of values) total += value;
	return total;
}

/** value × n for an integer n (tokens), exact. */
export function timesInteger(value: Decimal, n: number): Decimal {
	return value * BigInt(Math.trunc(n));
}

/** value ÷ n for an integer n, rounded half away from zero at SCALE digits. */
export function divideByInteger(value: Decimal, n: number | bigint): Decimal {
	const divisor = BigInt(n);
	if (divisor === 0n) throw new RangeError('division by zero');
	const quotient = value / divisor;
	const remainder = value % divisor;
	const abs = (x: bigint) => (x < 0n ? -x : x);
	if (abs(remainder) * 2n >= abs(divisor)) return quotient + (value < 0n === divisor < 0n ? 1n : -1n);
	return quotient;
}

/** a / b × 100 as a float, or null when b is zero (a change from nothing has no percentage). */
export function percentOf(a: Decimal, b: Decimal): number | null {
	if (b === 0n) return null;
	// Scale up before dividing so the float sees 6 significant decimals of the ratio.
	const ratio = (a * 100n * 1_000_000n) / b;
	return Number(ratio) / 1_000_000;
}

/** Fixed-point text with `digits` decimals (rounded half away from zero). */
export function toFixed(value: Decimal, digits = 6): string {
	const drop = SCALE - digits;
	const rounded = drop > 0 ? divideByInteger(value, 10n ** BigInt(drop)) : value * 10n ** BigInt(-drop);
	const negative = rounded < 0n;
	const text = (negative ? -rounded : rounded).toString().padStart(digits + 1, '0');
	const body = digits > 0 ? `${text.slice(0, -digits)}.${text.slice(-digits)}` : text;
	return negative ? `-${body}` : body;
}

/** Shortest exact decimal text ("0.007275", "12.3", "0"). */
export function toDecimalString(value: Decimal): string {
	const text = toFixed(value, SCALE);
	return text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text;
}

/** The one place a Decimal becomes a float: for output fields that downstream nodes sum or chart. */
export function toNumber(value: Decimal, digits = 6): number {
	return Number(toFixed(value, digits));
}

/** Cost of a call from per-million-token prices: (in × pIn + out × pOut) / 1,000,000. */
export function costFromPrices(
	promptTokens: number,
	completionTokens: number,
	inputPricePerMillion: Decimal,
	outputPricePerMillion: Decimal,
): Decimal {
	return divideByInteger(
		timesInteger(inputPricePerMillion, promptTokens) + timesInteger(outputPricePerMillion, completionTokens),
		1_000_000,
	);
}
