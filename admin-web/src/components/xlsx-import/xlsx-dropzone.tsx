import { InboxOutlined } from '@ant-design/icons';
import { App, Upload } from 'antd';
import { fileProblem, type ImportFormat } from './xlsx-file.ts';

/** Where an .xlsx (or, where `format` allows, a CSV) is dropped or picked; an unusable file is refused here, before any upload. */
export function XlsxDropzone({ disabled, hint, format = 'xlsx', onFile }: { disabled: boolean; hint: string; format?: ImportFormat; onFile(file: File): Promise<void> }) {
  const { message } = App.useApp();
  const csv = format === 'xlsx-or-csv';
  return (
    <div data-testid="import-upload">
      <Upload.Dragger
        accept={`.xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet${csv ? ',.csv,text/csv' : ''}`}
        multiple={false}
        maxCount={1}
        showUploadList={false}
        disabled={disabled}
        customRequest={({ file, onSuccess }) => {
          // The upload goes through the API client (token, errors); antd only picks the file.
          const chosen = file as File;
          const problem = fileProblem(chosen, format);
          if (problem) {
            message.error(problem);
            onSuccess?.(null);
            return;
          }
          void onFile(chosen).finally(() => onSuccess?.(null));
        }}
      >
        <p className="ant-upload-drag-icon">
          <InboxOutlined />
        </p>
        <p className="ant-upload-text">{csv ? '点击或将 .xlsx / .csv 文件拖到此处上传' : '点击或将 .xlsx 文件拖到此处上传'}</p>
        <p className="ant-upload-hint">{hint}</p>
      </Upload.Dragger>
    </div>
  );
}
