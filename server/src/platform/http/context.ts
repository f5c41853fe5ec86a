import type { ParameterizedContext } from 'koa';
import type { Logger } from '../../logger.ts';

/** Per-request data; later modules add the authenticated principal here. */
export interface AppState {
  requestId: string;
  log: Logger;
  /** Parsed JSON body, when the request carried one. */
  body?: unknown;
  /** The exact bytes received; WeChat Pay signatures are checked over these. */
  rawBody?: Buffer;
  [key: string]: unknown;
}

export type AppContext = ParameterizedContext<AppState>;
