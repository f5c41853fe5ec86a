import test from 'ava';
import type { StaffUser } from '@campuspay/shared';
import { SESSION_STORAGE_KEY, createSessionStore, parseStoredSession, type KeyValueStorage } from './session-store.ts';

const USER: StaffUser = {
  id: '64b000000000000000000001',
  username: 'admin',
  displayName: '张主任',
  role: 'group_admin',
  scope: { nodeId: '64b0000000000000000000aa', kind: 'school_group', name: '阳光教育集团' },
  mustChangePassword: false,
};

function memoryStorage(initial: Record<string, string> = {}): KeyValueStorage & { data: Map<string, string> } {
  const data = new Map(Object.entries(initial));
  return {
    data,
    getItem: (key) => data.get(key) ?? null,
    setItem: (key, value) => void data.set(key, value),
    removeItem: (key) => void data.delete(key),
  };
}

test('starts signed out with empty storage, and without storage at all', (t) => {
  t.deepEqual(createSessionStore(memoryStorage()).getState(), { session: null, signOutReason: null });
  const store = createSessionStore(null);
  store.start({ token: 't', user: USER });
  t.is(store.getToken(), 't');
});

test('start persists token and user; a new store reads them back', (t) => {
  const storage = memoryStorage();
  const store = createSessionStore(storage);
  store.start({ token: 'tok', user: USER });
  t.is(store.getToken(), 'tok');
  t.deepEqual(createSessionStore(storage).getState().session, { token: 'tok', user: USER });
});

test('malformed storage counts as signed out', (t) => {
  t.is(parseStoredSession('not json'), null);
  t.is(parseStoredSession(JSON.stringify({ token: '', user: USER })), null);
  t.is(parseStoredSession(JSON.stringify({ token: 't', user: { ...USER, role: 'janitor' } })), null);
  t.is(parseStoredSession(JSON.stringify(null)), null);
  t.is(createSessionStore(memoryStorage({ [SESSION_STORAGE_KEY]: '{' })).getState().session, null);
});

test('storage that throws does not break the store', (t) => {
  const broken: KeyValueStorage = {
    getItem: () => {
      throw new Error('SecurityError');
    },
    setItem: () => {
      throw new Error('QuotaExceededError');
    },
    removeItem: () => {
      throw new Error('SecurityError');
    },
  };
  const store = createSessionStore(broken);
  store.start({ token: 't', user: USER });
  t.is(store.getToken(), 't');
  store.end('logout');
  t.is(store.getToken(), null);
});

test('listeners hear every change and can unsubscribe', (t) => {
  const store = createSessionStore(memoryStorage());
  let heard = 0;
  const unsubscribe = store.subscribe(() => heard++);
  store.start({ token: 't', user: USER });
  store.updateUser({ ...USER, displayName: '张三' });
  t.is(heard, 2);
  t.is(store.getState().session?.user.displayName, '张三');
  unsubscribe();
  store.end('logout');
  t.is(heard, 2);
});

test('end clears storage and remembers why', (t) => {
  const storage = memoryStorage();
  const store = createSessionStore(storage);
  store.start({ token: 't', user: USER });
  store.end('logout');
  t.deepEqual(store.getState(), { session: null, signOutReason: 'logout' });
  t.false(storage.data.has(SESSION_STORAGE_KEY));
  store.start({ token: 't2', user: USER });
  t.is(store.getState().signOutReason, null);
});

test('expire ends only the session whose token was rejected', (t) => {
  const store = createSessionStore(memoryStorage());
  store.start({ token: 'new', user: USER });
  store.expire('old');
  t.is(store.getToken(), 'new');
  store.expire(null);
  t.is(store.getToken(), 'new');
  store.expire('new');
  t.deepEqual(store.getState(), { session: null, signOutReason: 'expired' });
});

test('requirePasswordChange flags the user once', (t) => {
  const store = createSessionStore(memoryStorage());
  let heard = 0;
  store.subscribe(() => heard++);
  store.requirePasswordChange(); // signed out: nothing to flag
  store.start({ token: 't', user: USER });
  store.requirePasswordChange();
  store.requirePasswordChange();
  t.true(store.getState().session?.user.mustChangePassword);
  t.is(heard, 2);
});

test('updateUser without a session does nothing', (t) => {
  const store = createSessionStore(memoryStorage());
  store.updateUser(USER);
  t.is(store.getState().session, null);
});

test('reload follows another tab signing out and in', (t) => {
  const storage = memoryStorage();
  const store = createSessionStore(storage);
  store.start({ token: 't', user: USER });
  let heard = 0;
  store.subscribe(() => heard++);

  store.reload(); // nothing changed
  t.is(heard, 0);

  storage.data.delete(SESSION_STORAGE_KEY);
  store.reload();
  t.deepEqual(store.getState(), { session: null, signOutReason: 'logout' });

  storage.data.set(SESSION_STORAGE_KEY, JSON.stringify({ token: 'other', user: USER }));
  store.reload();
  t.is(store.getToken(), 'other');
  t.is(heard, 2);
});
