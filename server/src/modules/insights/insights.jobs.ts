import type { ServerDeps } from '../../deps.ts';
import { InsightSettingsModel } from './insight-settings.model.ts';
import { OrgNodeModel } from '../org/org-node.model.ts';
import { leadsService } from '../leads/leads.service.ts';
import { registryService } from './registry.service.ts';
import { LEADS_REFRESH_JOB, rollupsService } from './rollups.service.ts';
import { LEADS_RECOMPUTE_JOB } from './settings.service.ts';

export const INSIGHTS_REBUILD_JOB = 'insights.rebuild';

/**
 * Background work of the insights and leads modules: the rollup folder
 * (every few seconds), the registry of roster counts (hourly), lead tags for
 * families whose bills moved (enqueued by the folder) or for a whole bank
 * (rule changes), the nightly pass, and the rebuild command.
 */
export function registerInsightsJobs(deps: ServerDeps): void {
  const rollups = rollupsService(deps);
  const registry = registryService(deps);
  const leads = leadsService(deps);
  deps.jobs.register('insights.fold', () => rollups.fold(), { maxAttempts: 1 });
  deps.jobs.every('insights-fold', deps.config.insightsFoldSeconds, 'insights.fold');
  deps.jobs.register('insights.registry', () => registry.refresh(), { maxAttempts: 1 });
  deps.jobs.every('insights-registry', 3600, 'insights.registry');
  deps.jobs.register(LEADS_REFRESH_JOB, async (payload) => ({ families: await leads.refreshStudents((payload.studentIds as string[] | undefined) ?? []) }), { maxAttempts: 3 });
  deps.jobs.register(LEADS_RECOMPUTE_JOB, async (payload) => leads.recomputeBank(String(payload.bankId)), { maxAttempts: 3 });
  deps.jobs.register(
    'insights.nightly',
    async () => {
      await rollups.fold();
      const counted = await registry.refresh();
      // Every bank with schools, configured or not: the 12-month window moves every night.
      const banks = new Set([
        ...(await OrgNodeModel(deps.db).find({ kind: 'bank' }, { _id: 1 }).lean<{ _id: string }[]>()).map((b) => b._id),
        ...(await InsightSettingsModel(deps.db).find({}, { _id: 1 }).lean<{ _id: string }[]>()).map((b) => b._id),
      ]);
      const tagged: Record<string, unknown> = {};
      for (const bankId of banks) tagged[bankId] = await leads.recomputeBank(bankId);
      return { registry: counted, tagged };
    },
    { maxAttempts: 2 },
  );
  deps.jobs.schedule('insights-nightly', '30 2 * * *', 'insights.nightly');
  deps.jobs.register(
    INSIGHTS_REBUILD_JOB,
    async (_payload, run) => {
      const report = await rollups.rebuild((line) => run.log.info(line));
      const counted = await registry.refresh();
      return { ...report, registry: counted };
    },
    { maxAttempts: 1 },
  );
}
