import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { OrgNode } from '@campuspay/shared';
import { describeError } from '../services/describe-error.ts';
import { listOrgNodes } from '../services/org.ts';
import { isAbortError } from '../services/request.ts';
import { useSession } from '../session/session-context.tsx';

export interface OrgNodesValue {
  /** The user's subtree plus its ancestors (not archived), flat. */
  nodes: OrgNode[];
  loading: boolean;
  /** The first load (for this grant) has finished, well or not. */
  loaded: boolean;
  /** Chinese text of the last load failure. */
  error: string | null;
  /** The node the current grant is scoped to. */
  scopeNodeId: string | null;
  /** Loads again (after the tree was edited). */
  reload(): Promise<void>;
}

const OrgNodesContext = createContext<OrgNodesValue | null>(null);

/**
 * The organisation tree the pickers, filters and the campus switcher share:
 * loaded once per grant (scope) and reloaded after edits.
 */
export function OrgNodesProvider({ children }: { children: ReactNode }) {
  const { user, access } = useSession();
  const scopeKey = user && access.canViewOrg ? `${user.id}:${user.role}:${user.scope.nodeId}` : null;
  const [nodes, setNodes] = useState<OrgNode[]>([]);
  const [loading, setLoading] = useState(false);
  const [loadedKey, setLoadedKey] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(
    async (signal?: AbortSignal) => {
      if (!scopeKey) {
        setNodes([]);
        setLoadedKey(null);
        return;
      }
      setLoading(true);
      try {
        const next = await listOrgNodes(signal ? { signal } : {});
        setNodes(next);
        setError(null);
      } catch (err) {
        if (isAbortError(err)) return;
        setError(describeError(err));
      } finally {
        if (!signal?.aborted) {
          setLoading(false);
          setLoadedKey(scopeKey);
        }
      }
    },
    [scopeKey],
  );

  useEffect(() => {
    const controller = new AbortController();
    setNodes([]);
    void load(controller.signal);
    return () => controller.abort();
  }, [load]);

  const value = useMemo<OrgNodesValue>(
    () => ({
      nodes,
      loading,
      loaded: scopeKey === null || loadedKey === scopeKey,
      error,
      scopeNodeId: user?.scope.nodeId ?? null,
      reload: () => load(),
    }),
    [nodes, loading, loadedKey, scopeKey, error, user?.scope.nodeId, load],
  );
  return <OrgNodesContext.Provider value={value}>{children}</OrgNodesContext.Provider>;
}

export function useOrgNodes(): OrgNodesValue {
  const value = useContext(OrgNodesContext);
  if (!value) throw new Error('useOrgNodes must be used inside <OrgNodesProvider>');
  return value;
}
