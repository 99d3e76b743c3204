/**
 * Exact decimal money arithmetic (nodes/shared/api/decimal.ts): the forms ScaiGrid's decimal strings
 * come in, sums that do not drift, the cost of a call from per-million prices, rounding to a
 * number of digits, comparisons and percentages.
 */
import {
	DECIMAL_ZERO,
	SCALE_DIGITS,
	add,
	compare,
	costFromPrices,
	divideByInteger,
	fromInteger,
	multiply,
	parseDecimal,
	percent,
	requireDecimal,
	subtract,
	sum,
	timesInteger,
	toDecimalString,
	toFixed,
	toNumber,
} from '../../nodes/shared/api/decimal';

const UNIT = 10n ** BigInt(SCALE_DIGITS);

/** Parses or fails the test. */
function d(text: string | number): bigint {
	const value = parseDecimal(text);
	if (value === undefined) throw new Error(`not a decimal: ${text}`);
	return value;
}

describe('parseDecimal', () => {
	it.each([
		['0.007275', '0.007275'],
		['12.30', '12.3'],
		['-0.5', '-0.5'],
		['+3', '3'],
		['.5', '0.5'],
		['5.', '5'],
		['  7  ', '7'],
		['0', '0'],
		['-0', '0'],
		['000123.4500', '123.45'],
		['1e-6', '0.000001'],
		['1E3', '1000'],
		['2.5e+2', '250'],
		['12.5e-1', '1.25'],
		['123456789012345678901234567890', '123456789012345678901234567890'],
		['412.3', '412.3'],
		['-0.000001', '-0.000001'],
		['1234567890.123456789012345678', '1234567890.123456789012345678'],
		['2.500000', '2.5'],
		['1e-7', '0.0000001'],
		['1.5E3', '1500'],
	])('"%s" is %s', (text, expected) => {
		expect(toDecimalString(d(text))).toBe(expected);
	});

	it('accepts numbers as JavaScript prints them', () => {
		expect(toDecimalString(d(0.1))).toBe('0.1');
		expect(toDecimalString(d(-2.75))).toBe('-2.75');
		expect(toDecimalString(d(1e21))).toBe('1000000000000000000000');
		expect(toDecimalString(d(1e-7))).toBe('0.0000001');
		expect(toDecimalString(d(42))).toBe('42');
	});

	it.each(['', ' ', 'abc', '1.2.3', '.', '-', '+', 'e5', '1e', '1,5', '0x10', '1_000', '12 34'])(
		'"%s" is not a decimal',
		(text) => {
			expect(parseDecimal(text)).toBeUndefined();
		},
	);

	it('null, undefined, NaN and Infinity are not decimals', () => {
		expect(parseDecimal(null)).toBeUndefined();
		expect(parseDecimal(undefined)).toBeUndefined();
		expect(parseDecimal(Number.NaN)).toBeUndefined();
		expect(parseDecimal(Number.POSITIVE_INFINITY)).toBeUndefined();
	});

	it('keeps 18 digits after the point; digits beyond round half away from zero, once, here', () => {
		expect(d('0.000000000000000001')).toBe(1n);
		expect(d('0.0000000000000000014')).toBe(1n);
		expect(d('0.0000000000000000015')).toBe(2n);
		expect(d('-0.0000000000000000015')).toBe(-2n);
		expect(d('0.0000000000000000004')).toBe(0n);
		expect(toDecimalString(d('0.0000000000000000015'))).toBe('0.000000000000000002');
		expect(d('1')).toBe(UNIT);
	});
});

describe('requireDecimal', () => {
	it('parses like parseDecimal', () => {
		expect(requireDecimal('0.007275', 'cost')).toBe(d('0.007275'));
		expect(requireDecimal(0.1, 'cost')).toBe(d('0.1'));
		expect(requireDecimal('1e-7', 'cost')).toBe(d('0.0000001'));
	});

	it('absent is 0 (null, undefined, blank)', () => {
		expect(requireDecimal('', 'cost')).toBe(DECIMAL_ZERO);
		expect(requireDecimal('  ', 'cost')).toBe(DECIMAL_ZERO);
		expect(requireDecimal(null, 'cost')).toBe(DECIMAL_ZERO);
		expect(requireDecimal(undefined, 'cost')).toBe(DECIMAL_ZERO);
		expect(requireDecimal('', 'cost')).toBe(d('0'));
	});

	it('malformed throws, naming the text and the field', () => {
		expect(() => requireDecimal('12,5', 'total_cost')).toThrow(
			'Not a decimal number: "12,5" (total_cost)',
		);
		expect(() => requireDecimal(' abc ', 'cost')).toThrow('Not a decimal number: "abc" (cost)');
		expect(() => requireDecimal(Number.NaN, 'cost')).toThrow('Not a decimal');
	});
});

describe('exactness', () => {
	it('summing "0.1" ten thousand times is exactly 1000', () => {
		const tenth = d('0.1');
		const total = sum(Array.from({ length: 10_000 }, () => tenth));
		expect(total).toBe(fromInteger(1000));
		expect(toDecimalString(total)).toBe('1000');
		expect(toNumber(total)).toBe(1000);
		// What floats would have said:
		let float = 0;
		for (let i = 0; i < 10_000; i++) float += 0.1;
		expect(float).not.toBe(1000);
	});

	it('sums typical per-call costs exactly', () => {
		const costs = ['0.007275', '0.000013', '1.1', '0.000000000000000001'];
		expect(toDecimalString(sum(costs.map(d)))).toBe('1.107288000000000001');
		expect(sum([])).toBe(0n);
		expect(sum(new Set([d('1'), d('2')]))).toBe(fromInteger(3));
	});

	it('has no float drift where floats drift', () => {
		expect(0.1 + 0.2).not.toBe(0.3);
		expect(toNumber(add(d('0.1'), d('0.2')))).toBe(0.3);
		// 100,000 records of 0.000001: floats end up at 0.09999999999998, decimals at 0.1
		const many = Array.from({ length: 100_000 }, () => d('0.000001'));
		let floatTotal = 0;
		for (let i = 0; i < 100_000; i++) floatTotal += 0.000001;
		expect(floatTotal).not.toBe(0.1);
		expect(toNumber(sum(many))).toBe(0.1);
		expect(toDecimalString(subtract(d('1.1'), d('0.77')))).toBe('0.33');
	});

	it('fromInteger and timesInteger take the integer part', () => {
		expect(fromInteger(2.7)).toBe(2n * UNIT);
		expect(fromInteger(-3)).toBe(-3n * UNIT);
		expect(toDecimalString(timesInteger(d('0.25'), 3))).toBe('0.75');
		expect(toDecimalString(timesInteger(d('0.25'), 3.9))).toBe('0.75');
	});
});

describe('compare and multiply', () => {
	it('compares', () => {
		expect(compare(d('0.8'), d('0.80'))).toBe(0);
		expect(compare(d('-1'), d('0'))).toBe(-1);
		expect(compare(d('2'), d('1.999999'))).toBe(1);
	});

	it('multiplies, rounding half away from zero at 18 digits', () => {
		expect(toDecimalString(multiply(d('100'), d('0.8')))).toBe('80');
		expect(multiply(d('0.000000000000000001'), d('0.5'))).toBe(1n);
		expect(multiply(d('-0.000000000000000001'), d('0.5'))).toBe(-1n);
		expect(multiply(d('0.000000000000000001'), d('0.4'))).toBe(0n);
	});
});

describe('divideByInteger', () => {
	it('rounds half away from zero at 18 digits', () => {
		expect(divideByInteger(5n, 10)).toBe(1n);
		expect(divideByInteger(4n, 10)).toBe(0n);
		expect(divideByInteger(-5n, 10)).toBe(-1n);
		expect(divideByInteger(-4n, 10)).toBe(0n);
		expect(divideByInteger(5n, -10)).toBe(-1n);
		expect(divideByInteger(-5n, -10)).toBe(1n);
		expect(divideByInteger(15n, 10n)).toBe(2n);
	});

	it('refuses to divide by zero', () => {
		expect(() => divideByInteger(1n, 0)).toThrow(RangeError);
	});
});

describe('costFromPrices', () => {
	it('(prompt × input price + completion × output price) / 1,000,000, exactly', () => {
		const cost = costFromPrices(1000, 500, d('3.25'), d('15'));
		expect(toDecimalString(cost)).toBe('0.01075');
	});

	it("matches the Chat node's cost for the emulator's default model (5 prompt, 2 completion tokens)", () => {
		// 5 × 2.50 + 2 × 10.00 = 32.5 per million tokens.
		expect(toDecimalString(costFromPrices(5, 2, d('2.50'), d('10.00')))).toBe('0.0000325');
	});

	it('zero tokens or zero prices cost nothing', () => {
		expect(costFromPrices(0, 0, d('3'), d('15'))).toBe(0n);
		expect(costFromPrices(1000, 1000, 0n, 0n)).toBe(0n);
	});

	it('rounds below 18 digits half away from zero', () => {
		// 1 token at 0.0000000000005 per million = 5e-19: half a unit of the last digit.
		expect(toDecimalString(costFromPrices(1, 0, d('0.0000000000005'), 0n))).toBe(
			'0.000000000000000001',
		);
		expect(toDecimalString(costFromPrices(1, 0, d('0.0000000000004'), 0n))).toBe('0');
	});

	it('keeps per-token prices that 12 digits would have lost', () => {
		// 1 token at 0.0000005 per million = 5e-13.
		expect(toDecimalString(costFromPrices(1, 0, d('0.0000005'), 0n))).toBe('0.0000000000005');
	});

	it('large volumes stay exact', () => {
		const cost = costFromPrices(123_456_789, 98_765_432, d('0.15'), d('0.6'));
		// 123456789 × 0.15 = 18518518.35; 98765432 × 0.6 = 59259259.2; sum / 1e6
		expect(toDecimalString(cost)).toBe('77.77777755');
	});
});

describe('toFixed', () => {
	it.each([
		['1.0000005', 6, '1.000001'],
		['1.0000004999', 6, '1.000000'],
		['-1.0000005', 6, '-1.000001'],
		['2.5', 0, '3'],
		['-2.5', 0, '-3'],
		['0.5', 0, '1'],
		['0.004', 2, '0.00'],
		['-0.004', 2, '0.00'],
		['-0.005', 2, '-0.01'],
		['0.0000325', 6, '0.000033'],
		['12.3', 2, '12.30'],
		['0', 6, '0.000000'],
		['0.000000000001', 12, '0.000000000001'],
		['0.000000000000000001', 18, '0.000000000000000001'],
		['1.5', 14, '1.50000000000000'],
		['1.5', 20, '1.50000000000000000000'],
		['999.9995', 3, '1000.000'],
		['412.305', 2, '412.31'],
		['-412.305', 2, '-412.31'],
		['412.3', 2, '412.30'],
		['7', 0, '7'],
	])('%s to %i digits is %s', (text, digits, expected) => {
		expect(toFixed(d(text), digits)).toBe(expected);
	});
});

describe('toDecimalString', () => {
	it('pads to minDecimals', () => {
		expect(toDecimalString(d('2.5'), 6)).toBe('2.500000');
		expect(toDecimalString(d('3'), 2)).toBe('3.00');
		expect(toDecimalString(d('0.1234567'), 2)).toBe('0.1234567');
		expect(toDecimalString(d('-0.5'))).toBe('-0.5');
	});
});

describe('toNumber', () => {
	it('makes a float only at the end, rounded to the digits asked', () => {
		expect(toNumber(d('0.0000325'), 9)).toBe(0.0000325);
		expect(toNumber(d('0.1234565'), 6)).toBe(0.123457);
		expect(toNumber(d('-12.5'))).toBe(-12.5);
	});

	it('without digits, from the exact text', () => {
		expect(toNumber(d('0.1234565'))).toBe(0.1234565);
		expect(toNumber(d('0.000000000000000001'))).toBe(1e-18);
	});
});

describe('percent', () => {
	it('a / b × 100 with 6 decimals', () => {
		expect(percent(d('1'), d('8'), 6)).toBe(12.5);
		expect(percent(d('1'), d('3'), 6)).toBe(33.333333);
		expect(percent(d('2'), d('3'), 6)).toBe(66.666667);
		expect(percent(d('150'), d('100'), 6)).toBe(150);
		expect(percent(d('-50'), d('200'), 6)).toBe(-25);
		expect(percent(0n, d('7'), 6)).toBe(0);
	});

	it('is null when b is zero (a change from nothing has no percentage)', () => {
		expect(percent(d('5'), 0n, 6)).toBeNull();
		expect(percent(0n, 0n, 6)).toBeNull();
	});

	it('tiny ratios of tiny amounts stay meaningful', () => {
		expect(percent(d('0.000001'), d('0.000004'), 6)).toBe(25);
	});

	it('rounds half away from zero to 2 decimals by default', () => {
		expect(percent(d('1'), d('3'))).toBe(33.33);
		expect(percent(d('2'), d('3'))).toBe(66.67);
		expect(percent(d('112'), d('100'))).toBe(112);
		expect(percent(d('-1'), d('8'))).toBe(-12.5);
		expect(percent(d('1'), d('3'), 0)).toBe(33);
		expect(percent(d('1'), d('0'))).toBeNull();
		expect(percent(5n, 4n)).toBe(125);
	});
});
