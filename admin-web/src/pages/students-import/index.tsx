import { useEffect, useReducer, useRef, useState } from 'react';
import { PageContainer } from '@ant-design/pro-components';
import { App, Button, Card, Col, Result, Row, Select, Space, Spin, Steps, Typography } from 'antd';
import { useNavigate } from 'react-router-dom';
import { ImportErrors } from '../../components/xlsx-import/import-errors.tsx';
import { ImportTemplateCard } from '../../components/xlsx-import/import-template-card.tsx';
import { XlsxDropzone } from '../../components/xlsx-import/xlsx-dropzone.tsx';
import { useCampusFilter } from '../../org/campus-filter-context.tsx';
import { describeError } from '../../services/describe-error.ts';
import { getJob } from '../../services/jobs.ts';
import { isAbortError, isApiError } from '../../services/request.ts';
import { saveDownloadedFile } from '../../services/save-file.ts';
import * as studentsService from '../../services/students.ts';
import { ImportProgress, ImportSummaryCard } from './components/import-result.tsx';
import { importReducer, JOB_POLL_MS } from './import-flow.ts';

/** Consecutive failed polls (server busy, network blip) before giving up. */
const MAX_POLL_FAILURES = 5;

const STEP_INDEX = { idle: 0, uploading: 1, rejected: 1, running: 2, succeeded: 3, failed: 2 } as const;

/**
 * 名册导入: an .xlsx roster goes in whole or not at all. A file with any bad
 * row is refused with every problem listed; a valid one runs as a job whose
 * progress shows here, ending with what was created, updated or unchanged
 * (importing the same file again changes nothing).
 */
export default function StudentsImportPage() {
  const navigate = useNavigate();
  const { message } = App.useApp();
  const campusFilter = useCampusFilter();
  const [state, dispatch] = useReducer(importReducer, { step: 'idle' });
  const [campusId, setCampusId] = useState<string | undefined>(campusFilter.campusId ?? undefined);
  const [downloading, setDownloading] = useState<'template' | 'report' | null>(null);

  useEffect(() => {
    setCampusId(campusFilter.campusId ?? undefined);
  }, [campusFilter.campusId]);

  const busy = state.step === 'uploading' || state.step === 'running';
  const outcomeRef = useRef<HTMLDivElement>(null);

  // Bring each outcome (errors, progress, summary) into view below the upload card.
  useEffect(() => {
    if (state.step !== 'idle') outcomeRef.current?.scrollIntoView?.({ behavior: 'smooth', block: 'nearest' });
  }, [state.step]);
  const jobId = state.step === 'running' ? state.jobId : null;

  // Poll the job until it ends.
  useEffect(() => {
    if (!jobId) return;
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let failures = 0;
    const poll = async () => {
      try {
        const job = await getJob(jobId, controller.signal);
        failures = 0;
        dispatch({ type: 'progress', job });
        if (job.status === 'succeeded' || job.status === 'failed') return;
      } catch (err) {
        if (isAbortError(err) || controller.signal.aborted) return;
        failures += 1;
        const permanent = isApiError(err) && err.status < 500 && err.status !== 429;
        if (permanent || failures >= MAX_POLL_FAILURES) {
          dispatch({ type: 'error', message: `无法获取导入进度：${describeError(err)}` });
          return;
        }
      }
      if (!controller.signal.aborted) timer = setTimeout(() => void poll(), JOB_POLL_MS);
    };
    void poll();
    return () => {
      controller.abort();
      if (timer) clearTimeout(timer);
    };
  }, [jobId]);

  const upload = async (file: File) => {
    dispatch({ type: 'upload', fileName: file.name });
    try {
      const accepted = await studentsService.importRoster(file, { fileName: file.name, campusId });
      dispatch({ type: 'accepted', jobId: accepted.jobId });
    } catch (err) {
      const rejection = studentsService.importRejectionOf(err);
      if (rejection) dispatch({ type: 'rejected', rejection });
      else dispatch({ type: 'error', message: describeError(err) });
    }
  };

  const download = async (kind: 'template' | 'report') => {
    setDownloading(kind);
    try {
      if (kind === 'template') {
        saveDownloadedFile(await studentsService.downloadImportTemplate(), '学生名册导入模板.xlsx');
      } else if (state.step === 'rejected' && state.rejection.reportId) {
        const base = state.fileName.replace(/\.xlsx$/i, '');
        saveDownloadedFile(await studentsService.downloadImportReport(state.rejection.reportId), `${base}-错误标注.xlsx`);
      }
    } catch (err) {
      message.error(describeError(err));
    } finally {
      setDownloading(null);
    }
  };

  return (
    <PageContainer
      title="名册导入"
      subTitle="用 Excel 批量新增或更新学生与监护人"
      onBack={() => navigate('/students')}
    >
      <Space direction="vertical" size={16} style={{ width: '100%' }}>
        <Card variant="borderless">
          <Steps
            size="small"
            current={STEP_INDEX[state.step]}
            status={state.step === 'rejected' || state.step === 'failed' ? 'error' : state.step === 'succeeded' ? 'finish' : 'process'}
            items={[{ title: '准备文件' }, { title: '上传并校验' }, { title: '导入' }, { title: '完成' }]}
          />
        </Card>

        <Row gutter={[16, 16]}>
          <Col xs={24} lg={9}>
            <ImportTemplateCard
              intro="下载模板，每行填写一名学生及其监护人，保存为 .xlsx 后上传。"
              rules={['文件整体校验：只要有一行有错，整份文件都不会导入。', '同一校区内按学号识别学生：已有的学生会被更新，没有的会新增。', '同一文件重复导入不会产生重复数据。']}
              downloading={downloading === 'template'}
              onDownload={() => void download('template')}
            />
          </Col>
          <Col xs={24} lg={15}>
            <Card variant="borderless" title="2. 上传文件" style={{ height: '100%' }}>
              {campusFilter.enabled && (
                <Space style={{ marginBottom: 12 }} wrap>
                  <Typography.Text>导入到校区：</Typography.Text>
                  <Select
                    allowClear
                    placeholder="按文件中填写的校区"
                    style={{ width: 220 }}
                    value={campusId}
                    onChange={(value?: string) => setCampusId(value)}
                    options={campusFilter.campuses.map((campus) => ({ value: campus.id, label: campus.name }))}
                    disabled={busy}
                    data-testid="import-campus"
                  />
                </Space>
              )}
              <XlsxDropzone disabled={busy} hint="上传后立即校验；全部通过后才开始导入" onFile={upload} />
            </Card>
          </Col>
        </Row>

        <div ref={outcomeRef} style={{ scrollMarginTop: 72 }} />
        {state.step === 'uploading' && (
          <Card variant="borderless" data-testid="import-validating">
            <Spin tip={`正在上传并校验「${state.fileName}」…`}>
              <div style={{ height: 96 }} />
            </Spin>
          </Card>
        )}
        {state.step === 'rejected' && (
          <ImportErrors
            fileName={state.fileName}
            errors={state.rejection.errors}
            serverMessage={state.rejection.message}
            nothingImported="未导入任何数据"
            report={{ available: state.rejection.reportId !== null, downloading: downloading === 'report', onDownload: () => void download('report') }}
            onRetry={() => dispatch({ type: 'reset' })}
          />
        )}
        {state.step === 'running' && <ImportProgress fileName={state.fileName} job={state.job} />}
        {state.step === 'succeeded' && (
          <ImportSummaryCard
            fileName={state.fileName}
            summary={state.summary}
            onViewRoster={() => navigate('/students')}
            onAgain={() => dispatch({ type: 'reset' })}
          />
        )}
        {state.step === 'failed' && (
          <Card variant="borderless" data-testid="import-failed">
            <Result
              status="error"
              title="导入失败"
              subTitle={
                <Space direction="vertical" size={4}>
                  <span>{state.message}</span>
                  {state.jobId && (
                    <Typography.Text type="secondary">
                      导入中途停止，部分学生可能已写入。修正问题后重新导入同一文件即可，已写入的学生不会重复。
                    </Typography.Text>
                  )}
                </Space>
              }
              extra={
                <Button type="primary" onClick={() => dispatch({ type: 'reset' })}>
                  重新上传
                </Button>
              }
            />
          </Card>
        )}
      </Space>
    </PageContainer>
  );
}
