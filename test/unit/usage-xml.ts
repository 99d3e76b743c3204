/**
 * A small XML well-formedness check for the report's SVG and HTML (jsdom is not installed):
 * one root element, balanced and properly nested tags, quoted attributes, no stray `<` or `&`.
 * Throws with the position of the first problem; returns the element names in document order.
 */
export function assertWellFormedXml(text: string): string[] {
	const names: string[] = [];
	const stack: string[] = [];
	let roots = 0;
	let i = text.startsWith('<?xml') ? text.indexOf('?>') + 2 : 0;
	const fail = (why: string): never => {
		throw new Error(
			`Not well-formed XML at ${i}: ${why}: ${JSON.stringify(text.slice(i, i + 60))}`,
		);
	};
	const checkEntities = (chunk: string) => {
		if (/&(?!(?:[A-Za-z]+|#\d+|#x[0-9A-Fa-f]+);)/.test(chunk)) fail('bare &');
	};
	const checkText = (chunk: string) => {
		checkEntities(chunk);
		if (stack.length === 0 && chunk.trim() !== '') fail('text outside the root element');
	};
	while (i < text.length) {
		const open = text.indexOf('<', i);
		if (open < 0) {
			checkText(text.slice(i));
			break;
		}
		checkText(text.slice(i, open));
		i = open;
		if (text.startsWith('<!--', i)) {
			const end = text.indexOf('-->', i);
			if (end < 0) fail('unclosed comment');
			i = end + 3;
			continue;
		}
		const close = text.indexOf('>', i);
		if (close < 0) fail('unclosed tag');
		const tag = text.slice(i + 1, close);
		if (tag.includes('<')) fail('< inside a tag');
		if (tag.startsWith('/')) {
			const name = tag.slice(1).trim();
			if (stack.pop() !== name) fail(`unexpected </${name}>`);
		} else {
			const selfClosing = tag.endsWith('/');
			const body = selfClosing ? tag.slice(0, -1) : tag;
			const match =
				/^([A-Za-z_][\w:.-]*)((?:\s+[A-Za-z_][\w:.-]*\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*$/.exec(
					body,
				);
			if (!match) fail('malformed start tag');
			const [, name, attributes] = match!;
			checkEntities(attributes);
			if (stack.length === 0) roots++;
			if (roots > 1) fail('more than one root element');
			names.push(name);
			if (!selfClosing) stack.push(name);
		}
		i = close + 1;
	}
	if (stack.length) throw new Error(`Not well-formed XML: unclosed <${stack.join('>, <')}>`);
	if (roots !== 1) throw new Error('Not well-formed XML: no root element');
	return names;
}
