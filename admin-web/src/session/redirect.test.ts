import test from 'ava';
import { loginPathFor, safeRedirect } from './redirect.ts';

test('safeRedirect keeps in-app paths with their query', (t) => {
  t.is(safeRedirect('/bills?status=PAID'), '/bills?status=PAID');
  t.is(safeRedirect('/reports#top'), '/reports#top');
});

test('safeRedirect refuses anything that could leave the app', (t) => {
  for (const bad of [
    null,
    undefined,
    '',
    'https://evil.example',
    '//evil.example',
    '/\\evil.example',
    'javascript:alert(1)',
    '/\tjavascript:alert(1)',
    'bills',
  ]) {
    t.is(safeRedirect(bad), '/', String(bad));
  }
});

test('safeRedirect does not loop back to the login or password pages', (t) => {
  t.is(safeRedirect('/login'), '/');
  t.is(safeRedirect('/login?redirect=/x'), '/');
  t.is(safeRedirect('/change-password'), '/');
});

test('loginPathFor remembers where the user was going, except after logout', (t) => {
  t.is(loginPathFor('/bills?status=PAID', null), '/login?redirect=%2Fbills%3Fstatus%3DPAID');
  t.is(loginPathFor('/bills', 'expired'), '/login?redirect=%2Fbills');
  t.is(loginPathFor('/bills', 'logout'), '/login');
  t.is(loginPathFor('/', null), '/login');
  t.is(loginPathFor('/change-password', 'expired'), '/login');
});
