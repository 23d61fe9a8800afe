// canon run --watch examples/hot-reload/main.mjs, then edit greeting.mjs:
// the running program picks up the new greeting without restarting (this
// module accepts changes to it), while counter.mjs keeps counting across
// its own reloads (it accepts itself and hands its count on). Editing this
// file restarts the program, as node --watch does.
import { greeting } from './greeting.mjs';
import { ticks } from './counter.mjs';

let current = greeting;
import.meta.hot?.accept('./greeting.mjs', (ns) => {
  current = ns.greeting;
});

const rounds = Number(process.argv[2] ?? Infinity);
let round = 0;
const timer = setInterval(() => {
  console.log(`${current} (tick ${ticks()})`);
  if (++round >= rounds) clearInterval(timer);
}, 500);
