/**
 * Preloaded (`--import`) into every replica process: when the test process that started it dies
 * without its cleanup (a worker killed on timeout, a run stopped with a signal), the replica is
 * orphaned and its parent changes; it then exits rather than live on holding a port and a database.
 */
const parent = process.ppid;
const CHECK_MS = 250;

setInterval(() => {
  if (process.ppid !== parent) process.exit(70);
}, CHECK_MS).unref();
