import { useEffect, useReducer, useRef, useState } from 'react';
import { PageContainer } from '@ant-design/pro-components';
import { BILL_IMPORT_COLUMNS, MAX_BILL_IMPORT_ROWS } from '@campuspay/shared';
import { App, Button, Card, Col, Result, Row, Space, Spin, Typography } from 'antd';
import { useNavigate } from 'react-router-dom';
import { ImportErrors } from '../../components/xlsx-import/import-errors.tsx';
import { ImportTemplateCard } from '../../components/xlsx-import/import-template-card.tsx';
import { XlsxDropzone } from '../../components/xlsx-import/xlsx-dropzone.tsx';
import * as billImportService from '../../services/bill-import.ts';
import { describeError } from '../../services/describe-error.ts';
import { saveDownloadedFile } from '../../services/save-file.ts';
import { billImportReducer } from './bill-import-flow.ts';
import { BillImportSummary } from './components/bill-import-summary.tsx';

/**
 * 账单导入: bills for amounts that differ per student (meals, materials) from
 * an .xlsx of 学号 / 收费项目 / 金额. The file is issued whole or not at all:
 * any bad row refuses it with every problem listed; importing the same rows
 * again issues nothing new.
 */
export default function BillsImportPage() {
  const navigate = useNavigate();
  const { message } = App.useApp();
  const [state, dispatch] = useReducer(billImportReducer, { step: 'idle' });
  const [downloading, setDownloading] = useState(false);
  const outcomeRef = useRef<HTMLDivElement>(null);

  // Bring each outcome (errors, summary) into view below the upload card.
  useEffect(() => {
    if (state.step !== 'idle') outcomeRef.current?.scrollIntoView?.({ behavior: 'smooth', block: 'nearest' });
  }, [state.step]);

  const upload = async (file: File) => {
    dispatch({ type: 'upload', fileName: file.name });
    try {
      dispatch({ type: 'imported', result: await billImportService.importBills(file, file.name) });
    } catch (err) {
      const rejection = billImportService.billImportRejectionOf(err);
      if (rejection) dispatch({ type: 'rejected', rejection });
      else dispatch({ type: 'error', message: describeError(err) });
    }
  };

  const downloadTemplate = async () => {
    setDownloading(true);
    try {
      saveDownloadedFile(await billImportService.downloadBillImportTemplate(), '账单导入模板.xlsx');
    } catch (err) {
      message.error(describeError(err));
    } finally {
      setDownloading(false);
    }
  };

  const { studentNo, feeItemName, feeItemId, amount } = BILL_IMPORT_COLUMNS;
  return (
    <PageContainer title="账单导入" subTitle="用 Excel 按学生逐个开具账单（金额可各不相同）" onBack={() => navigate('/bills')}>
      <Space direction="vertical" size={16} style={{ width: '100%' }}>
        <Row gutter={[16, 16]}>
          <Col xs={24} lg={9}>
            <ImportTemplateCard
              intro={`下载模板，每行填写一张账单：${studentNo}、${feeItemName}（或${feeItemId}）、${amount}，保存为 .xlsx 后上传。`}
              rules={[
                '文件整体校验：只要有一行有错，整份文件都不会导入。',
                `同名的收费项目有多个时（如按月的午餐费），请填写${feeItemId}；模板的「收费项目」表列出了范围内的项目及其ID。`,
                '同一学生同一收费项目只能有一张账单；同一文件重复导入不会重复开账单。',
                `每个文件最多 ${MAX_BILL_IMPORT_ROWS.toLocaleString('zh-CN')} 行。`,
              ]}
              downloading={downloading}
              onDownload={() => void downloadTemplate()}
            />
          </Col>
          <Col xs={24} lg={15}>
            <Card variant="borderless" title="2. 上传文件" style={{ height: '100%' }}>
              <XlsxDropzone disabled={state.step === 'uploading'} hint="上传后立即校验；全部通过才开具账单，家长即可在小程序中缴费" onFile={upload} />
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
            totals={{ errors: state.rejection.errorCount, rows: state.rejection.badRows }}
            nothingImported="未导入任何账单"
            onRetry={() => dispatch({ type: 'reset' })}
          />
        )}
        {state.step === 'imported' && (
          <BillImportSummary fileName={state.fileName} result={state.result} onViewBills={() => navigate('/bills')} onAgain={() => dispatch({ type: 'reset' })} />
        )}
        {state.step === 'failed' && (
          <Card variant="borderless" data-testid="bill-import-failed">
            <Result
              status="error"
              title="导入失败"
              subTitle={
                <Space direction="vertical" size={4}>
                  <span>{state.message}</span>
                  <Typography.Text type="secondary">不确定是否已导入时，重新上传同一文件即可：已开具的账单不会重复开具。</Typography.Text>
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
