// canon run examples/typescript-hook/main.cjs (prints what `node examples/typescript-hook/main.cjs` prints)
require('./register.cjs');
const { describe, Point } = require('./src/shapes'); // src/shapes.ts: found because '.ts' is registered
console.log(describe(new Point(3, 4)));
console.log('loaded through the hook:', Object.keys(require.cache).filter((f) => f.endsWith('.ts')).map((f) => f.slice(f.indexOf('src/'))).join(', '));
