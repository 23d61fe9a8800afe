// One cold load with Node's native loader: prints the ms that import() took.
import { pathToFileURL } from 'node:url';
const entry = pathToFileURL(process.argv[2]).href;
const start = performance.now();
await import(entry);
process.stdout.write(JSON.stringify({ ms: performance.now() - start }) + '\n');
