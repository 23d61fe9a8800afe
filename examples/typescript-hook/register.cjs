// A require hook that compiles TypeScript, as ts-node/register or esbuild-register install one:
// a handler for '.ts' in require.extensions that transforms the file and hands the result to
// module._compile. Under `canon run` the handler runs as under node, and what the compiled
// code requires goes through canon's registry.
const { readFileSync } = require('node:fs');
const { transformSync } = require('esbuild');

require.extensions['.ts'] = (module, filename) => {
  const { code } = transformSync(readFileSync(filename, 'utf8'), { loader: 'ts', format: 'cjs', sourcefile: filename });
  module._compile(code, filename);
};
