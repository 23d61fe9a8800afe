// Preloaded by bench/cache.ts (node --import): prints the process's CPU time
// (user + system, ms) as the last line of stderr at exit. CPU time is steadier
// than wall time on a shared machine.
process.on('exit', () => {
  const { user, system } = process.cpuUsage();
  process.stderr.write(`\ncpu-ms ${((user + system) / 1000).toFixed(1)}\n`);
});
