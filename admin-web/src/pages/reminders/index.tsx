import { useCallback, useEffect, useMemo, useState } from 'react';
import { PageContainer } from '@ant-design/pro-components';
import { Alert, Space } from 'antd';
import type { FeeItem, ReminderRun } from '@campuspay/shared';
import { useCampusFilter } from '../../org/campus-filter-context.tsx';
import { useOrgNodes } from '../../org/org-nodes-context.tsx';
import { pathLabel } from '../../org/org-tree.ts';
import * as billingService from '../../services/billing.ts';
import { describeError } from '../../services/describe-error.ts';
import * as remindersService from '../../services/reminders.ts';
import { isAbortError } from '../../services/request.ts';
import { useSession } from '../../session/session-context.tsx';
import { ReminderForm } from './components/reminder-form.tsx';
import { ReminderRunDrawer } from './components/reminder-run-drawer.tsx';
import { ReminderRuns } from './components/reminder-runs.tsx';
import { inProgress, RUN_POLL_MS } from './reminder-view.ts';

/**
 * 催缴通知: remind the bound parents of students with unpaid bills through
 * WeChat subscribe messages, now or at a chosen time, and see what each run
 * did (sent, not subscribed, failed, skipped within the quiet period).
 * Viewing needs canViewBilling; sending canSendReminders.
 */
export default function RemindersPage() {
  const { user, access } = useSession();
  const { nodes } = useOrgNodes();
  const campusFilter = useCampusFilter();
  const [feeItems, setFeeItems] = useState<FeeItem[]>([]);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [runs, setRuns] = useState<ReminderRun[]>([]);
  const [runsLoading, setRunsLoading] = useState(true);
  const [runsError, setRunsError] = useState<string | null>(null);
  const [openRunId, setOpenRunId] = useState<string | null>(null);
  const [openRun, setOpenRun] = useState<ReminderRun | null>(null);
  const [openRunError, setOpenRunError] = useState<string | null>(null);
  // Bumped to ask for the list again (after sending).
  const [listVersion, setListVersion] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    billingService
      .listFeeItems({ includeArchived: true, signal: controller.signal })
      .then(setFeeItems)
      .catch((err: unknown) => {
        if (!isAbortError(err)) setLoadError(describeError(err));
      });
    return () => controller.abort();
  }, []);

  const names = useMemo(() => {
    const nodeById = new Map(nodes.map((node) => [node.id, node]));
    const itemById = new Map(feeItems.map((item) => [item.id, item]));
    return {
      node: (id: string) => {
        const node = nodeById.get(id);
        return node ? pathLabel(nodes, node) : undefined;
      },
      feeItem: (id: string) => {
        const item = itemById.get(id);
        return item ? `${item.name}（${item.periodLabel}）` : undefined;
      },
    };
  }, [nodes, feeItems]);
  const liveItems = useMemo(() => feeItems.filter((item) => !item.archived), [feeItems]);

  // The list, asked again while any run is still to send or sending.
  useEffect(() => {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = async () => {
      try {
        const next = await remindersService.listReminders(controller.signal);
        setRuns(next);
        setRunsError(null);
        if (next.some(inProgress)) timer = setTimeout(() => void load(), RUN_POLL_MS);
      } catch (err) {
        if (!isAbortError(err)) setRunsError(describeError(err));
      } finally {
        if (!controller.signal.aborted) setRunsLoading(false);
      }
    };
    void load();
    return () => {
      controller.abort();
      if (timer) clearTimeout(timer);
    };
  }, [listVersion]);

  // The open run, asked again until it ends.
  useEffect(() => {
    if (!openRunId) return;
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = async () => {
      try {
        const run = await remindersService.getReminder(openRunId, controller.signal);
        setOpenRun(run);
        setOpenRunError(null);
        if (inProgress(run)) timer = setTimeout(() => void load(), RUN_POLL_MS);
      } catch (err) {
        if (!isAbortError(err)) setOpenRunError(describeError(err));
      }
    };
    void load();
    return () => {
      controller.abort();
      if (timer) clearTimeout(timer);
    };
  }, [openRunId]);

  const open = useCallback((run: ReminderRun) => {
    setOpenRun(run);
    setOpenRunError(null);
    setOpenRunId(run.id);
  }, []);

  const sent = useCallback(
    (run: ReminderRun) => {
      setRuns((current) => [run, ...current.filter((r) => r.id !== run.id)]);
      setListVersion((v) => v + 1);
      open(run);
    },
    [open],
  );

  return (
    <PageContainer title="催缴通知" subTitle={user ? `范围：${campusFilter.campus?.name ?? user.scope.name}` : undefined}>
      <Space direction="vertical" size={16} style={{ width: '100%' }}>
        {loadError && <Alert type="error" showIcon message={`收费项目加载失败：${loadError}`} />}
        {access.canSendReminders && (
          <ReminderForm nodes={nodes} rootId={campusFilter.campusId ?? user?.scope.nodeId} feeItems={liveItems} names={names} onSent={sent} />
        )}
        <ReminderRuns runs={runs} loading={runsLoading && runs.length === 0} error={runsError} names={names} onOpen={open} />
      </Space>
      {openRunId && (
        <ReminderRunDrawer
          run={openRun}
          error={openRunError}
          names={names}
          onClose={() => {
            setOpenRunId(null);
            setOpenRun(null);
          }}
        />
      )}
    </PageContainer>
  );
}
