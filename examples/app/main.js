// The npm start demo: a small graph with a JSON module, a cycle, a CommonJS
// module that require()s an ES module, a dynamic import and import.meta, run
// by `canon run --registry examples/app/main.js`.
import config from './config.json' with { type: 'json' };
import { isEven } from './even.js';
import { describe } from './describe.js';
import units, { plural } from './units.cjs';

console.log(`${config.name}: ${describe(import.meta.url)}`);
console.log(`isEven(10) through a cycle of two modules: ${isEven(10)}`);
console.log(`from CommonJS: ${plural(3, 'module')}, and its require() of an ES module gives the same function: ${units.describedBy === describe}`);

const { greet } = await import('./lazy.js');
console.log(greet(config.audience));
console.log(`import.meta.resolve('./lazy.js') ends with ${import.meta.resolve('./lazy.js').split('/').slice(-2).join('/')}`);
