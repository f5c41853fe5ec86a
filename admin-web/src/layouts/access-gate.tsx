import type { ReactNode } from 'react';
import type { AccessKey } from '../access.ts';
import { ForbiddenResult } from '../pages/forbidden/index.tsx';
import { useAccess } from '../session/session-context.tsx';

/** Renders the page only when the user holds its flag; otherwise 403 (without loading the page). */
export function AccessGate({ access, children }: { access: AccessKey; children: ReactNode }) {
  const flags = useAccess();
  return flags[access] ? <>{children}</> : <ForbiddenResult />;
}
