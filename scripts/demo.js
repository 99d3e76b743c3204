// Entry point of `npm run demo` (see demo.ts).
require('./ts-register');
require('./demo.ts');
