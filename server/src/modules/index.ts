import type { ServerDeps } from '../deps.ts';
import type { AnyRouteSpec } from '../platform/http/route.ts';
import { publicRoutes } from './public/public.routes.ts';
import { authRoutes } from './auth/auth.routes.ts';
import { orgRoutes } from './org/org.routes.ts';
import { peopleRoutes } from './people/people.routes.ts';
import { rosterRoutes } from './people/roster.routes.ts';
import { registerRosterImportJob } from './people/roster-import.ts';
import { usersRoutes } from './users/users.routes.ts';
import { auditRoutes } from './audit/audit.routes.ts';
import { parentsRoutes } from './parents/parents.routes.ts';
import { parentBillsRoutes } from './parents/parent-bills.routes.ts';
import { jobsRoutes } from './jobs/jobs.routes.ts';
import { billingRoutes, registerBillingJobs } from './billing/billing.routes.ts';
import { counterRoutes } from './counter/counter.routes.ts';
import { publicReceiptRoutes } from './receipts/receipts.routes.ts';
import { withAuditCoverage } from './audit/audit-coverage.ts';
import { withIdempotency } from './idempotency/idempotency.ts';
import { registerPromotionJob } from './org/promotion.ts';
import { ledgerService } from './ledger/ledger.service.ts';
import { billImportRoutes } from './billing/bill-import.routes.ts';
import { reportsRoutes } from './reports/reports.routes.ts';
import { remindersRoutes } from './reminders/reminders.routes.ts';
import { registerReminderJobs } from './reminders/reminders.service.ts';
import { paymentsRoutes, registerPaymentJobs } from './payments/payments.routes.ts';
import { reconciliationRoutes, registerReconciliationJobs } from './reconciliation/reconciliation.routes.ts';
import { settlementRoutes } from './settlement/settlement.routes.ts';
import { insightsRoutes } from './insights/insights.routes.ts';
import { registerInsightsJobs } from './insights/insights.jobs.ts';
import { leadsRoutes } from './leads/leads.routes.ts';
import { consentRoutes } from './consent/consent.routes.ts';
import { promotionsRoutes } from './promotions/promotions.routes.ts';

/** Every API route of every module, in one list: mounted, documented and permission-checked from here. */
export function apiRoutes(deps: ServerDeps): AnyRouteSpec[] {
  const routes = [
    ...publicRoutes(deps),
    ...publicReceiptRoutes(deps),
    ...authRoutes(deps),
    ...orgRoutes(deps),
    // Before the student routes, whose /admin/students/:id would take import-template and export for ids.
    ...rosterRoutes(deps),
    ...peopleRoutes(deps),
    ...usersRoutes(deps),
    ...auditRoutes(deps),
    ...parentsRoutes(deps),
    ...parentBillsRoutes(deps),
    ...jobsRoutes(deps),
    ...billingRoutes(deps),
    ...counterRoutes(deps),
    ...billImportRoutes(deps),
    ...reportsRoutes(deps),
    ...remindersRoutes(deps),
    ...paymentsRoutes(deps),
    ...reconciliationRoutes(deps),
    ...settlementRoutes(deps),
    ...insightsRoutes(deps),
    ...leadsRoutes(deps),
    ...consentRoutes(deps),
    ...promotionsRoutes(deps),
  ];
  return withAuditCoverage(deps, withIdempotency(deps, routes));
}

/** Registers every module's background job handlers and schedules. */
export function registerJobs(deps: ServerDeps): void {
  registerRosterImportJob(deps);
  registerPromotionJob(deps);
  registerBillingJobs(deps);
  registerReminderJobs(deps);
  registerPaymentJobs(deps);
  registerReconciliationJobs(deps);
  registerInsightsJobs(deps);
  const ledger = ledgerService(deps);
  deps.jobs.register('ledger.repair', async () => ({ repaired: await ledger.repairPending() }), { maxAttempts: 1 });
  deps.jobs.schedule('ledger-repair', '* * * * *', 'ledger.repair');
}
