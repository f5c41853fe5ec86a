import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Handler, IncomingCall, Reply } from './types.ts';

export interface Mount {
  matches(pathname: string): boolean;
  handle: Handler;
}

const BODY_LIMIT = 1024 * 1024;

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > BODY_LIMIT) {
        reject(new Error('request body too large'));
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

function send(response: ServerResponse, reply: Reply): void {
  if (reply.kind === 'abandon') {
    response.socket?.destroy();
    return;
  }
  const body = typeof reply.body === 'string' ? Buffer.from(reply.body, 'utf8') : reply.body;
  response.writeHead(reply.status, { ...reply.headers, 'Content-Length': String(body.length) });
  response.end(body);
}

/** The one HTTP server: WeChat Pay, WeChat's mini-program APIs and the controls share a port, like one fake internet. */
export function createSandboxServer(mounts: Mount[], onError: (error: unknown) => void): Server {
  return createServer((request, response) => {
    void (async () => {
      try {
        const rawUrl = request.url ?? '/';
        const call: IncomingCall = {
          method: request.method ?? 'GET',
          rawUrl,
          url: new URL(rawUrl, 'http://sandbox.invalid'),
          headers: request.headers,
          body: await readBody(request),
        };
        const mount = mounts.find((m) => m.matches(call.url.pathname));
        // Unknown paths answer 404 with an empty body, as api.mch.weixin.qq.com does.
        send(response, mount ? await mount.handle(call) : { kind: 'response', status: 404, headers: {}, body: '' });
      } catch (error) {
        onError(error);
        if (!response.headersSent) send(response, { kind: 'response', status: 500, headers: {}, body: '' });
      }
    })();
  });
}
