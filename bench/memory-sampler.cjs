// Preloaded (node --require) into the measured process: samples
// process.memoryUsage() every 50 ms and, at exit, writes to stderr the sample
// of highest RSS, so the benchmark can say where peak memory goes
// (V8 heap, external memory such as Buffers, the rest: code, stacks, allocator).
let peak = { rss: 0, heapTotal: 0, heapUsed: 0, external: 0, arrayBuffers: 0 };
const sample = () => {
  const m = process.memoryUsage();
  if (m.rss > peak.rss) peak = m;
};
setInterval(sample, 50).unref();
process.on('exit', () => {
  sample();
  process.stderr.write(`\nMEMORY ${JSON.stringify(peak)}\n`);
});
