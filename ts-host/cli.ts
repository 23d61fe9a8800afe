#!/usr/bin/env -S node --experimental-vm-modules --disable-warning=ExperimentalWarning
// The canon bin. The shebang line starts Node with the flag canon needs
// (vm.SourceTextModule) in this one process: through npm's bin links, npx,
// or ./node_modules/.bin/canon. `node dist/ts-host/cli.js ...` typed by hand
// has no flag, and canon then re-executes itself once with it.
//
// Start-up counts for `canon run`: this file loads nothing but node:module,
// turns on Node's compile cache for canon's own code where the running Node
// has it (22.1+), then loads the command line as one bundled file
// (cli/bundle.js, built by `npm run build:ts` from cli/main.js), or the
// unbundled modules when the bundle was not built.

import module from 'node:module';
import { fileURLToPath } from 'node:url';

(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();

type Main = typeof import('./cli/main.js');
const bundle = new URL('./cli/bundle.js', import.meta.url).href;
let cli: Main;
try {
  cli = (await import(bundle)) as Main;
} catch (error) {
  if ((error as { code?: string }).code !== 'ERR_MODULE_NOT_FOUND' || !String((error as Error).message).includes(fileURLToPath(bundle))) throw error;
  cli = await import('./cli/main.js');
}
cli.main(process.argv.slice(2), fileURLToPath(import.meta.url)).catch(cli.report);
