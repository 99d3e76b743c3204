import {
	add,
	compare,
	multiply,
	parseDecimal,
	percent,
	subtract,
	sum,
	toDecimalString,
	toFixed,
	toNumber,
} from '../../nodes/ScaiGridUsageSummary/decimal';

describe('usage decimal arithmetic', () => {
	it('parses the API decimal strings exactly and prints them back', () => {
		for (const text of ['0.007275', '412.3', '-0.000001', '3', '1234567890.123456789012345678']) {
			expect(toDecimalString(parseDecimal(text))).toBe(text);
		}
		expect(toDecimalString(parseDecimal('2.500000'))).toBe('2.5');
		expect(toDecimalString(parseDecimal('2.5'), 6)).toBe('2.500000');
		expect(toDecimalString(parseDecimal('.5'))).toBe('0.5');
		expect(toDecimalString(parseDecimal('1e-7'))).toBe('0.0000001');
		expect(toDecimalString(parseDecimal('1.5E3'))).toBe('1500');
		expect(toDecimalString(parseDecimal(0.1))).toBe('0.1');
		expect(parseDecimal('')).toBe(parseDecimal('0'));
		expect(parseDecimal(null)).toBe(parseDecimal('0'));
		expect(() => parseDecimal('12,5')).toThrow('Not a decimal');
		expect(() => parseDecimal('abc')).toThrow('Not a decimal');
	});

	it('has no float drift where floats drift', () => {
		expect(0.1 + 0.2).not.toBe(0.3);
		expect(toNumber(add(parseDecimal('0.1'), parseDecimal('0.2')))).toBe(0.3);
		// 100,000 records of 0.000001: floats end up at 0.09999999999998, decimals at 0.1
		const many = Array.from({ length: 100_000 }, () => parseDecimal('0.000001'));
		let floatTotal = 0;
		for (let i = 0; i < 100_000; i++) floatTotal += 0.000001;
		expect(floatTotal).not.toBe(0.1);
		expect(toNumber(sum(many))).toBe(0.1);
		expect(toDecimalString(subtract(parseDecimal('1.1'), parseDecimal('0.77')))).toBe('0.33');
	});

	it('compares, multiplies, rounds half away from zero', () => {
		expect(compare(parseDecimal('0.8'), parseDecimal('0.80'))).toBe(0);
		expect(compare(parseDecimal('-1'), parseDecimal('0'))).toBe(-1);
		expect(compare(parseDecimal('2'), parseDecimal('1.999999'))).toBe(1);
		expect(toDecimalString(multiply(parseDecimal('100'), parseDecimal('0.8')))).toBe('80');
		expect(toFixed(parseDecimal('412.305'), 2)).toBe('412.31');
		expect(toFixed(parseDecimal('-412.305'), 2)).toBe('-412.31');
		expect(toFixed(parseDecimal('412.3'), 2)).toBe('412.30');
		expect(toFixed(parseDecimal('0.004'), 2)).toBe('0.00');
		expect(toFixed(parseDecimal('-0.004'), 2)).toBe('0.00');
		expect(toFixed(parseDecimal('7'), 0)).toBe('7');
		// Digits beyond 18 decimals round once, at parse time.
		expect(toDecimalString(parseDecimal('0.0000000000000000015'))).toBe('0.000000000000000002');
	});

	it('computes percentages exactly, null for a zero base', () => {
		expect(percent(parseDecimal('1'), parseDecimal('3'))).toBe(33.33);
		expect(percent(parseDecimal('2'), parseDecimal('3'))).toBe(66.67);
		expect(percent(parseDecimal('112'), parseDecimal('100'))).toBe(112);
		expect(percent(parseDecimal('-1'), parseDecimal('8'))).toBe(-12.5);
		expect(percent(parseDecimal('1'), parseDecimal('3'), 0)).toBe(33);
		expect(percent(parseDecimal('1'), parseDecimal('0'))).toBeNull();
		expect(percent(BigInt(5), BigInt(4))).toBe(125);
	});
});
