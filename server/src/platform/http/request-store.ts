import { AsyncLocalStorage } from 'node:async_hooks';

/** Facts about the request in progress that deep code records without threading ctx through. */
export interface RequestStore {
  audited: boolean;
}

export const requestStore = new AsyncLocalStorage<RequestStore>();
