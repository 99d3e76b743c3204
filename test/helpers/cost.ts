/**
 * The expected cost of a chat call, computed here with BigInt from the emulator's own prices
 * (independent of nodes/shared/api/decimal.ts).
 */

/** "2.50" → 250n at 2 decimals, as [units, decimals]. */
function decimalUnits(text: string): [bigint, number] {
	const match = /^(\d+)(?:\.(\d+))?$/.exec(text.trim());
	if (!match) throw new Error(`not a price: ${text}`);
	const fraction = match[2] ?? '';
	return [BigInt(match[1] + fraction), fraction.length];
}

/**
 * (promptTokens × inputPrice + completionTokens × outputPrice) / 1,000,000 as the shortest
 * exact decimal string: prices are scaled to a common number of decimals, multiplied as
 * integers, and the point is placed by string, so nothing is rounded.
 */
export function expectedCost(
	promptTokens: number,
	completionTokens: number,
	inputPrice: string,
	outputPrice: string,
): string {
	const [inUnits, inDecimals] = decimalUnits(inputPrice);
	const [outUnits, outDecimals] = decimalUnits(outputPrice);
	const decimals = Math.max(inDecimals, outDecimals);
	const total =
		BigInt(promptTokens) * inUnits * 10n ** BigInt(decimals - inDecimals) +
		BigInt(completionTokens) * outUnits * 10n ** BigInt(decimals - outDecimals);
	const places = decimals + 6; // the price is per million tokens
	const digits = total.toString().padStart(places + 1, '0');
	const whole = digits.slice(0, digits.length - places);
	const fraction = digits.slice(digits.length - places).replace(/0+$/, '');
	return fraction ? `${whole}.${fraction}` : whole;
}
