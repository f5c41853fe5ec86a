/**
 * Student and fee item names for lists whose rows carry only a bill id
 * (counter payments, refunds, exceptions): the server's list answers do not
 * include them yet, so the bills of the rows on screen are fetched one by
 * one (a few at a time) and kept for the session.
 */
import { useEffect, useState } from 'react';
import type { Bill } from '@campuspay/shared';
import { getBill } from '../services/billing.ts';

const cache = new Map<string, Bill | null>();
const inFlight = new Map<string, Promise<Bill | null>>();
const PARALLEL = 4;

function fetchBill(id: string): Promise<Bill | null> {
  const known = inFlight.get(id);
  if (known) return known;
  const promise = getBill(id)
    .then((bill) => bill)
    .catch(() => null)
    .then((bill) => {
      cache.set(id, bill);
      inFlight.delete(id);
      return bill;
    });
  inFlight.set(id, promise);
  return promise;
}

/** Forgets a bill whose figures changed (after a payment, refund or reversal). */
export function forgetBill(id: string): void {
  cache.delete(id);
}

/** The bills of `ids` as they arrive; a missing or out-of-scope bill maps to null. */
export function useBillLookup(ids: readonly (string | null | undefined)[]): ReadonlyMap<string, Bill | null> {
  const key = [...new Set(ids.filter((id): id is string => Boolean(id)))].sort().join(',');
  const [found, setFound] = useState<ReadonlyMap<string, Bill | null>>(() => new Map());

  useEffect(() => {
    let cancelled = false;
    const wanted = key ? key.split(',') : [];
    const publish = () => {
      if (!cancelled) setFound(new Map(wanted.filter((id) => cache.has(id)).map((id) => [id, cache.get(id) ?? null])));
    };
    publish();
    const missing = wanted.filter((id) => !cache.has(id));
    let next = 0;
    const worker = async () => {
      while (!cancelled && next < missing.length) {
        const id = missing[next++] as string;
        await fetchBill(id);
        publish();
      }
    };
    void Promise.all(Array.from({ length: Math.min(PARALLEL, missing.length) }, worker));
    return () => {
      cancelled = true;
    };
  }, [key]);

  return found;
}
