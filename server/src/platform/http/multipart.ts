import path from 'node:path';
import busboy from 'busboy';
import { AppError } from '../errors.ts';
import type { AppContext } from './context.ts';

export interface UploadedFile {
  /** The name the browser sent (UTF-8), without any directory part. */
  filename: string;
  mimeType: string;
  bytes: Buffer;
  /** The form's plain fields sent with the file (short values only). */
  fields: Record<string, string>;
}

export interface SingleFileOptions {
  /** The form field carrying the file. */
  field?: string;
  /** Largest accepted file; a larger one answers 413 PAYLOAD_TOO_LARGE. */
  limitBytes: number;
  /** Accepted extensions, lower case with the dot (`.xlsx`). */
  extensions: readonly string[];
  /** What the route expects, for messages: `Excel 文件（.xlsx）`. */
  description: string;
  /** Checks the file's first bytes, so a renamed file of another kind is refused too. */
  signature?: (head: Buffer) => boolean;
  /** Message when the signature check fails. */
  signatureMessage?: string;
}

/** Room for the multipart envelope around the file in a declared Content-Length. */
const ENVELOPE_BYTES = 64 * 1024;

function megabytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB` : `${Math.ceil(bytes / 1024)} KB`;
}

function tooLarge(limitBytes: number): AppError {
  return new AppError('PAYLOAD_TOO_LARGE', `文件过大，上限为 ${megabytes(limitBytes)}`, { details: { limitBytes } });
}

/**
 * Reads one uploaded file from a multipart/form-data request into memory,
 * with a size limit, and checks its kind by extension and by content. Other
 * fields and files are read and discarded. The JSON body middleware leaves
 * multipart requests unread for this.
 */
export async function readSingleFile(ctx: AppContext, options: SingleFileOptions): Promise<UploadedFile> {
  const field = options.field ?? 'file';
  if (!ctx.is('multipart/form-data')) {
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', `请以 multipart/form-data 方式上传${options.description}（表单字段 ${field}）`);
  }
  const declared = Number(ctx.get('content-length') || '0');
  if (declared > options.limitBytes + ENVELOPE_BYTES) throw tooLarge(options.limitBytes);

  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: ctx.req.headers,
      defParamCharset: 'utf8',
      limits: { files: 1, fileSize: options.limitBytes, fields: 20, fieldSize: 64 * 1024, parts: 30 },
    });
  } catch (error) {
    throw new AppError('BAD_REQUEST', '上传内容格式不正确', { cause: error });
  }

  const fields = Object.create(null) as Record<string, string>;
  const received = await new Promise<{ file?: UploadedFile; truncated: boolean }>((resolve, reject) => {
    let file: UploadedFile | undefined;
    let truncated = false;
    let pending = Promise.resolve();
    parser.on('file', (name, stream, info) => {
      if (name !== field || file) {
        stream.resume();
        return;
      }
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('limit', () => {
        truncated = true;
        chunks.length = 0;
      });
      pending = new Promise<void>((done) =>
        stream.on('close', () => {
          if (!truncated) {
            file = { filename: path.basename(info.filename ?? ''), mimeType: info.mimeType, bytes: Buffer.concat(chunks), fields };
          }
          done();
        }),
      );
    });
    parser.on('field', (name, value, info) => {
      if (!info.valueTruncated && name !== field && !Object.hasOwn(fields, name)) fields[name] = value;
    });
    parser.on('error', (error) => reject(new AppError('BAD_REQUEST', '上传内容格式不正确', { cause: error })));
    parser.on('close', () => void pending.then(() => resolve({ file, truncated })));
    ctx.req.on('aborted', () => reject(new AppError('BAD_REQUEST', '上传被中断')));
    ctx.req.on('error', (error) => reject(new AppError('BAD_REQUEST', '上传被中断', { cause: error })));
    ctx.req.pipe(parser);
  });

  if (received.truncated) throw tooLarge(options.limitBytes);
  const file = received.file;
  if (!file) throw new AppError('VALIDATION_FAILED', `请选择要上传的${options.description}（表单字段 ${field}）`);
  const extension = path.extname(file.filename).toLowerCase();
  if (!options.extensions.includes(extension)) {
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', `只支持${options.description}，收到的是「${file.filename || '未命名文件'}」`, {
      details: { accepted: options.extensions },
    });
  }
  if (file.bytes.length === 0) throw new AppError('VALIDATION_FAILED', '上传的文件是空的');
  if (options.signature && !options.signature(file.bytes.subarray(0, 16))) {
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', options.signatureMessage ?? `文件内容不是有效的${options.description}`);
  }
  return file;
}
