import { useEffect } from 'react';

export const APP_TITLE = 'CampusPay 管理后台';

/** For pages outside the app shell (the shell titles its own pages). */
export function useDocumentTitle(pageTitle: string): void {
  useEffect(() => {
    document.title = `${pageTitle} - ${APP_TITLE}`;
  }, [pageTitle]);
}
