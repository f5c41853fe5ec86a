import type { IncomingHttpHeaders } from 'node:http';

export interface IncomingCall {
  method: string;
  /** Path and query exactly as in the request line: what the merchant signed. */
  rawUrl: string;
  url: URL;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export type Reply =
  | { kind: 'response'; status: number; headers: Record<string, string>; body: string | Buffer }
  /** Close the connection without an answer: how a timeout looks to the caller. */
  | { kind: 'abandon' };

export type Handler = (call: IncomingCall) => Promise<Reply>;

export function jsonReply(status: number, value: unknown, headers: Record<string, string> = {}): Reply {
  return {
    kind: 'response',
    status,
    headers: { 'Content-Type': 'application/json; charset=utf-8', ...headers },
    body: JSON.stringify(value),
  };
}

export function textReply(status: number, body: string, contentType: string, headers: Record<string, string> = {}): Reply {
  return { kind: 'response', status, headers: { 'Content-Type': contentType, ...headers }, body };
}

export function header(call: IncomingCall, name: string): string | undefined {
  const value = call.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}
