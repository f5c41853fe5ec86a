import { useEffect, useRef, useState } from 'react';
import { Alert, Button, Progress, Space, Tag, Typography } from 'antd';
import type { Reconciliation } from '@campuspay/shared';
import { describeError } from '../../../services/describe-error.ts';
import { getJob, type Job } from '../../../services/jobs.ts';
import * as reconciliationService from '../../../services/reconciliation.ts';
import { isAbortError } from '../../../services/request.ts';
import { RECONCILIATION_STATUS_COLORS, RUN_POLL_MS, runFinished, runProgress, statusText } from '../reconciliation-view.ts';

interface RunProgressProps {
  started: reconciliationService.StartedRun;
  payeeNames: string;
  onFinished(run: Reconciliation): void;
  onOpen(reconciliationId: string): void;
}

/**
 * One merchant's run after 开始对账: polls the run (and its job, for the
 * progress message) until it is done, then offers the result.
 */
export function RunProgress({ started, payeeNames, onFinished, onOpen }: RunProgressProps) {
  const [run, setRun] = useState<Reconciliation | null>(null);
  const [job, setJob] = useState<Job | null>(null);
  const [error, setError] = useState<string | null>(null);
  // The latest callback without restarting the poll when the page re-renders.
  const finished = useRef(onFinished);
  finished.current = onFinished;

  useEffect(() => {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const [nextRun, nextJob] = await Promise.all([
          reconciliationService.getReconciliation(started.reconciliationId, controller.signal),
          // A press that joined someone else's run may not read their job: the run's own status still says when it ends.
          started.jobId
            ? getJob(started.jobId, controller.signal).catch((err: unknown) => {
                if (isAbortError(err)) throw err;
                return null;
              })
            : Promise.resolve(null),
        ]);
        setRun(nextRun);
        setJob(nextJob);
        setError(null);
        if (runFinished(nextRun)) {
          finished.current(nextRun);
          return;
        }
      } catch (err) {
        if (isAbortError(err)) return;
        setError(describeError(err));
      }
      timer = setTimeout(() => void poll(), RUN_POLL_MS);
    };
    void poll();
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [started.reconciliationId, started.jobId]);

  const done = run !== null && runFinished(run);
  const progress = runProgress(job, run);
  return (
    <div data-testid="reconciliation-progress" data-reconciliation-id={started.reconciliationId} data-status={run?.status ?? started.status} data-done={done} data-percent={progress.percent}>
      <Space style={{ width: '100%', justifyContent: 'space-between' }} wrap>
        <Typography.Text strong>
          {started.day} · 商户号 {started.mchid}
          <Typography.Text type="secondary" style={{ fontWeight: 'normal' }}>
            {' '}
            {payeeNames}
          </Typography.Text>
        </Typography.Text>
        {done && run && (
          <Space>
            <Tag color={RECONCILIATION_STATUS_COLORS[run.status]} bordered={false} data-testid="reconciliation-run-result" data-status={run.status}>
              {statusText(run)}
            </Tag>
            {run.counts && run.counts.open > 0 && <Typography.Text type="danger">{run.counts.open} 笔差异待处理</Typography.Text>}
            <Button size="small" type={run.counts && run.counts.open > 0 ? 'primary' : 'default'} onClick={() => onOpen(run.id)} data-testid="reconciliation-run-view">
              查看结果
            </Button>
          </Space>
        )}
      </Space>
      <Progress percent={progress.percent} status={done ? (run?.status === 'failed' ? 'exception' : 'success') : 'active'} size="small" />
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {progress.text}
      </Typography.Text>
      {done && run?.lastError && <Alert type={run.status === 'failed' ? 'error' : 'warning'} showIcon message={run.lastError} style={{ marginTop: 8 }} />}
      {error && <Alert type="error" showIcon message={error} style={{ marginTop: 8 }} />}
    </div>
  );
}
