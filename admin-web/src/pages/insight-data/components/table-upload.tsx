import { useReducer, useState, type ReactNode } from 'react';
import { Alert, App, Card, Col, Row, Space, Spin, Typography } from 'antd';
import { ImportErrors } from '../../../components/xlsx-import/import-errors.tsx';
import { ImportTemplateCard } from '../../../components/xlsx-import/import-template-card.tsx';
import { XlsxDropzone } from '../../../components/xlsx-import/xlsx-dropzone.tsx';
import { describeError } from '../../../services/describe-error.ts';
import { tableImportRejectionOf } from '../../../services/insight-data.ts';
import { saveDownloadedFile } from '../../../services/save-file.ts';
import { csvTemplate } from '../insight-data-view.ts';
import { uploadReducer, type UploadState } from '../upload-flow.ts';

interface TableUploadProps<T> {
  /** Prefixes the test ids of the outcome: `{testId}-result`, `{testId}-failed`. */
  testId: string;
  intro: ReactNode;
  rules: readonly ReactNode[];
  /** The header-only CSV template: its columns and file name. */
  template: { columns: readonly string[]; fileName: string };
  hint: string;
  /** What the upload needs first (a campaign name, a school), or null when it may go. */
  blockedBy?: ReactNode;
  /** Fields the upload needs (a campaign name, a school), above the drop zone. */
  fields?: ReactNode;
  send(file: File): Promise<T>;
  onAccepted?(result: T): void;
  renderResult(result: T, fileName: string, again: () => void): ReactNode;
}

/**
 * A bank upload (.xlsx or CSV): template, drop zone, and the outcome — what
 * was stored, or the refusal with every bad row (nothing stored).
 */
export function TableUpload<T>({ testId, intro, rules, template, hint, blockedBy, fields, send, onAccepted, renderResult }: TableUploadProps<T>) {
  const { message } = App.useApp();
  const [state, dispatch] = useReducer(uploadReducer<T>, { step: 'idle' } as UploadState<T>);
  const [savingTemplate, setSavingTemplate] = useState(false);

  const upload = async (file: File) => {
    dispatch({ type: 'upload', fileName: file.name });
    try {
      const result = await send(file);
      dispatch({ type: 'accepted', fileName: file.name, result });
      onAccepted?.(result);
    } catch (err) {
      const rejection = tableImportRejectionOf(err);
      if (rejection) dispatch({ type: 'rejected', fileName: file.name, rejection });
      else dispatch({ type: 'failed', fileName: file.name, message: describeError(err) });
    }
  };

  const downloadTemplate = () => {
    setSavingTemplate(true);
    try {
      const blob = new Blob([csvTemplate(template.columns)], { type: 'text/csv;charset=utf-8' });
      saveDownloadedFile({ blob, filename: template.fileName, contentType: blob.type }, template.fileName);
    } catch (err) {
      message.error(describeError(err));
    } finally {
      setSavingTemplate(false);
    }
  };

  const again = () => dispatch({ type: 'reset' });

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={9}>
          <ImportTemplateCard intro={intro} rules={rules} downloading={savingTemplate} onDownload={downloadTemplate} />
        </Col>
        <Col xs={24} lg={15}>
          <Card variant="borderless" title="2. 上传文件" style={{ height: '100%' }}>
            <Space direction="vertical" size={12} style={{ width: '100%' }}>
              {fields}
              {blockedBy && <Alert type="info" showIcon message={blockedBy} />}
              <XlsxDropzone disabled={state.step === 'uploading' || Boolean(blockedBy)} format="xlsx-or-csv" hint={hint} onFile={upload} />
            </Space>
          </Card>
        </Col>
      </Row>
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
          totals={{ errors: state.rejection.errorCount, rows: new Set(state.rejection.errors.map((e) => e.row)).size }}
          nothingImported="未导入任何数据"
          onRetry={again}
        />
      )}
      {state.step === 'accepted' && <div data-testid={`${testId}-result`}>{renderResult(state.result, state.fileName, again)}</div>}
      {state.step === 'failed' && (
        <Alert
          type="error"
          showIcon
          data-testid={`${testId}-failed`}
          message={`「${state.fileName}」上传失败`}
          description={
            <Typography.Text>
              {state.message}。每次上传都是整体校验、整体保存，重新上传同一文件不会重复计入。
            </Typography.Text>
          }
        />
      )}
    </Space>
  );
}
