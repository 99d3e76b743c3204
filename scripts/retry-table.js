// Prints the README's retry table from the code (see retryTableDoc.ts).
require('./ts-register');
process.stdout.write(`${require('./retryTableDoc.ts').retryTableMarkdown()}\n`);
