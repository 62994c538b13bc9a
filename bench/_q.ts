import { loadConfig } from '../src/config.js';
import { createDb } from '../src/db/index.js';
import { STUDENT_STATS, studentStat, usersSummaryStats } from '../src/modules/stats/service.js';
const config = loadConfig({ DATA_DIR: '/tmp/benchdb' });
const h = createDb(config.database);
for (const stat of STUDENT_STATS) {
  const t = performance.now();
  await studentStat(h.db, config, stat, { asOf: '2026-01-0' + (1 + STUDENT_STATS.indexOf(stat) % 9) });
  console.log(stat, (performance.now() - t).toFixed(1), 'ms');
}
let t = performance.now();
await usersSummaryStats(h.db, config);
console.log('users', (performance.now() - t).toFixed(1), 'ms');
await h.close();
