import { Schema } from 'mongoose';
import { defineModel } from '../../platform/db/connection.ts';

export const CONSENT_STATES = ['granted', 'withdrawn'] as const;

/**
 * A parent's current marketing consent for one bank (PIPL: separate,
 * explicit, revocable). `_id` = `${bankId}:${parentId}`; every change is a
 * compare-and-set on `version`. The phone is the one the parent confirmed
 * when consenting (it must be a guardian phone the school holds for one of
 * their children): stored encrypted, with a keyed hash for matching
 * campaign results and a mask for lists, and erased on withdrawal.
 */
const consentSchema = new Schema(
  {
    _id: { type: String, required: true },
    bankId: { type: String, required: true },
    parentId: { type: String, required: true },
    status: { type: String, enum: CONSENT_STATES, required: true },
    grantedVersion: { type: Number, default: null },
    textHash: { type: String, default: null },
    grantedAt: { type: Date, default: null },
    withdrawnAt: { type: Date, default: null },
    phoneEnc: { type: String, default: null },
    phoneHash: { type: String, default: null },
    phoneMasked: { type: String, default: null },
    contactNameMasked: { type: String, default: null },
    guardianId: { type: String, default: null },
    version: { type: Number, required: true, default: 1 },
  },
  { timestamps: true, versionKey: false },
);
consentSchema.index({ bankId: 1, status: 1 });
consentSchema.index({ phoneHash: 1 });
export const ConsentModel = defineModel('Consent', 'consents', consentSchema);

export type ConsentDoc = {
  _id: string;
  bankId: string;
  parentId: string;
  status: (typeof CONSENT_STATES)[number];
  grantedVersion: number | null;
  textHash: string | null;
  grantedAt: Date | null;
  withdrawnAt: Date | null;
  phoneEnc: string | null;
  phoneHash: string | null;
  phoneMasked: string | null;
  contactNameMasked: string | null;
  guardianId: string | null;
  version: number;
};

export function consentId(bankId: string, parentId: string): string {
  return `${bankId}:${parentId}`;
}

/** Insert-only history: what was shown (the exact text and its version) and what the parent did, when. */
const consentEventSchema = new Schema(
  {
    _id: { type: String, required: true },
    bankId: { type: String, required: true },
    parentId: { type: String, required: true },
    action: { type: String, enum: ['grant', 'withdraw'], required: true },
    version: { type: Number, default: null },
    title: { type: String, default: null },
    text: { type: String, default: null },
    textHash: { type: String, default: null },
    phoneMasked: { type: String, default: null },
    at: { type: Date, required: true },
    requestId: { type: String, default: null },
  },
  { versionKey: false },
);
consentEventSchema.index({ parentId: 1, at: -1 });
export const ConsentEventModel = defineModel('ConsentEvent', 'consent_events', consentEventSchema);
