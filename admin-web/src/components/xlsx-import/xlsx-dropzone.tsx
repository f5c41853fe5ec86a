import { InboxOutlined } from '@ant-design/icons';
import { App, Upload } from 'antd';
import { fileProblem } from './xlsx-file.ts';

/** Where an .xlsx is dropped or picked; a file that is not a usable .xlsx is refused here, before any upload. */
export function XlsxDropzone({ disabled, hint, onFile }: { disabled: boolean; hint: string; onFile(file: File): Promise<void> }) {
  const { message } = App.useApp();
  return (
    <div data-testid="import-upload">
      <Upload.Dragger
        accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        multiple={false}
        maxCount={1}
        showUploadList={false}
        disabled={disabled}
        customRequest={({ file, onSuccess }) => {
          // The upload goes through the API client (token, errors); antd only picks the file.
          const chosen = file as File;
          const problem = fileProblem(chosen);
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
        <p className="ant-upload-text">点击或将 .xlsx 文件拖到此处上传</p>
        <p className="ant-upload-hint">{hint}</p>
      </Upload.Dragger>
    </div>
  );
}
