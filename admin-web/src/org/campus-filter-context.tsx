import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { OrgNode } from '@campuspay/shared';
import { useSession } from '../session/session-context.tsx';
import {
  campusFilterKey,
  offersCampusChoice,
  readStoredCampus,
  restoreCampus,
  writeStoredCampus,
} from './campus-filter-state.ts';
import { useOrgNodes } from './org-nodes-context.tsx';
import { campusesInScope } from './org-tree.ts';

export interface CampusFilterValue {
  /** Campuses in the user's scope (tree order). */
  campuses: OrgNode[];
  /** The chosen campus; null = all campuses of the scope. */
  campusId: string | null;
  campus: OrgNode | null;
  /** Whether the header offers a choice (the scope spans several campuses). */
  enabled: boolean;
  /** The organisation tree has loaded, so `campusId` is final. */
  ready: boolean;
  setCampusId(campusId: string | null): void;
}

const CampusFilterContext = createContext<CampusFilterValue | null>(null);

function browserStorage() {
  try {
    return typeof globalThis.localStorage === 'undefined' ? null : globalThis.localStorage;
  } catch {
    return null;
  }
}

/**
 * The campus a group admin is working on, picked in the header. Pages use it
 * as their default filter (`useCampusFilter().campusId`); it is remembered per
 * user and grant.
 */
export function CampusFilterProvider({ children }: { children: ReactNode }) {
  const { user, access } = useSession();
  const { nodes, scopeNodeId, loaded } = useOrgNodes();
  const campuses = useMemo(() => (scopeNodeId ? campusesInScope(nodes, scopeNodeId) : []), [nodes, scopeNodeId]);
  // The choice filters school records; bank-side staff (no roster access) are not offered it.
  const enabled = access.canViewStudents && offersCampusChoice(campuses);
  const key = user && scopeNodeId ? campusFilterKey(user.id, scopeNodeId) : null;
  const [chosen, setChosen] = useState<string | null>(() => (key ? readStoredCampus(browserStorage(), key) : null));

  // Another user or grant: pick up what that one chose last.
  useEffect(() => {
    setChosen(key ? readStoredCampus(browserStorage(), key) : null);
  }, [key]);

  // Until the tree has loaded the stored choice cannot be checked; keep it.
  const campusId = enabled ? restoreCampus(chosen, campuses) : null;
  const campus = campuses.find((c) => c.id === campusId) ?? null;

  const setCampusId = useCallback(
    (next: string | null) => {
      setChosen(next);
      if (key) writeStoredCampus(browserStorage(), key, next);
    },
    [key],
  );

  const value = useMemo<CampusFilterValue>(
    () => ({ campuses, campusId, campus, enabled, ready: loaded, setCampusId }),
    [campuses, campusId, campus, enabled, loaded, setCampusId],
  );
  return <CampusFilterContext.Provider value={value}>{children}</CampusFilterContext.Provider>;
}

export function useCampusFilter(): CampusFilterValue {
  const value = useContext(CampusFilterContext);
  if (!value) throw new Error('useCampusFilter must be used inside <CampusFilterProvider>');
  return value;
}
