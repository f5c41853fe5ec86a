import { Navigate, Outlet, useLocation } from 'react-router-dom';
import { CHANGE_PASSWORD_PATH, loginPathFor } from '../session/redirect.ts';
import { useSession } from '../session/session-context.tsx';

/**
 * Everything below needs a signed-in user; a user who must change the
 * password sees nothing else until they have.
 */
export function RequireSession() {
  const { session, signOutReason } = useSession();
  const location = useLocation();
  if (!session) {
    return <Navigate to={loginPathFor(`${location.pathname}${location.search}`, signOutReason)} replace />;
  }
  if (session.user.mustChangePassword && location.pathname !== CHANGE_PASSWORD_PATH) {
    return <Navigate to={CHANGE_PASSWORD_PATH} replace />;
  }
  return <Outlet />;
}
