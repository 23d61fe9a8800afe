#!/usr/bin/env -S node --experimental-vm-modules --disable-warning=ExperimentalWarning
// The canon bin. The shebang line starts Node with the flag canon needs
// (vm.SourceTextModule) in this one process: through npm's bin links, npx,
// or ./node_modules/.bin/canon. `node dist/ts-host/cli.js ...` typed by hand
// has no flag, and canon then re-executes itself once with it.
//
// Start-up counts for `canon run`: the bin is this file bundled as CommonJS
// (cli.cjs: Node's CommonJS loader starts faster than its ESM loader), and
// it loads the command line as one bundled file (cli/bundle.cjs, built by
// `npm run build:ts` from cli/main.js) with a code cache of canon's own code
// (cli/load-bundle.ts), or the unbundled modules when the bundle was not
// built. The same code compiled by tsc is dist/ts-host/cli.js (ESM), which
// works the same way.

import { fs } from './builtins.js';
import { loadBundle, type CommandLine } from './cli/load-bundle.js';

const bundle = `${import.meta.dirname}/cli/bundle.cjs`;
const cli: Promise<CommandLine> = fs.existsSync(bundle) ? Promise.resolve(loadBundle(bundle)) : import('./cli/main.js');
cli.then((c) => c.main(process.argv.slice(2), import.meta.filename).catch(c.report));
