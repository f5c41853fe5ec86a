import test from 'ava';
import { campusFilterKey, offersCampusChoice, readStoredCampus, restoreCampus, writeStoredCampus } from './campus-filter-state.ts';

function memory() {
  const data = new Map<string, string>();
  return {
    data,
    getItem: (key: string) => data.get(key) ?? null,
    setItem: (key: string, value: string) => void data.set(key, value),
    removeItem: (key: string) => void data.delete(key),
  };
}

test('the choice is kept per user and grant scope', (t) => {
  t.not(campusFilterKey('u1', 'group'), campusFilterKey('u1', 'east'));
  t.not(campusFilterKey('u1', 'group'), campusFilterKey('u2', 'group'));
  const storage = memory();
  const key = campusFilterKey('u1', 'group');
  writeStoredCampus(storage, key, 'east');
  t.is(readStoredCampus(storage, key), 'east');
  writeStoredCampus(storage, key, null);
  t.is(readStoredCampus(storage, key), null);
  t.is(readStoredCampus(null, key), null);
});

test('a stored campus that is no longer offered falls back to all campuses', (t) => {
  const campuses = [{ id: 'east' }, { id: 'west' }];
  t.is(restoreCampus('west', campuses), 'west');
  t.is(restoreCampus('gone', campuses), null);
  t.is(restoreCampus(null, campuses), null);
});

test('the picker shows only for scopes with several campuses', (t) => {
  t.false(offersCampusChoice([]));
  t.false(offersCampusChoice([{}]));
  t.true(offersCampusChoice([{}, {}]));
});

test('broken storage does not break the app', (t) => {
  const broken = {
    getItem: () => {
      throw new Error('denied');
    },
    setItem: () => {
      throw new Error('full');
    },
    removeItem: () => {
      throw new Error('denied');
    },
  };
  t.is(readStoredCampus(broken, 'k'), null);
  t.notThrows(() => writeStoredCampus(broken, 'k', 'east'));
});
