import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedNotification {
  headers: IncomingHttpHeaders;
  body: string;
  receivedAt: number;
}

export type Answer = { status: number; body?: string; delayMs?: number };

/** A merchant's notify endpoint for tests: records every request and answers as told. */
export interface NotifyReceiver {
  url: string;
  received: ReceivedNotification[];
  answerWith(answer: (notification: ReceivedNotification, index: number) => Answer | Promise<Answer>): void;
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedNotification[]>;
  stop(): Promise<void>;
}

export async function startNotifyReceiver(): Promise<NotifyReceiver> {
  const received: ReceivedNotification[] = [];
  let answer: (n: ReceivedNotification, index: number) => Answer | Promise<Answer> = () => ({
    status: 200,
    body: '{"code":"SUCCESS","message":"成功"}',
  });
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const notification = { headers: request.headers, body: Buffer.concat(chunks).toString('utf8'), receivedAt: Date.now() };
      const index = received.push(notification) - 1;
      void Promise.resolve(answer(notification, index)).then(async (reply) => {
        if (reply.delayMs) await new Promise((resolve) => setTimeout(resolve, reply.delayMs));
        response.writeHead(reply.status, { 'Content-Type': 'application/json' });
        response.end(reply.body ?? '');
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/api/v1/wechatpay/notify/transaction`,
    received,
    answerWith(next) {
      answer = next;
    },
    async waitFor(count, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      while (received.length < count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} notifications, got ${received.length}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      return received;
    },
    stop() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
