import { request } from './request';

/** GET /public/client-config: settings the server hands to the client at run time. */
export interface ClientConfig {
  /** Base URL of the WeChat sandbox (dev/demo), or null where real WeChat is used. */
  wechatSandboxUrl: string | null;
}

let cached: Promise<ClientConfig> | null = null;

export function getClientConfig(): Promise<ClientConfig> {
  if (!cached) {
    cached = request<ClientConfig>('GET', '/public/client-config').catch((err: unknown) => {
      cached = null; // let the next call retry
      throw err;
    });
  }
  return cached;
}
