/**
 * Rebuilds the insight rollups from the ledger, outside the server:
 *
 *   MONGODB_URI=… DATA_ENCRYPTION_KEY=… LOOKUP_HASH_KEY=… npx tsx server/src/modules/insights/rebuild-command.ts
 *
 * Safe while servers run: it holds the rollup folder's lock, so nothing
 * folds meanwhile, and entries written during the rebuild are either counted
 * by it or folded afterwards. Dashboards show partial figures until it ends.
 * (Platform admins can also start it as a background job: POST /admin/insights/rebuild.)
 */
import { loadConfig } from '../../config.ts';
import { createLogger } from '../../logger.ts';
import { connectDatabase, ensureIndexes } from '../../platform/db/connection.ts';
import { registryService } from './registry.service.ts';
import { rollupsService } from './rollups.service.ts';

const config = loadConfig(process.env, { jobsEnabled: false, logLevel: 'warn' });
const log = createLogger(config);
const db = await connectDatabase(config.mongodbUri);
try {
  await ensureIndexes(db);
  console.log('Rebuilding insight rollups from the ledger...');
  const report = await rollupsService({ db, log }).rebuild((line) => console.log(line));
  console.log(`Rollups rebuilt: ${report.entries} ledger entries → ${report.monthDocuments} month documents, ${report.rankDocuments} ranking documents, ${report.markers} markers in ${(report.ms / 1000).toFixed(1)} s.`);
  const counted = await registryService({ db, log }).refresh();
  console.log(`Registry refreshed: ${counted.nodes} nodes.`);
} catch (error) {
  console.error(error);
  process.exitCode = 1;
} finally {
  await db.close();
}
