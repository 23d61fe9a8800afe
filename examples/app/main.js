// The npm start demo: a small graph with a JSON module, a cycle, a dynamic
// import and import.meta, run by `canon run examples/app/main.js --registry`.
import config from './config.json' with { type: 'json' };
import { isEven } from './even.js';
import { describe } from './describe.js';

console.log(`${config.name}: ${describe(import.meta.url)}`);
console.log(`isEven(10) through a cycle of two modules: ${isEven(10)}`);

const { greet } = await import('./lazy.js');
console.log(greet(config.audience));
console.log(`import.meta.resolve('./lazy.js') ends with ${import.meta.resolve('./lazy.js').split('/').slice(-2).join('/')}`);
